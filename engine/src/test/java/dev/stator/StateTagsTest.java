package dev.stator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stator.model.MachineSpec;
import dev.stator.model.StateSpec;
import dev.stator.model.TransitionSpec;
import dev.stator.model.Trigger;
import dev.stator.testing.TestLoop;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Tags: a snapshot has the tags of every active state, ancestors and regions included. */
final class StateTagsTest {

  private static StateSpec<Object> state(String name, StateSpec.Type type, String initial,
      List<String> tags, List<TransitionSpec<Object>> transitions, StateSpec<Object>... children) {
    return new StateSpec<>(name, null, type, initial, List.of(children), List.of(), List.of(),
        transitions, List.of(), null, null, tags);
  }

  private static TransitionSpec<Object> on(String event, String target) {
    return new TransitionSpec<>(new Trigger.OnEvent(event), null, target, false, List.of());
  }

  @Test
  @SuppressWarnings("unchecked")
  void aSnapshotHasTheTagsOfEveryActiveState() {
    StateSpec<Object> loading = state("loading", StateSpec.Type.NORMAL, "fetching", List.of("busy"),
        List.of(on("DONE", "idle")),
        state("fetching", StateSpec.Type.NORMAL, null, List.of("network"), List.of()));
    StateSpec<Object> idle = state("idle", StateSpec.Type.NORMAL, null, List.of(),
        List.of(on("LOAD", "loading"), on("BOTH", "both"), on("END", "end")));
    StateSpec<Object> both = state("both", StateSpec.Type.PARALLEL, null, List.of("busy"),
        List.of(),
        state("r1", StateSpec.Type.NORMAL, null, List.of("one"), List.of()),
        state("r2", StateSpec.Type.NORMAL, null, List.of("two"), List.of()));
    StateSpec<Object> end = state("end", StateSpec.Type.FINAL, null, List.of("finished"), List.of());
    MachineDefinition<Object> definition = MachineDefinition.compile(new MachineSpec<>("tags", "idle",
        List.of(idle, loading, both, end), UnhandledEventPolicy.IGNORE, RecoveryPolicy.exit()));
    TestLoop loop = TestLoop.create();
    Machine<Object> machine = loop.start(definition, new Object());

    assertThat(machine.state().tags()).isEmpty();
    machine.send("LOAD");
    assertThat(machine.state().tags()).containsExactly("busy", "network");
    assertThat(machine.state().hasTag("network")).isTrue();
    assertThat(machine.state().hasTag("one")).isFalse();
    machine.send("DONE");
    machine.send("BOTH");
    assertThat(machine.state().tags()).containsExactly("busy", "one", "two");
    Machine<Object> ending = loop.start(definition, new Object());
    ending.send("END");
    assertThat(ending.state().status()).isEqualTo(Status.COMPLETED);
    assertThat(ending.state().hasTag("finished")).isTrue();
  }

  @Test
  @SuppressWarnings("unchecked")
  void withoutRegions_aSnapshotHasTheTagsOfTheLeafAndItsAncestors_andAnEndedMachineThoseOfItsFinalState() {
    StateSpec<Object> work = state("work", StateSpec.Type.NORMAL, "step", List.of("busy"),
        List.of(on("END", "end")),
        state("step", StateSpec.Type.NORMAL, "inner", List.of(),
            List.of(),
            state("inner", StateSpec.Type.NORMAL, null, List.of("deep"), List.of())));
    StateSpec<Object> idle = state("idle", StateSpec.Type.NORMAL, null, List.of(),
        List.of(on("WORK", "work")));
    StateSpec<Object> end = state("end", StateSpec.Type.FINAL, null, List.of("finished"), List.of());
    MachineDefinition<Object> definition = MachineDefinition.compile(new MachineSpec<>("plain",
        "idle", List.of(idle, work, end), UnhandledEventPolicy.IGNORE, RecoveryPolicy.exit()));
    Machine<Object> machine = TestLoop.create().start(definition, new Object());

    assertThat(machine.state().tags()).isEmpty();
    machine.send("WORK");
    assertThat(machine.state().path()).isEqualTo("work/step/inner");
    assertThat(machine.state().tags()).containsExactly("busy", "deep");
    machine.send("END");
    assertThat(machine.state().status()).isEqualTo(Status.COMPLETED);
    assertThat(machine.state().tags()).containsExactly("finished");
  }

  @Test
  @SuppressWarnings("unchecked")
  void theFirstStateOfTheDefinition_givesItsTagsToo() {
    StateSpec<Object> both = state("both", StateSpec.Type.PARALLEL, null, List.of("busy"),
        List.of(),
        state("r1", StateSpec.Type.NORMAL, null, List.of("one"), List.of()),
        state("r2", StateSpec.Type.NORMAL, null, List.of(), List.of()));
    MachineDefinition<Object> definition = MachineDefinition.compile(new MachineSpec<>("first",
        "both", List.of(both), UnhandledEventPolicy.IGNORE, RecoveryPolicy.exit()));
    Machine<Object> machine = TestLoop.create().start(definition, new Object());

    assertThat(machine.state().tags()).containsExactly("busy", "one");
  }

  @Test
  void theOldConstructors_giveNoTags() {
    assertThat(new StateSnapshot(Status.RUNNING, "a", null).tags()).isEmpty();
    assertThat(new StateSnapshot(Status.RUNNING, "a", null, List.of("a")).hasTag("x")).isFalse();
    assertThat(new StateSpec<Object>("a", false, null, List.of(), List.of(), List.of(), List.of(),
        List.of(), null).tags()).isEmpty();
  }
}
