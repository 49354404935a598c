package dev.stator.dsl.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stator.Machine;
import dev.stator.StateSnapshot;
import dev.stator.Status;
import dev.stator.testing.TestLoop;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Machines of XState's own repositories (its examples, the fixtures of its tools, the visualizer),
 * converted to JSON the way a user would convert them (see
 * {@code src/test/resources/corpus/SOURCES.md}): each must load with
 * {@link Bindings#noOps()}, start on a {@link TestLoop}, take every event name its document
 * names, once each, in document order, and then an hour of virtual time, without failing.
 *
 * <p>What Stator cannot load yet is listed in {@link #KNOWN_GAPS}, each file with the error it
 * must give; a machine that loads but fails only because of what no-op bindings do is listed in
 * {@link #NO_OP_FAULTS}. Both lists are asserted, so a gap that is fixed fails this test until
 * its entry is removed, and the lists shrink visibly. {@code -Dstator.corpus=DIR} runs the same
 * checks on another folder of machines (the lists then apply to the files they name).
 *
 * <p>No-op bindings (see {@link Bindings#noOps()}): every action does nothing, every guard
 * holds, every call completes at once, in the step that started it, with no result, and every
 * named delay lasts one second.
 */
class RealWorldCorpusTest {

  private static final Path CORPUS =
      Path.of(System.getProperty("stator.corpus", "src/test/resources/corpus"));

  /**
   * The machines Stator does not load today: file → a part of the message it must give. Ordered
   * by file; the gap each one shows is in its comment (more than one file may show the same gap).
   */
  static final Map<String, String> KNOWN_GAPS = new TreeMap<>();

  /**
   * Machines that load but fail under no-op bindings, file → a part of the failure (a no-op guard
   * holds and a no-op call completes at once, so an {@code always} guarded by "there is more work"
   * that leads to a call whose {@code onDone} comes back may never settle). Not a gap of the
   * reader: with real bindings the guard turns false.
   */
  static final Map<String, String> NO_OP_FAULTS = new TreeMap<>();

  static Stream<String> corpus() throws IOException {
    try (Stream<Path> files = Files.list(CORPUS)) {
      return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".json")).sorted()
          .toList().stream();
    }
  }

  @Test
  void theListsNameFilesOfTheCorpus() throws IOException {
    List<String> files = corpus().toList();
    assertThat(files).as("machines in " + CORPUS).hasSizeGreaterThanOrEqualTo(6);
    assertThat(files).containsAll(KNOWN_GAPS.keySet()).containsAll(NO_OP_FAULTS.keySet());
    assertThat(Files.exists(CORPUS.resolve("SOURCES.md"))).as("SOURCES.md in " + CORPUS).isTrue();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("corpus")
  void loadsStartsAndTakesEveryEventItNames(String file) throws IOException {
    Path path = CORPUS.resolve(file);
    if (KNOWN_GAPS.containsKey(file)) {
      assertThatThrownBy(() -> JsonMachineReader.of(Bindings.noOps()).read(path))
          .as(file + " is listed in KNOWN_GAPS; if it loads now, remove it from the list")
          .isInstanceOf(JsonDefinitionException.class)
          .hasMessageContaining(KNOWN_GAPS.get(file));
      return;
    }
    JsonMachine<Object> loaded = JsonMachineReader.of(Bindings.noOps()).read(path);
    List<String> events = events(file, Files.readString(path));
    List<String> failures = new ArrayList<>();
    try (TestLoop loop = TestLoop.create()) {
      Machine<Object> machine = loop.start(loaded.definition(), new Object());
      check(machine, "the start", failures);
      for (String event : events) {
        if (!failures.isEmpty() || machine.state().status() != Status.RUNNING) {
          break;
        }
        machine.send(event);
        check(machine, "event " + event, failures);
      }
      if (failures.isEmpty() && machine.state().status() == Status.RUNNING) {
        loop.advance(Duration.ofHours(1));
        check(machine, "an hour of virtual time", failures);
      }
    }
    if (NO_OP_FAULTS.containsKey(file)) {
      assertThat(failures)
          .as(file + " is listed in NO_OP_FAULTS; if it no longer fails, remove it from the list")
          .singleElement().asString().contains(NO_OP_FAULTS.get(file));
    } else {
      assertThat(failures).as(file + " with no-op bindings, events " + events).isEmpty();
    }
  }

  private static void check(Machine<Object> machine, String after, List<String> failures) {
    StateSnapshot state = machine.state();
    if (state.status() == Status.FAILED) {
      failures.add("failed after " + after + ": " + state.failure());
    }
  }

  /**
   * The events a document names in `on` (the root's and every state's), in document order, once
   * each: not descriptors ("*", "a.*"), the empty name, nor done and XState events, which the
   * machine raises itself.
   */
  static List<String> events(String file, String json) {
    List<JsonProblem> problems = new ArrayList<>();
    Node root = new JsonTree(JsonLimits.DEFAULTS)
        .parse(file, new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)), problems);
    assertThat(problems).as("problems parsing " + file).isEmpty();
    Set<String> events = new LinkedHashSet<>();
    collect(root, events);
    return List.copyOf(events);
  }

  private static void collect(Node state, Set<String> events) {
    if (state.kind != Node.Kind.OBJECT) {
      return;
    }
    Node on = state.get("on");
    if (on != null && on.kind == Node.Kind.OBJECT) {
      for (Node.Member member : on.members) {
        String name = member.name();
        if (!name.isEmpty() && !name.contains("*") && !name.startsWith("done.")
            && !name.startsWith("xstate.")) {
          events.add(name);
        }
      }
    }
    Node states = state.get("states");
    if (states != null && states.kind == Node.Kind.OBJECT) {
      for (Node.Member child : states.members) {
        collect(child.value(), events);
      }
    }
  }

  @Test
  void theEventsOfADocument_areItsOnKeys_inDocumentOrder_onceEach() {
    String json = """
        {"initial": "a", "on": {"RESET": ".a", "*": {}},
         "states": {"a": {"on": {"GO": "b", "": "b", "mouse.*": {}}},
                    "b": {"on": {"GO": "a", "done.state.x": "a", "BACK": "a"}}}}
        """;
    assertThat(events("inline.json", json)).containsExactly("RESET", "GO", "BACK");
  }
}
