package dev.stator.dsl.json;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stator.MachineDefinition;
import dev.stator.RecoveryPolicy;
import dev.stator.UnhandledEventPolicy;
import dev.stator.model.Action;
import dev.stator.model.MachineSpec;
import dev.stator.model.StateSpec;
import dev.stator.model.TransitionSpec;
import dev.stator.model.Trigger;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Names, descriptions, tags and params holding what JSON must escape (quotes, backslashes, every
 * control character), what the library escapes besides (DEL, C1 controls, line and paragraph
 * separators) and what it must not mangle (non-ASCII, non-BMP characters as surrogate pairs) are
 * written so that reading the document back gives the same machine.
 */
final class JsonWriterEscapingTest {

  /** Every character the writer must escape or keep intact, between ordinary ones. */
  static final String AWKWARD = "say \"hi\" \\ C:\\dir\\ "
      + controls()
      + " \u007f \u0080\u0085\u009f \u00a0 \u2028 \u2029 é 中 "
      // U+1D11E MUSICAL SYMBOL G CLEF and U+1F600 GRINNING FACE, outside the BMP
      + "\ud834\udd1e \ud83d\ude00 end";

  private static String controls() {
    StringBuilder all = new StringBuilder();
    for (char c = 0; c < 0x20; c++) {
      all.append(c);
    }
    return all.toString();
  }

  /** The context: what ran. */
  static final class Log {
    final List<String> ran = new ArrayList<>();
  }

  static final Action<Log, Object> AWKWARD_ACTION = (log, step) -> log.ran.add("awkward");
  static final Bindings<Log> BINDINGS = Bindings.<Log>builder()
      .action("act " + AWKWARD, AWKWARD_ACTION)
      .action("with params", (ParameterizedAction<Log>) (log, step, params) ->
          log.ran.add(params.string("text")))
      .build();

  @Test
  void awkwardNamesDescriptionsAndTags_writtenAndReadBack_giveTheSameSpec() {
    String first = "s " + AWKWARD;
    String second = "t " + AWKWARD;
    StateSpec<Log> from = new StateSpec<>(first, null, StateSpec.Type.NORMAL, null, List.of(),
        List.of(AWKWARD_ACTION), List.of(AWKWARD_ACTION),
        List.of(new TransitionSpec<>(new Trigger.OnEvent("go " + AWKWARD), null, second, false,
            List.of(AWKWARD_ACTION))),
        List.of(), null, "a/b " + AWKWARD, List.of("tag " + AWKWARD, "plain"));
    StateSpec<Log> to = new StateSpec<>(second, null, StateSpec.Type.NORMAL, null, List.of(),
        List.of(), List.of(), List.of(), List.of(), null, AWKWARD, List.of());
    MachineSpec<Log> spec = new MachineSpec<>("m " + AWKWARD, first, List.of(from, to),
        UnhandledEventPolicy.IGNORE, RecoveryPolicy.exit());

    String written = JsonMachineWriter.write(MachineDefinition.compile(spec), BINDINGS);
    MachineSpec<Log> readBack = JsonMachineReader.of(BINDINGS).read("awkward.json", written)
        .definition().spec();

    assertThat(readBack.id()).isEqualTo(spec.id());
    assertThat(readBack.initial()).isEqualTo(spec.initial());
    assertThat(readBack.states()).isEqualTo(spec.states());
    assertThat(JsonMachineWriter.write(MachineDefinition.compile(readBack), BINDINGS))
        .isEqualTo(written);
    // the escapes the library has always written (JsonValue.quote: one rule for every string)
    StringBuilder quoted = new StringBuilder();
    JsonValue.quote(quoted, "a/b " + AWKWARD);
    assertThat(written).contains("\"description\": " + quoted)
        // non-BMP characters as themselves, not as escaped surrogates; '/' unescaped
        .contains("\ud834\udd1e \ud83d\ude00", "a/b")
        .contains("\\\"hi\\\"", "C:\\\\dir\\\\", "\\u0000", "\\u001f", "\\n", "\\u007f", "\\u0085",
            "\\u2028", "\\u2029")
        .doesNotContain("\\ud834", "\\/");
    assertThat(written.chars().filter(c -> c < 0x20 && c != '\n')).isEmpty();
  }

  @Test
  void awkwardStringsInParams_writtenAndReadBack_giveTheSameValue() {
    // a document written by hand with JSON's own escapes: the short ones, six-character ones
    // and a surrogate pair
    String document = """
        {
          "id": "params",
          "initial": "a",
          "states": {
            "a": {
              "entry": {"type": "with params", "params": {
                "text": "q\\"b\\\\ \\b\\f\\n\\r\\t \\u0001\\u007f\\u2028 \\ud834\\udd1e \u00e9",
                "list": ["\\"", 1e3, true, null]}}
            }
          }
        }
        """;
    JsonMachine<Log> read = JsonMachineReader.of(BINDINGS).read("params.json", document);

    String written = JsonMachineWriter.write(read.definition(), BINDINGS);
    JsonMachine<Log> again = JsonMachineReader.of(BINDINGS).read("again.json", written);

    assertThat(written).contains("\"params\": {\"text\":\"q\\\"b\\\\ \\u0008\\u000c\\n\\r\\t"
        + " \\u0001\\u007f\\u2028 \ud834\udd1e \u00e9\",\"list\":[\"\\\"\",1e3,true,null]}");
    assertThat(params(again)).isEqualTo(params(read));
    assertThat(params(again).string("text"))
        .isEqualTo("q\"b\\ \b\f\n\r\t \u0001\u007f\u2028 \ud834\udd1e \u00e9");
    assertThat(JsonMachineWriter.write(again.definition(), BINDINGS)).isEqualTo(written);
  }

  /** The params the state's entry action was written with. */
  private static JsonValue params(JsonMachine<Log> machine) {
    Action<Log, Object> entry = machine.definition().spec().states().get(0).entry().get(0);
    return ((BoundCode.ParamAction<?>) entry).params();
  }
}
