package dev.stator.dsl.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.dialect.Dialects;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Keeps {@code docs/stator-machine.schema.json} and the repository's JSON machines in step: every
 * machine in a folder of valid examples must conform to the schema, and documents the format
 * refuses must not.
 *
 * <p>The schema checks structure only. Whether targets name states and names have bindings is the
 * loader's job and is tested with the loader.
 */
final class SchemaTest {

  private static final String SCHEMA_FILE = "docs/stator-machine.schema.json";
  private static final String SCHEMA_ID = "https://stator.dev/schema/machine.json";

  /**
   * Folders, relative to the repository root, whose JSON files must all be valid machines (but the
   * real machines of the corpus the loader refuses: {@link RealWorldCorpusTest#KNOWN_GAPS}).
   */
  private static final List<String> VALID_FOLDERS = List.of(
      "examples/src/main/resources/machines",
      "fsm-dsl/src/test/resources/json/valid",
      "fsm-dsl/src/test/resources/xstate", "fsm-dsl/src/test/resources/corpus");

  private static final Path ROOT = Repository.root();
  private static final Schema SCHEMA = loadSchema();

  @Test
  void everyValidMachineInTheRepository_conformsToTheSchema() throws IOException {
    List<Path> files = validMachineFiles();
    assertThat(files)
        .as("JSON files under %s (the test must not pass on an empty folder)", VALID_FOLDERS)
        .hasSizeGreaterThanOrEqualTo(3);

    List<String> failures = new ArrayList<>();
    for (Path file : files) {
      List<String> messages = validate(Files.readString(file));
      if (!messages.isEmpty()) {
        failures.add(ROOT.relativize(file) + ":\n    " + String.join("\n    ", messages));
      }
    }
    if (!failures.isEmpty()) {
      fail(failures.size() + " of " + files.size() + " machines do not conform to " + SCHEMA_FILE
          + ":\n  " + String.join("\n  ", failures));
    }
  }

  @Test
  void aStateWithAnUnknownKeyAndAMalformedDuration_isRejected() {
    List<String> messages = validate("""
        {
          "id": "bad",
          "initial": "waiting",
          "states": {
            "waiting": {
              "onEnter": "ring",
              "after": { "5 seconds": "done" }
            },
            "done": { "type": "final" }
          }
        }
        """);

    assertThat(messages)
        .anySatisfy(message -> assertThat(message).contains("onEnter"))
        .anySatisfy(message -> assertThat(message).contains("5 seconds"));
  }

