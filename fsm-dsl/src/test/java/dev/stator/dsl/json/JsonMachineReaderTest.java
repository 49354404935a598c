package dev.stator.dsl.json;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stator.Machine;
import dev.stator.MachineListener;
import dev.stator.testing.TestLoop;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

final class JsonMachineReaderTest {

  /**
   * Binds, with no-op code, exactly the names that {@code BINDINGS.md} lists for one example file:
   * so a machine that loads with no warning proves the list complete and exact.
   */
  static Bindings<Object> bindingsListedFor(String file) throws IOException {
    String listing = Files.readString(Repository.exampleMachines().resolve("BINDINGS.md"));
    int start = listing.indexOf("## " + file);
    int end = listing.indexOf("\n## ", start + 1);
    String section = listing.substring(start, end < 0 ? listing.length() : end);
    Bindings.Builder<Object> bindings = Bindings.builder();
    for (String row : section.lines().filter(l -> l.startsWith("| ") && !l.startsWith("| kind")).toList()) {
      String kind = row.substring(2, row.indexOf(" |", 2)).trim();
      // a name, then perhaps a remark in parentheses whose first word is a call's kind
      Matcher names = Pattern.compile("`(\\w+)`(?: \\((\\w+)[^)]*\\))?").matcher(row);
      while (names.find()) {
        String name = names.group(1);
        switch (kind) {
          case "actions" -> bindings.action(name, (Object c) -> { });
          case "guards" -> bindings.guard(name, (Object c) -> true);
          case "calls" -> {
            switch (names.group(2)) {
              case "sync" -> bindings.call(name, (c, step) -> null);
              case "async" -> bindings.callAsync(name,
                  (c, step) -> CompletableFuture.completedFuture(null));
              default -> bindings.callBlocking(name, c -> () -> null);
            }
          }
          case "context factories" -> bindings.context(name, Object::new);
          case "hooks" -> bindings.hook(name, (c, failure) -> { });
          default -> throw new IllegalStateException("unknown kind in BINDINGS.md: " + kind);
        }
      }
    }
    return bindings.build();
  }

  @ParameterizedTest
  @ValueSource(strings = {"connection.json", "traffic-light.json", "order-workflow.json"})
  void everyExampleMachine_loadsWithExactlyTheBindingsItsListingNames(String file) throws IOException {
    JsonMachine<Object> machine = JsonMachineReader.of(bindingsListedFor(file))
        .read(Repository.exampleMachines().resolve(file));

    assertThat(machine.warnings()).isEmpty();
    assertThat(machine.id()).isEqualTo(file.replace(".json", ""));
  }

  @Test
  void bindingsTheMachineNeverNames_andUnreachableStates_areWarnings() {
    String json = """
        {"id": "w", "initial": "a", "states": {
          "a": {"entry": "open", "on": {"GO": {"target": "b", "guard": "hasRetriesLeft"}}},
          "b": {},
          "island": {}}}
        """;

    JsonMachine<Conn> machine = JsonMachineReader.of(Conn.bindings()).read("w.json", json);

    assertThat(machine.warnings())
        .contains("the action bound as \"close\" is not used by machine 'w'",
            "the call bound as \"dial\" is not used by machine 'w'",
            "the hook bound as \"sayGoodbye\" is not used by machine 'w'")
        .anyMatch(w -> w.startsWith("w.json: ") && w.contains("island"))
        .noneMatch(w -> w.contains("\"open\"") || w.contains("\"hasRetriesLeft\""));
  }

