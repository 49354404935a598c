package dev.stator.dsl;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stator.LoopOptions;
import dev.stator.Machine;
import dev.stator.StateSnapshot;
import dev.stator.testing.TestLoop;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Found by the fault storm with regions (FaultStormProperties, property "running machines have
 * atomic leaves...", shrunk to this machine): a parallel state P of regions R (children A, B and a
 * shallow history H) and Q (child X), whose onError(Expected) goes to P itself; A goes to H after
 * 10 ms with an action that throws Expected the first time. At 10 ms the handler exits P (H
 * remembers A) and enters it again; at 20 ms A goes to H again, which must enter A (what H
 * remembers), but the machine goes on running with region R not active at all: its configuration
 * is {@code P/Q/X} alone. Without the throw (R never exited, H enters its default) both regions
 * stay active; with B as the target instead of H, too.
 */
final class ChartRegionLostTest {

  static final class Expected extends Exception {
    Expected() {
      super("action failed");
    }
  }

  private static StateSnapshot run(boolean history) {
    int[] actions = new int[1];
    var m = Stator.<String, Object>machine("m")
        .initial("P")
        .parallel("P", p -> p
            .onError(Expected.class).goTo("P")
            .state("R", r -> {
              r.initial("A")
                  .state("A", a -> a.after(Duration.ofMillis(10)).then(c -> {
                    if (actions[0]++ == 0) {
                      throw new Expected();
                    }
                  }).goTo(history ? "H" : "B"))
                  .state("B");
              r.history("H");
            })
            .state("Q", q -> q.initial("X").state("X")));
    TestLoop loop = TestLoop.create(LoopOptions.DEFAULTS, 0L);
    Machine<Object> machine = loop.start(m.build(), "m", new Object());
    loop.advance(Duration.ofMillis(20));
    StateSnapshot state = machine.state();
    loop.close();
    return state;
  }

  @Test
  void toAState_bothRegionsStayActive() {
    assertThat(run(false).activeStates()).isEqualTo(List.of("P/R/B", "P/Q/X"));
  }

  @Test
  void toAHistoryState_bothRegionsStayActive() {
    assertThat(run(true).activeStates()).isEqualTo(List.of("P/R/A", "P/Q/X"));
  }
}
