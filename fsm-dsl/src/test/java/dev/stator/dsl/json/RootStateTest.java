package dev.stator.dsl.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stator.Machine;
import dev.stator.Status;
import dev.stator.testing.TestLoop;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The root as a state, as XState has it: its entry and exit actions and its delayed transitions,
 * and the exit actions of top-level final states, which run as the machine completes. The machine
 * is the conformance corpus's {@code xstate/root-state.json}, which XState runs too.
 */
final class RootStateTest {

  private static final Path KIOSK = Path.of("src/test/resources/xstate/root-state.json");

  /** The context: the actions run, and the flags the guards read. */
  static final class Kiosk {
    final List<String> ran = new ArrayList<>();
    final Set<String> flags = new HashSet<>();
  }

  private final TestLoop loop = TestLoop.create();

  @AfterEach
  void close() {
    loop.close();
  }

  static Bindings<Kiosk> bindings() {
    Bindings.Builder<Kiosk> builder = Bindings.builder();
    for (String name : List.of("bootRoot", "shutdownRoot", "lockTimeout", "sessionExpired",
        "sessionKept", "idleEntry", "idleExit", "browsingEntry", "browsingExit", "paidEntry",
        "paidExit", "paidExit2", "closedExit", "helpSwallows")) {
      builder.action(name, kiosk -> kiosk.ran.add(name));
    }
    return builder
        .action("note", (ParameterizedAction<Kiosk>) (kiosk, step, params) -> kiosk.ran.add("note" + params))
        .action("setLocked", kiosk -> kiosk.flags.add("Locked"))
        .action("clearLocked", kiosk -> kiosk.flags.remove("Locked"))
        .action("setBusy", kiosk -> kiosk.flags.add("Busy"))
        .action("clearBusy", kiosk -> kiosk.flags.remove("Busy"))
        .guard("isLocked", kiosk -> kiosk.flags.contains("Locked"))
        .guard("notBusy", kiosk -> !kiosk.flags.contains("Busy"))
        .delay("sessionEnd2500", Duration.ofMillis(2500))
        .build();
  }

  private Machine<Kiosk> start(Kiosk kiosk) {
    return loop.start(JsonMachineReader.of(bindings()).read(KIOSK).definition(), kiosk);
  }

  @Test
  void theRootsEntry_runsOnceAtTheStart_beforeTheInitialStatesOwn_andNotWhenItIsEnteredAgain() {
    Kiosk kiosk = new Kiosk();
    Machine<Kiosk> machine = start(kiosk);
    assertThat(kiosk.ran).containsExactly("bootRoot", "note{\"root\":\"entry\"}", "idleEntry");

    machine.send("TOUCH");
    machine.send("IDLE");

    assertThat(kiosk.ran).containsExactly("bootRoot", "note{\"root\":\"entry\"}", "idleEntry",
        "idleExit", "browsingEntry", "browsingExit", "idleEntry");
  }

  @Test
  void theRootsDelay_outlivesTheTopLevelStates_andItsTransitionExitsTheActiveOne() {
    Kiosk kiosk = new Kiosk();
    Machine<Kiosk> machine = start(kiosk);
    loop.advance(Duration.ofMillis(400));
    machine.send("PICK");
    kiosk.ran.clear();

    loop.advance(Duration.ofMillis(2100));

    assertThat(machine.state().activeStates()).containsExactly("idle");
    assertThat(kiosk.ran).containsExactly("browsingExit", "sessionExpired", "idleEntry");
  }

  @Test
  void aWildcardOfTheActiveState_takesTheRootsTimerEventFirst_asInXState() {
    Kiosk kiosk = new Kiosk();
    Machine<Kiosk> machine = start(kiosk);
    machine.send("TOUCH");
    machine.send("HELP");
    kiosk.ran.clear();

    loop.advance(Duration.ofMillis(2500));

    // both root timers (900 and 2500 ms) fired, and help's "*" took each
    assertThat(machine.state().activeStates()).containsExactly("browsing/help");
    assertThat(kiosk.ran).containsExactly("helpSwallows", "helpSwallows");
  }