  @Test
  void everyDurationForm_givesTheSameDelay_andEveryTargetFormNamesItsState() {
    Path file = Path.of("src/test/resources/json/valid/durations-and-targets.json");
    List<String> trace = new ArrayList<>();
    TestLoop loop = TestLoop.create();
    Machine<Conn> machine = loop.start(JsonMachineReader.of(Bindings.<Conn>builder().build())
        .read(file).definition(), "t", new Conn(), new MachineListener<>() {
          @Override
          public void onTransition(Machine<Conn> m, String from, Object event, String to) {
            trace.add(loop.elapsed().toMillis() + " " + to);
          }
        });

    loop.advance(Duration.ofMinutes(2));

    // "#timing.b" from the machine's id, "c" a sibling, "outer.d" a sibling's child, ".x" a child
    // of the source, "#e" a unique name (as before ids), "#last.f" a child of the state with id
    // "last", and "onDone" when e's final child is entered
    assertThat(trace).containsExactly("0 a", "1500 b", "3000 c", "4500 outer/d/y", "6000 outer/d/x",
        "66000 e/e1", "67500 e/f", "67500 g");
    assertThat(machine.lifecycle()).isCompleted();
  }

  @Test
  void aDocumentReadFromAFile_namesTheFileInEveryProblem(@org.junit.jupiter.api.io.TempDir Path dir)
      throws IOException {
    Path file = dir.resolve("conn.json");
    Files.writeString(file, "{\"id\": \"conn\", \"initial\": \"idle\",\n \"states\": {\"idle\": {\"on\": {\"GO\": \"idel\"}}}}");

    org.assertj.core.api.Assertions.assertThatThrownBy(() -> JsonMachineReader.of(Conn.bindings()).read(file))
        .isInstanceOf(JsonDefinitionException.class)
        .hasMessage("1 problem in JSON machine definitions:\n  " + file
            + ":2:35: /states/idle/on/GO: target \"idel\" is not a state; did you mean \"idle\"?");
  }

  @Test
  void writingTheExampleMachines_givesDocumentsThatReadBackAndWriteTheSame() throws IOException {
    for (String file : List.of("connection.json", "traffic-light.json", "order-workflow.json")) {
      Bindings<Object> bindings = bindingsListedFor(file);
      JsonMachineReader<Object> reader = JsonMachineReader.of(bindings);
      JsonMachine<Object> machine = reader.read(Repository.exampleMachines().resolve(file));

      String written = JsonMachineWriter.write(machine.definition(), bindings);
      JsonMachine<Object> again = reader.read(file, written);

      assertThat(again.definition().statePaths()).isEqualTo(machine.definition().statePaths());
      assertThat(JsonMachineWriter.write(again.definition(), bindings)).isEqualTo(written);
    }
  }

  @Test
  void xstateKeys_withoutAnId_condAndObjectFormsAndOneElementArrays_areRead() {
    JsonMachine<Conn> loaded = JsonMachineReader.of(Conn.bindings())
        .read(Path.of("src/test/resources/json/valid/xstate-keys.json"));
    // no "id": the file's name stands in
    assertThat(loaded.definition().id()).isEqualTo("xstate-keys");
    TestLoop loop = TestLoop.create();
    Conn conn = new Conn();
    Machine<Conn> machine = loop.start(loaded.definition(), conn);

    conn.retries = 3;
    machine.send("GO");
    // cond {"type": "hasRetriesLeft"} does not hold: the plain "idle" after it is taken
    assertThat(machine.state().path()).isEqualTo("idle");
    conn.retries = 0;
    machine.send("GO");
    assertThat(machine.state().path()).isEqualTo("busy/a");
    // the entry action {"type": "log"} ran, with the event of the step
    assertThat(conn.log).containsExactly("event GO");
  }

  @Test
  void xstate4Options_areIgnoredWithAWarning() {
    JsonMachine<Object> loaded = JsonMachineReader.of(Bindings.noOps()).read("v4.json", """
        {"id": "v4", "predictableActionArguments": true, "preserveActionOrder": true,
         "tsTypes": {}, "initial": "a", "states": {"a": {}}}
        """);

    assertThat(loaded.warnings()).containsExactly(
        "v4.json: /predictableActionArguments: \"predictableActionArguments\" is ignored: XState 4's"
            + " option; Stator always runs actions in order, when their transition is taken",
        "v4.json: /preserveActionOrder: \"preserveActionOrder\" is ignored: XState 4's option;"
            + " Stator always runs actions in document order",
        "v4.json: /tsTypes: \"tsTypes\" is ignored: type information for TypeScript");
  }
}
