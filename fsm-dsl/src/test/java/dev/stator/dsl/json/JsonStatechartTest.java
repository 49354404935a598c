package dev.stator.dsl.json;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stator.Machine;
import dev.stator.MachineDefinition;
import dev.stator.model.StateSpec;
import dev.stator.testing.TestLoop;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Parallel regions, history, state done events, ids and several targets, read from JSON. */
final class JsonStatechartTest {

  private final TestLoop loop = TestLoop.create();
  private final JsonMachineReader<Object> reader = JsonMachineReader.of(Bindings.noOps());
  private final MachineDefinition<Object> player = reader
      .read(Path.of("src/test/resources/json/valid/media-player.json")).definition();

  @Test
  void parallelState_entersEveryRegion_andDeepHistoryRestoresThem() {
    Machine<Object> machine = loop.start(player, new Object());
    machine.send("POWER");
    assertThat(machine.state().activeStates()).containsExactly("on/track/stopped", "on/volume/normal");

    machine.send("PLAY");
    machine.send("MUTE");
    machine.send("POWER");
    machine.send("RESUME");

    assertThat(machine.state().activeStates()).containsExactly("on/track/playing", "on/volume/muted");
  }

  @Test
  void aTargetArray_entersEachRegionNamed() {
    Machine<Object> machine = loop.start(player, new Object());

    machine.send("JUMP");

    assertThat(machine.state().activeStates()).containsExactly("on/track/paused", "on/volume/muted");
  }

  @Test
  void onDoneOfAParallelState_isTakenWhenEveryRegionIsFinal() {
    String json = """
        {"id": "upload", "initial": "up", "states": {
          "up": {"type": "parallel", "onDone": "finished", "states": {
            "files": {"initial": "sending", "on": {"done.state.up/files": {"actions": []}},
              "states": {"sending": {"on": {"SENT": "sent"}}, "sent": {"type": "final"}}},
            "meta": {"id": "meta", "initial": "writing",
              "states": {"writing": {"on": {"WRITTEN": "written"}}, "written": {"type": "final"}}}}},
          "finished": {"type": "final"}}}
        """;
    Machine<Object> machine = loop.start(reader.read("upload.json", json).definition(), new Object());

    machine.send("SENT");
    assertThat(machine.state().matches("up")).isTrue();
    machine.send("WRITTEN");

    assertThat(machine.lifecycle()).isCompleted();
  }

  @Test
  void targetsAreGivenToTheEngineInAFormThatResolvesToTheSameState() {
    StateSpec<Object> off = player.spec().states().get(0);

    // "on.resume" is not an engine form: the reader resolved it; "#track.paused" went to a path
    assertThat(off.transitions()).extracting(t -> t.targets()).containsExactly(
        java.util.List.of("on"), java.util.List.of("resume"),
        java.util.List.of("paused", "muted"));
  }

  @Test
  void namesRepeatedInDifferentParents_areResolvedFromTheSourceOutwards() {
    String json = """
        {"id": "twins", "initial": "a", "states": {
          "a": {"initial": "x", "states": {
            "x": {"on": {"NEAR": "y", "FAR": "b.y", "TOP": "#twins.b"}},
            "y": {}}},
          "b": {"initial": "y", "states": {"y": {}}}}}
        """;
    MachineDefinition<Object> twins = reader.read("twins.json", json).definition();
    for (String[] step : new String[][] {{"NEAR", "a/y"}, {"FAR", "b/y"}, {"TOP", "b/y"}}) {
      Machine<Object> machine = loop.start(twins, new Object());
      machine.send(step[0]);
      assertThat(machine.state().path()).as(step[0]).isEqualTo(step[1]);
    }
  }

  @Test
  void theWriter_writesRegionsHistoryDoneAndSeveralTargets_asTheReaderReadsThem() {
    String written = JsonMachineWriter.write(player, Bindings.noOps());

    assertThat(written).contains("\"type\": \"parallel\"", "\"history\": \"deep\"",
        "\"onDone\": [{", "\"target\": \"ejected\"", "\"id\": \"track\"",
        "\"target\": [\"paused\", \"muted\"]", "\"history\": \"shallow\"", "\"target\": \"muted\"");
    MachineDefinition<Object> again = reader.read("again.json", written).definition();
    assertThat(JsonMachineWriter.write(again, Bindings.noOps())).isEqualTo(written);
  }

  @Test
  void theWriter_namesAStateWhoseNameIsNotTheNearestByIdOrByItsPath() {
    MachineDefinition<Object> twins = dev.stator.dsl.Stator.<String, Object>machine("twins")
        .initial("a")
        .state("a", a -> a.initial("x")
            .state("x", x -> x.on("FAR").goToTargets("b/y").on("OTHER").goToTargets("c/y"))
            .state("y"))
        .state("b", b -> b.initial("y").state("y"))
        .state("c", c -> c.initial("y").state("y", y -> y.id("cy")))
        .build();

    String written = JsonMachineWriter.write(twins, Bindings.noOps());

    assertThat(written).contains("\"target\": \"#twins.b.y\"", "\"target\": \"#cy\"");
    assertThat(reader.read("twins.json", written).definition().spec().states().get(0).children()
        .get(0).transitions()).extracting(t -> t.targets().get(0)).containsExactly("b/y", "#cy");
  }