  @Test
  void aRootDelayWhoseGuardsFail_doesNothing_andIsNotAnUnhandledEvent() {
    String json = """
        {"id": "quiet", "initial": "a", "unhandled": "fault", "after": {"1s": {"target": ".b", "guard": "no"}},
         "states": {"a": {}, "b": {}}}
        """;
    Bindings<Object> bindings = Bindings.builder().guard("no", context -> false).build();
    Machine<Object> machine = loop.start(JsonMachineReader.of(bindings).read("quiet.json", json)
        .definition(), new Object());

    loop.advance(Duration.ofSeconds(2));

    assertThat(machine.state().status()).isEqualTo(Status.RUNNING);
    assertThat(machine.state().activeStates()).containsExactly("a");
  }

  @Test
  void completingTheMachine_runsTheFinalStatesExitActions_thenTheRoots() {
    Kiosk kiosk = new Kiosk();
    Machine<Kiosk> machine = start(kiosk);
    machine.send("TOUCH");
    kiosk.ran.clear();

    machine.send("PAY");

    assertThat(machine.lifecycle()).isCompleted();
    assertThat(kiosk.ran).containsExactly("browsingExit", "paidEntry", "paidExit", "paidExit2",
        "shutdownRoot");
  }

  @Test
  void theWriter_writesTheRootsEntryExitAndDelaysBackAtTheRoot() {
    Bindings<Kiosk> bindings = bindings();
    JsonMachine<Kiosk> loaded = JsonMachineReader.of(bindings).read(KIOSK);

    String written = JsonMachineWriter.write(loaded.definition(), bindings);
    JsonMachine<Kiosk> again = JsonMachineReader.of(bindings).read("again.json", written);

    assertThat(JsonMachineWriter.write(again.definition(), bindings)).isEqualTo(written);
    Node root = new JsonTree(JsonLimits.DEFAULTS).parse("written", new java.io.ByteArrayInputStream(
        written.getBytes(java.nio.charset.StandardCharsets.UTF_8)), new ArrayList<>());
    assertThat(root.get("entry").items).hasSize(2);
    assertThat(root.get("exit").text).isEqualTo("shutdownRoot");
    assertThat(root.get("after").members).extracting(Node.Member::name)
        .containsExactly("900", "sessionEnd2500");
    assertThat(root.get("states").get("paid").get("exit").items).extracting(n -> n.text)
        .containsExactly("paidExit", "paidExit2");
    assertThat(root.get("states").get("idle").get("entry").text).isEqualTo("idleEntry");
  }

  @Test
  void aMachineBuiltInJava_withExitActionsOnATopLevelFinalState_isWrittenAndReadBack() {
    // the engine runs them as the machine completes, so JSON writes them where they were
    Bindings<Kiosk> bindings = bindings();
    dev.stator.model.Action<Kiosk, Object> closedExit = (dev.stator.model.Action<Kiosk, Object>)
        bindings.lookup(Bindings.Kind.ACTION, "closedExit");
    dev.stator.model.MachineSpec<Kiosk> spec = new dev.stator.model.MachineSpec<>("java", "a",
        List.of(new dev.stator.model.StateSpec<>("a", false, null, List.of(), List.of(), List.of(),
                List.of(new dev.stator.model.TransitionSpec<>(new dev.stator.model.Trigger.OnEvent("GO"),
                    null, "b", false, List.of())), List.of(), null),
            new dev.stator.model.StateSpec<>("b", true, null, List.of(), List.of(),
                List.of(closedExit), List.of(), List.of(), null)),
        dev.stator.UnhandledEventPolicy.IGNORE, dev.stator.RecoveryPolicy.exit());

    String json = JsonMachineWriter.write(dev.stator.MachineDefinition.compile(spec), bindings);
    Kiosk kiosk = new Kiosk();
    Machine<Kiosk> machine = loop.start(JsonMachineReader.of(bindings).read("java.json", json)
        .definition(), kiosk);
    machine.send("GO");

    assertThat(json).contains("\"exit\": \"closedExit\"");
    assertThat(machine.state().status()).isEqualTo(Status.COMPLETED);
    assertThat(kiosk.ran).containsExactly("closedExit");
  }

