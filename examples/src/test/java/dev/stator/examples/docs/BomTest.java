package dev.stator.examples.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * stator-bom does not inherit the parent (see bom/pom.xml), so nothing else keeps it in step: it
 * has the parent's version and manages exactly the published modules.
 */
final class BomTest {

  private static final Pattern VERSION = Pattern.compile(
      "<artifactId>(stator-[\\w-]+)</artifactId>\\s*<version>([^<]+)</version>");

  @Test
  void theBom_hasTheProjectVersion_andManagesEveryPublishedModule() throws IOException {
    Path root = DocSnippetsTest.root();
    String parent = Files.readString(root.resolve("pom.xml"));
    String bom = Files.readString(root.resolve("bom/pom.xml"));

    Matcher parentVersion = VERSION.matcher(parent);
    assertThat(parentVersion.find()).isTrue();
    Matcher bomVersion = VERSION.matcher(bom);
    assertThat(bomVersion.find()).isTrue();
    assertThat(bomVersion.group(1)).isEqualTo("stator-bom");
    assertThat(bomVersion.group(2)).as("bom/pom.xml's version").isEqualTo(parentVersion.group(2));

    List<String> published = new ArrayList<>();
    Matcher modules = Pattern.compile("<module>([^<]+)</module>").matcher(parent);
    while (modules.find()) {
      String pom = Files.readString(root.resolve(modules.group(1)).resolve("pom.xml"));
      boolean jar = !pom.contains("<packaging>pom</packaging>");
      if (jar && !pom.contains("<maven.deploy.skip>true</maven.deploy.skip>")) {
        Matcher artifact = Pattern.compile("</parent>\\s*<artifactId>([^<]+)</artifactId>").matcher(pom);
        assertThat(artifact.find()).as(modules.group(1) + "/pom.xml's artifactId").isTrue();
        published.add(artifact.group(1));
      }
    }
    String managed = bom.substring(bom.indexOf("<dependencyManagement>"));
    List<String> managedIds = new ArrayList<>();
    Matcher ids = Pattern.compile("<artifactId>([^<]+)</artifactId>\\s*<version>\\$\\{project.version}</version>")
        .matcher(managed);
    while (ids.find()) {
      managedIds.add(ids.group(1));
    }
    assertThat(managedIds).as("what stator-bom manages").containsExactlyInAnyOrderElementsOf(published)
        .contains("stator-engine", "stator-fsm-dsl");
  }
}