  @Test
  void theWriter_refusesDoneData_whichIsJavaCode() {
    MachineDefinition<Object> withOutput = dev.stator.dsl.Stator.<String, Object>machine("out")
        .initial("a")
        .state("a", a -> a.initial("x").state("x").finalState("y", y -> y.output(c -> 1)))
        .build();

    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> JsonMachineWriter.write(withOutput, Bindings.noOps()))
        .hasMessageContaining("state a/y: done data (output) is Java code and has no JSON form");
  }

  /** A machine whose actions log, to see what a transition exits and enters. */
  private static final String REENTRY = """
      {"id": "r", "initial": "p", "states": {
        "p": {"entry": "enter p", "exit": "exit p", "initial": "a", "on": {
            "SELF": "p", "SELF_RE": {"target": "p", "reenter": true},
            "CHILD": ".b", "CHILD_RE": {"target": ".b", "reenter": true},
            "CHILD_V4": {"target": ".b", "internal": false}},
          "states": {
            "a": {"entry": "enter a", "exit": "exit a",
              "on": {"SELF": {"target": "a", "actions": "self a"}, "SELF_RE": {"target": "a", "reenter": true}}},
            "b": {"entry": "enter b", "exit": "exit b"}}},
        "q": {"type": "parallel", "entry": "enter q", "exit": "exit q", "on": {"SELF": "q"},
          "states": {
            "r1": {"initial": "x", "entry": "enter r1", "exit": "exit r1", "states": {"x": {"on": {"NEXT": "y"}}, "y": {}}},
            "r2": {"initial": "z", "entry": "enter r2", "exit": "exit r2", "states": {"z": {}}}}}}}
      """;

  private Machine<java.util.List<String>> reentry(java.util.List<String> log) {
    Bindings.Builder<java.util.List<String>> bindings = Bindings.builder();
    for (String name : java.util.List.of("enter p", "exit p", "enter a", "exit a", "self a",
        "enter b", "exit b", "enter q", "exit q", "enter r1", "exit r1", "enter r2", "exit r2")) {
      bindings.action(name, (dev.stator.model.Action<java.util.List<String>, Object>)
          (l, step) -> l.add(name));
    }
    MachineDefinition<java.util.List<String>> definition =
        JsonMachineReader.of(bindings.build()).read("reentry.json", REENTRY).definition();
    return loop.start(definition, log);
  }

  @Test
  void aSelfTransitionOfAnAtomicState_onlyRunsItsActions_unlessItSaysReenter() {
    java.util.List<String> log = new java.util.ArrayList<>();
    Machine<java.util.List<String>> machine = reentry(log);
    log.clear();

    machine.send("SELF");
    assertThat(log).containsExactly("self a");
    log.clear();
    machine.send("SELF_RE");
    assertThat(log).containsExactly("exit a", "enter a");
  }

  @Test
  void aTransitionToADescendant_keepsTheSourceActive_unlessItSaysReenter() {
    java.util.List<String> log = new java.util.ArrayList<>();
    Machine<java.util.List<String>> machine = reentry(log);
    log.clear();

    machine.send("CHILD");
    assertThat(log).containsExactly("exit a", "enter b");
    log.clear();
    machine.send("CHILD_RE");
    assertThat(log).containsExactly("exit b", "exit p", "enter p", "enter b");
    log.clear();
    machine.send("CHILD_V4");
    assertThat(log).containsExactly("exit b", "exit p", "enter p", "enter b");
  }

  @Test
  void aSelfTransitionOfACompoundState_returnsToItsInitialChild_withoutLeavingIt() {
    java.util.List<String> log = new java.util.ArrayList<>();
    Machine<java.util.List<String>> machine = reentry(log);
    machine.send("CHILD");
    log.clear();

    // from b, the compound state's own SELF applies: a is its initial child
    machine.send("SELF");
    assertThat(log).containsExactly("exit b", "enter a");
    assertThat(machine.state().path()).isEqualTo("p/a");
    machine.send("CHILD");
    log.clear();
    machine.send("SELF_RE");
    assertThat(log).containsExactly("exit b", "exit p", "enter p", "enter a");
  }

  @Test
  void aSelfTransitionOfAParallelState_reentersItsRegions_withoutLeavingIt() {
    String json = REENTRY.replace("\"initial\": \"p\"", "\"initial\": \"q\"");
    java.util.List<String> log = new java.util.ArrayList<>();
    Bindings.Builder<java.util.List<String>> bindings = Bindings.builder();
    for (String name : java.util.List.of("enter p", "exit p", "enter a", "exit a", "self a",
        "enter b", "exit b", "enter q", "exit q", "enter r1", "exit r1", "enter r2", "exit r2")) {
      bindings.action(name, (dev.stator.model.Action<java.util.List<String>, Object>)
          (l, step) -> l.add(name));
    }
    Machine<java.util.List<String>> machine = loop.start(
        JsonMachineReader.of(bindings.build()).read("q.json", json).definition(), log);
    machine.send("NEXT");
    log.clear();

    machine.send("SELF");
    assertThat(log).containsExactly("exit r2", "exit r1", "enter r1", "enter r2");
    assertThat(machine.state().activeStates()).containsExactly("q/r1/x", "q/r2/z");
  }

  @Test
  void theRootsOwnTransitions_applyInEveryTopLevelState_afterItsOwn() {
    String json = """
        {"id": "g", "initial": "a",
         "on": {"RESET": ".a", "GO_B": "#g.b"},
         "states": {
           "a": {"on": {"NEXT": "b"}},
           "b": {"initial": "b1", "on": {"RESET": "c"}, "states": {"b1": {}}},
           "c": {}}}
        """;
    Machine<Object> machine = loop.start(reader.read("g.json", json).definition(), new Object());

    machine.send("NEXT");
    machine.send("RESET");
    // b takes RESET itself, before the root
    assertThat(machine.state().path()).isEqualTo("c");
    machine.send("RESET");
    assertThat(machine.state().path()).isEqualTo("a");
    machine.send("GO_B");
    assertThat(machine.state().path()).isEqualTo("b/b1");
  }
}
