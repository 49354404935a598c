package dev.stator.dsl.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.NoSuchElementException;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

final class MachineCatalogTest {

  private static final String TOGGLE = """
      {"id": "%s", "initial": "off", "states": {
        "off": {"on": {"FLIP": {"target": "on", "actions": "log"}}},
        "on": {"on": {"FLIP": "off"}}}}
      """;

  private final JsonMachineReader<Conn> reader = JsonMachineReader.of(Conn.bindings());

  @Test
  void loadsEveryJsonFileOfAFolder_findsThemById_andReportsBindingsNoMachineUses(@TempDir Path dir)
      throws IOException {
    Files.writeString(dir.resolve("a.json"), TOGGLE.formatted("first"));
    Files.writeString(dir.resolve("b.json"), TOGGLE.formatted("second"));
    Files.writeString(dir.resolve("notes.txt"), "not a machine");

    MachineCatalog<Conn> catalog = MachineCatalog.load(dir, reader);

    assertThat(catalog.machines()).containsOnlyKeys("first", "second");
    assertThat(catalog.definition("second").statePaths()).containsExactly("off", "on");
    assertThat(catalog.warnings()).contains("the action bound as \"open\" is not used by any"
        + " machine of " + dir).noneMatch(w -> w.contains("\"log\""));
    assertThatThrownBy(() -> catalog.definition("third"))
        .isInstanceOf(NoSuchElementException.class)
        .hasMessage("no machine 'third' in the catalog; it has [first, second]");
  }

  @Test
  void oneBadFile_doesNotHideTheOthersProblems_andNothingIsLoaded(@TempDir Path dir) throws IOException {
    Files.writeString(dir.resolve("a-good.json"), TOGGLE.formatted("good"));
    Files.writeString(dir.resolve("b-target.json"), TOGGLE.formatted("bad").replace("\"off\"}}", "\"of\"}}"));
    Files.writeString(dir.resolve("c-syntax.json"), "{\"id\": \"broken\",");
    Files.writeString(dir.resolve("d-binding.json"), TOGGLE.formatted("unbound").replace("\"log\"", "\"lgo\""));

    assertThatThrownBy(() -> MachineCatalog.load(dir, reader))
        .isInstanceOfSatisfying(JsonDefinitionException.class, e -> assertThat(e.problems())
            .extracting(JsonProblem::toString)
            .containsExactly(
                dir.resolve("b-target.json") + ":3:25: /states/on/on/FLIP: target \"of\" is not a state;"
                    + " did you mean \"off\"?",
                dir.resolve("c-syntax.json") + ":1:17: malformed JSON: Unexpected end-of-input"
                    + " within/between Object entries",
                dir.resolve("d-binding.json") + ":2:54: /states/off/on/FLIP/actions: no action is bound"
                    + " to the name \"lgo\"; did you mean \"log\"?"));
  }

  @Test
  void twoFilesDefiningOneId_areAnErrorNamingBoth(@TempDir Path dir) throws IOException {
    Files.writeString(dir.resolve("a.json"), TOGGLE.formatted("same"));
    Files.writeString(dir.resolve("b.json"), TOGGLE.formatted("same"));

    assertThatThrownBy(() -> MachineCatalog.load(dir, reader))
        .isInstanceOfSatisfying(JsonDefinitionException.class, e -> assertThat(e.problems())
            .extracting(JsonProblem::toString)
            .containsExactly(dir.resolve("b.json") + ":1:8: /id: machine id 'same' is already defined by "
                + dir.resolve("a.json")));
  }

  @Test
  void loadsAClassPathFolderInsideAJar(@TempDir Path dir) throws Exception {
    Path jar = dir.resolve("machines.jar");
    try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
      out.putNextEntry(new JarEntry("config/"));
      out.putNextEntry(new JarEntry("config/machines/"));
      for (String id : new String[] {"one", "two"}) {
        out.putNextEntry(new JarEntry("config/machines/" + id + ".json"));
        OutputStream entry = out;
        entry.write(TOGGLE.formatted(id).getBytes(java.nio.charset.StandardCharsets.UTF_8));
        out.closeEntry();
      }
    }
    try (java.net.URLClassLoader loader = new java.net.URLClassLoader(new java.net.URL[] {jar.toUri().toURL()}, null)) {
      MachineCatalog<Conn> catalog = MachineCatalog.loadResources(loader, "config/machines", reader);

      assertThat(catalog.machines()).containsOnlyKeys("one", "two");
    }
    assertThatThrownBy(() -> MachineCatalog.loadResources(getClass().getClassLoader(), "no/such/folder", reader))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("no folder 'no/such/folder' on the class path");
  }
}
