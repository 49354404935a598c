package dev.stator.dsl;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stator.LoopOptions;
import dev.stator.Machine;
import dev.stator.MachineDefinition;
import dev.stator.Status;
import dev.stator.testing.TestLoop;
import org.junit.jupiter.api.Test;

/**
 * Found by the fault storm with regions (FaultStormProperties, shrunk to a top-level state whose
 * catch-all {@code onError} transition to itself has an action that throws): dsl.md says "During a
 * transition's actions, the states the transition exits are already gone; only the states it stays
 * inside are searched. A throw from the action of a transition between two top-level states
 * therefore always faults." A machine that takes the single-leaf step does so; one that takes the
 * statechart step (it has a parallel state anywhere, here unused) offers the throw to the
 * {@code onError} of the state the transition exited, and the machine goes on.
 */
final class ChartActionErrorTest {

  static final class Expected extends Exception {
    Expected() {
      super("action failed");
    }
  }

  private static Status run(boolean chart) {
    MachineBuilder<String, Object> m = Stator.<String, Object>machine("m")
        .initial("A")
        .state("A", s -> s
            .on("go").then(c -> {
              throw new Expected();
            }).goTo("B")
            .onError(Expected.class).goTo("B"))
        .state("B");
    if (chart) {
      m.parallel("P", p -> p
          .state("R1", r -> r.initial("X").state("X"))
          .state("R2", r -> r.initial("Y").state("Y")));
    }
    MachineDefinition<Object> def = m.build();
    TestLoop loop = TestLoop.create(LoopOptions.DEFAULTS, 0L);
    Machine<Object> machine = loop.start(def, "m", new Object());
    machine.send("go");
    Status status = machine.state().status();
    loop.close();
    return status;
  }

  @Test
  void withoutRegions_aThrowFromTheActionOfATransitionBetweenTopLevelStatesFaults() {
    assertThat(run(false)).isEqualTo(Status.FAILED);
  }

  @Test
  void withRegions_aThrowFromTheActionOfATransitionBetweenTopLevelStatesFaults() {
    assertThat(run(true)).isEqualTo(Status.FAILED);
  }
}