  @Test
  void theSchemaShipsInTheJar_asTheDocumentedFile() throws IOException {
    // a path outside any package: readable from the class path and from the module path alike
    try (java.io.InputStream in = JsonMachineReader.class.getClassLoader()
        .getResourceAsStream("META-INF/stator-machine.schema.json")) {
      assertThat(in).as("META-INF/stator-machine.schema.json on the class path").isNotNull();
      assertThat(new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8))
          .isEqualTo(Files.readString(ROOT.resolve("docs/stator-machine.schema.json")));
    }
  }

  @Test
  void aMinimalMachine_conforms() {
    assertThat(validate(machineWithState("{\"on\": {\"GO\": \"done\"}}"))).isEmpty();
  }

  @Test
  void eventDescriptorsAndTags_conform() {
    assertThat(validate(machineWithState(
        "{\"tags\": [\"busy\"], \"on\": {\"*\": \"done\", \"mouse.*\": \"done\"}}"))).isEmpty();
  }

  @Test
  void reenter_conformsOnTransitionsWithATarget() {
    assertThat(validate(machineWithState(
        "{\"on\": {\"GO\": {\"target\": \"done\", \"reenter\": true}}}"))).isEmpty();
    assertThat(validate(machineWithState(
        "{\"on\": {\"GO\": {\"target\": \"done\", \"reenter\": false}}}"))).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "{\"entry\": {\"type\": \"log\", \"params\": {\"level\": 2}}}",
      "{\"on\": {\"GO\": {\"target\": \"done\", \"guard\": {\"type\": \"above\", \"params\": 3}}}}",
      "{\"invoke\": {\"src\": \"fetch\", \"input\": {\"user\": 42}}}",
      "{\"after\": {\"shortDelay\": \"done\", \"250ms\": \"done\"}}"
  })
  void paramsInputAndNamedDelays_conform(String state) {
    assertThat(validate(machineWithState(state))).isEmpty();
  }

  @Test
  void theOutputOfAFinalState_conforms() {
    assertThat(validate("""
        {"initial": "a", "states": {"a": {"type": "final", "output": {"ok": [1, "x"]}}}}
        """)).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "{\"type\": \"parallel\"}",
      "{\"type\": \"parallel\", \"initial\": \"a\", \"states\": {\"a\": {}, \"b\": {}}}",
      "{\"type\": \"history\", \"history\": \"deeep\"}",
      "{\"type\": \"history\", \"on\": {\"GO\": \"done\"}}",
      "{\"target\": \"done\"}",
      "{\"id\": \"a.b\"}",
      "{\"type\": \"final\", \"onDone\": \"done\"}",
      "{\"on\": {\"GO\": {\"target\": \"done\", \"cond\": \"ready\", \"guard\": \"ready\"}}}",
      "{\"on\": {\"GO\": {\"target\": \"done\", \"guard\": {\"type\": \"ready\", \"args\": {}}}}}",
      "{\"output\": {\"ok\": true}}",
      "{\"after\": {\"P1D2\": \"done\"}}",
      "{\"invoke\": {\"src\": \"fetch\", \"inputs\": {}}}",
      "{\"entry\": [{\"kind\": \"ring\"}]}",
      "{\"on\": {\"GO\": {\"target\": []}}}",
      "{\"on\": {\"GO\": {\"internal\": true}}}",
      "{\"on\": {\"GO\": {\"reenter\": true}}}",
      "{\"on\": {\"mouse*\": \"done\"}}",
      "{\"on\": {\"a.*.b\": \"done\"}}",
      "{\"tags\": [\"\"]}",
      "{\"on\": {\"GO\": {\"target\": \"done\", \"reenter\": \"yes\"}}}",
      "{\"on\": {\"GO\": {\"target\": \"done\", \"reenter\": true, \"internal\": false}}}",
      "{\"onError\": {\"error\": \"java.io.IOException\", \"target\": \"done\", \"reenter\": false}}",
      "{\"after\": {\"-5s\": \"done\"}}",
      "{\"after\": {\"5 seconds\": \"done\"}}",
      "{\"onError\": {\"target\": \"done\"}}",
      "{\"onError\": {\"error\": \"java.io.IOException\"}}",
      "{\"invoke\": {\"src\": \"fetch\", \"timeout\": 0}}",
      "{\"invoke\": {\"timeout\": \"5s\"}}",
      "{\"states\": {\"inner\": {}}}",
      "{\"type\": \"compound\"}"
  })
  void aStateTheFormatRefuses_isRejected(String state) {
    assertThat(validate(machineWithState(state))).isNotEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "\"reset\"",
      "{\"type\": \"com.example.MyPolicy\"}",
      "{\"type\": \"reset\"}",
      "{\"type\": \"reset\", \"context\": \"fresh\", \"jitter\": 1.5}",
      "{\"type\": \"shutdown\", \"hook\": \"close\"}",
      "{\"type\": \"byError\", \"cases\": [{\"error\": \"java.io.IOException\"}]}"
  })
  void aRecoveryPolicyTheFormatRefuses_isRejected(String policy) {
    String machine = """
        {"id": "bad", "initial": "done", "states": {"done": {"type": "final"}}, "recovery": %s}
        """.formatted(policy);

    assertThat(validate(machine)).isNotEmpty();
  }

  private static String machineWithState(String state) {
    return """
        {"id": "m", "initial": "waiting", "states": {"waiting": %s, "done": {"type": "final"}}}
        """.formatted(state);
  }

  /** The schema's messages for a document, or one message if it is not JSON at all. */
  private static List<String> validate(String json) {
    try {
      return SCHEMA.validate(json, InputFormat.JSON).stream().map(Object::toString).toList();
    } catch (RuntimeException e) {   // Jackson 3 reports malformed JSON with unchecked exceptions
      return List.of("not readable as JSON: " + e.getMessage());
    }
  }

  private static List<Path> validMachineFiles() throws IOException {
    List<Path> files = new ArrayList<>();
    for (String folder : VALID_FOLDERS) {
      Path dir = ROOT.resolve(folder);
      if (Files.isDirectory(dir)) {
        try (Stream<Path> walk = Files.walk(dir)) {
          walk.filter(Files::isRegularFile)
              .filter(path -> path.getFileName().toString().endsWith(".json"))
              // the real machines the loader refuses too, each for a reason it names
              .filter(path -> !RealWorldCorpusTest.KNOWN_GAPS.containsKey(
                  path.getFileName().toString()))
              .sorted()
              .forEach(files::add);
        }
      }
    }
    return files;
  }

  private static Schema loadSchema() {
    String text;
    try {
      text = Files.readString(ROOT.resolve(SCHEMA_FILE));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    SchemaRegistry registry = SchemaRegistry.withDialect(Dialects.getDraft202012(),
        builder -> builder.schemas(Map.of(SCHEMA_ID, text)));
    return registry.getSchema(SchemaLocation.of(SCHEMA_ID));
  }
}
