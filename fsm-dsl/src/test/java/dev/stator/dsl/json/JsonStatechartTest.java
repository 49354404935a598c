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
}