  @Test
  void theRootsInvoke_isMadeAtTheStart_andItsOnDoneIsTakenFromAnyTopLevelState() {
    String json = """
        {"id": "shop", "initial": "waiting",
         "invoke": {"src": "quote", "input": {"item": 7}, "onDone": ".quoted",
                    "onError": {"target": ".failed"}},
         "states": {
           "waiting": {"on": {"NEXT": "browsing"}},
           "browsing": {},
           "quoted": {"type": "final"},
           "failed": {"type": "final"}}}
        """;
    List<String> calls = new ArrayList<>();
    Bindings<Kiosk> bindings = Bindings.<Kiosk>builder()
        .call("quote", (InputCall.Sync<Kiosk, JsonValue>) (kiosk, step, input) -> {
          calls.add(String.valueOf(input));
          return input;
        })
        .build();
    JsonMachine<Kiosk> loaded = JsonMachineReader.of(bindings).read("shop.json", json);
    Machine<Kiosk> machine = loop.start(loaded.definition(), new Kiosk());

    assertThat(calls).containsExactly("{\"item\":7}");
    assertThat(machine.state().path()).isEqualTo("quoted");

    String written = JsonMachineWriter.write(loaded.definition(), bindings);
    assertThat(written).contains("\"invoke\"");
    JsonMachine<Kiosk> again = JsonMachineReader.of(bindings).read("again.json", written);
    assertThat(again.definition().spec().invocations()).hasSize(1);
    assertThat(loop.start(again.definition(), new Kiosk()).state().path()).isEqualTo("quoted");
  }

  @Test
  void aParallelRoot_entersEveryRegion_andCompletesWithTheRootsOutput_whenEveryRegionIsFinal()
      throws Exception {
    String json = """
        {"id": "pair", "type": "parallel", "output": {"result": "both"},
         "states": {
           "left":  {"initial": "a", "states": {"a": {"on": {"GO": "end"}}, "end": {"type": "final"}}},
           "right": {"initial": "b", "states": {"b": {"on": {"GO": "end"}}, "end": {"type": "final"}}}}}
        """;
    Machine<Kiosk> machine = loop.start(JsonMachineReader.of(bindings()).read("pair.json", json)
        .definition(), new Kiosk());
    assertThat(machine.state().activeStates()).containsExactly("left/a", "right/b");

    machine.send("GO");

    dev.stator.Termination<Kiosk> end = machine.lifecycle().toCompletableFuture().getNow(null);
    assertThat(end.status()).isEqualTo(Status.COMPLETED);
    assertThat(end.output()).hasToString("{\"result\":\"both\"}");
  }

  @Test
  void aParallelRoot_withAnInitialState_orARootOfAnotherType_isRefusedAtTheKey() {
    String withInitial = """
        {"id": "pair", "type": "parallel", "initial": "left",
         "states": {"left": {}, "right": {}}}
        """;
    String atomic = """
        {"id": "pair", "type": "atomic", "initial": "left", "states": {"left": {}}}
        """;

    assertThatThrownBy(() -> JsonMachineReader.of(Bindings.noOps()).read("p.json", withInitial))
        .isInstanceOf(JsonDefinitionException.class)
        .hasMessageContaining("p.json:1:47: /initial: a parallel machine enters all its"
            + " top-level states together, its regions; remove \"initial\"");
    assertThatThrownBy(() -> JsonMachineReader.of(Bindings.noOps()).read("a.json", atomic))
        .isInstanceOf(JsonDefinitionException.class)
        .hasMessageContaining("/type: the machine's root is \"compound\" or \"parallel\", not"
            + " \"atomic\"");
  }

  @Test
  void aRootTransitionWithReenter_isRefused_whenTheRootHasActionsThatXStateWouldRunAgain() {
    String withEntry = """
        {"id": "grid", "type": "parallel", "entry": "hello",
         "on": {"AGAIN": {"target": ".left", "reenter": true}},
         "states": {"left": {}, "right": {}}}
        """;
    String bare = """
        {"id": "grid", "type": "parallel",
         "on": {"AGAIN": {"target": ".left", "reenter": true}},
         "states": {"left": {}, "right": {}}}
        """;

    assertThatThrownBy(() -> JsonMachineReader.of(Bindings.noOps()).read("g.json", withEntry))
        .isInstanceOf(JsonDefinitionException.class)
        .hasMessageContaining("g.json:2:49: /on/AGAIN/reenter: \"reenter\": true on a transition"
            + " of the root exits and enters the root again in XState");
    // without root actions, delays or calls, exiting the root changes nothing anyone can see
    assertThat(JsonMachineReader.of(Bindings.noOps()).read("g.json", bare).definition().id())
        .isEqualTo("grid");
  }
}
