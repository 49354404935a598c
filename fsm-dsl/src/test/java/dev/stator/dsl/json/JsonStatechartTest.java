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
}
