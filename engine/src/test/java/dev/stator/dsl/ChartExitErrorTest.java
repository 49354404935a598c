package dev.stator.dsl;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stator.LoopOptions;
import dev.stator.Machine;
import dev.stator.MachineDefinition;
import dev.stator.testing.TestLoop;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Found by the fault storm with regions (FaultStormProperties, shrunk to a region whose exit throws
 * an error its own {@code onError} takes): dsl.md says "During an exit action, the state being
 * exited is still active", so the handler's transition exits it (runs its exit) again. A machine
 * that takes the single-leaf step does; one that takes the statechart step (it has a parallel
 * state) treats the state whose exit threw as exited and never runs its exit again; and when
 * timers are involved, it then faults with the engine's own {@code IllegalStateException: timer is
 * already scheduled} (shrunk by the storm to {@link #timers}).
 */
final class ChartExitErrorTest {

  static final class Expected extends Exception {
    Expected() {
      super("exit failed");
    }
  }

  /** S0 -go-> X (with regions R and Q when {@code chart}); X -back-> S0; R's first exit throws. */
  private static List<String> run(boolean chart) {
    List<String> trace = new ArrayList<>();
    int[] exits = new int[1];
    MachineBuilder<String, Object> m = Stator.<String, Object>machine("m")
        .initial("S0")
        .state("S0", s -> s.on("go").goTo("X"));
    java.util.function.Consumer<StateBuilder<String, Object>> x = s -> {
      s.on("back").goTo("S0");
      if (!chart) {
        s.initial("R");
      }
      s.state("R", r -> r.initial("R1")
          .onExit(c -> {
            trace.add("-R");
            if (exits[0]++ == 0) {
              throw new Expected();
            }
          })
          .onError(Expected.class).goTo("S0")
          .state("R1", l -> l.onExit(c -> trace.add("-R1"))));
      if (chart) {
        s.state("Q", q -> q.initial("Q1").state("Q1"));
      }
    };
    if (chart) {
      m.parallel("X", x);
    } else {
      m.state("X", x);
    }
    MachineDefinition<Object> def = m.build();
    TestLoop loop = TestLoop.create(LoopOptions.DEFAULTS, 0L);
    Machine<Object> machine = loop.start(def, "m", new Object());
    machine.send("go");
    machine.send("back");
    loop.close();
    return trace;
  }

  /**
   * S0 (compound, after 10 ms to itself) with child S1 (after 10 ms to S0; its first exit throws,
   * and its onError goes to S0), and a parallel state P, unused, when {@code chart}: the status
   * after 10 ms.
   */
  private static dev.stator.StateSnapshot timers(boolean chart) {
    int[] exits = new int[1];
    MachineBuilder<String, Object> m = Stator.<String, Object>machine("m")
        .initial("S0")
        .state("S0", s -> s
            .after(java.time.Duration.ofMillis(10)).goTo("S0")
            .initial("S1")
            .state("S1", c -> c
                .onExit(x -> {
                  if (exits[0]++ == 0) {
                    throw new Expected();
                  }
                })
                .after(java.time.Duration.ofMillis(10)).goTo("S0")
                .onError(Expected.class).goTo("S0")));
    if (chart) {
      m.parallel("P", p -> p
          .state("A", r -> r.initial("A1").state("A1"))
          .state("B", r -> r.initial("B1").state("B1")));
    }
    TestLoop loop = TestLoop.create(LoopOptions.DEFAULTS, 0L);
    Machine<Object> machine = loop.start(m.build(), "m", new Object());
    loop.advance(java.time.Duration.ofMillis(10));
    dev.stator.StateSnapshot state = machine.state();
    loop.close();
    return state;
  }

  @Test
  void withoutRegions_anExitThatThrowsLeavesTheTimersWhole() {
    assertThat(timers(false).status()).isEqualTo(dev.stator.Status.RUNNING);
  }

  @Test
  void withRegions_anExitThatThrowsLeavesTheTimersWhole() {
    assertThat(timers(true).status()).isEqualTo(dev.stator.Status.RUNNING);
  }

  @Test
  void withoutRegions_theStateWhoseExitThrewIsExitedAgain() {
    assertThat(run(false)).containsExactly("-R1", "-R", "-R");
  }

  @Test
  void withRegions_theStateWhoseExitThrewIsExitedAgain() {
    assertThat(run(true)).containsExactly("-R1", "-R", "-R");
  }
}
