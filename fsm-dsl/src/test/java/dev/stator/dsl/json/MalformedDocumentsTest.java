package dev.stator.dsl.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The corpus of malformed and hostile documents in {@code src/test/resources/json/invalid}: each
 * {@code NAME.json} must be refused with exactly the problems listed in {@code NAME.errors}, one per
 * line as {@code LINE:COLUMN: POINTER: MESSAGE}, in document order.
 */
final class MalformedDocumentsTest {

  static final Path CORPUS = Path.of("src/test/resources/json/invalid");

  static Stream<Path> documents() throws IOException {
    List<Path> files;
    try (Stream<Path> listing = Files.list(CORPUS)) {
      files = listing.filter(p -> p.toString().endsWith(".json")).sorted().toList();
    }
    assertThat(files).as("the corpus").hasSizeGreaterThanOrEqualTo(40);
    return files.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("documents")
  void eachDocumentIsRefusedWithExactlyItsExpectedProblems(Path document) throws IOException {
    String name = document.getFileName().toString();
    Path expectedFile = document.resolveSibling(name.replace(".json", ".errors"));
    List<String> expected = Files.readAllLines(expectedFile, StandardCharsets.UTF_8).stream()
        .filter(line -> !line.isBlank()).toList();
    JsonMachineReader<Conn> reader = JsonMachineReader.of(Conn.bindings());

    assertThatThrownBy(() -> reader.read(document))
        .isInstanceOfSatisfying(JsonDefinitionException.class, refused -> {
          assertThat(refused.problems()).allSatisfy(p -> assertThat(p.source()).isEqualTo(document.toString()));
          assertThat(refused.problems().stream().map(MalformedDocumentsTest::located).toList())
              .containsExactlyElementsOf(expected);
        });
  }

  static String located(JsonProblem problem) {
    return problem.line() + ":" + problem.column() + ": "
        + (problem.pointer().isEmpty() ? "" : problem.pointer() + ": ") + problem.message();
  }
}
