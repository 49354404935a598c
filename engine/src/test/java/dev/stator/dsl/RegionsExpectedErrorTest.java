package dev.stator.dsl;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stator.Machine;
import dev.stator.MachineDefinition;
import dev.stator.Status;
import dev.stator.testing.TestLoop;
import org.junit.jupiter.api.Test;

/**
 * Expected errors thrown by a transition's actions in a machine with regions: only states active
 * at the moment of the throw are searched for an {@code onError}, even when another transition
 * of the same step has exited the throwing transition's source.
 */
final class RegionsExpectedErrorTest {

  private final TestLoop loop = TestLoop.create();

  /**
   * In {@code w}, the parallel state p has regions r1 and r2. On {@code go}, r1's leaf a leaves for
   * w's other child, and r2's leaf b takes a targetless transition whose action throws: both are
   * taken (a targetless transition exits nothing, so they do not conflict), a's first.
   */
  private static MachineDefinition<Recorder> chart() {
    return Stator.<String, Recorder>machine("targetless-throws")
        .initial("w")
        .state("w", w -> w.initial("p")
            .onError(IllegalStateException.class).goTo("recovered")
            .parallel("p", p -> p
                .state("r1", r -> r.initial("a").state("a", a -> a.on("go").goTo("other")))
                .state("r2", r -> r.initial("b")
                    .state("b", b -> b
                        .onError(IllegalStateException.class).goTo("wrong")
                        .on("go").then(c -> {
                          throw new IllegalStateException("thrown after b was exited");
                        }).stay())))
            .state("other"))
        .state("recovered")
        .state("wrong")
        .build();
  }

  @Test
  void aTargetlessActionWhoseSourceWasExited_isHandledByTheNearestStateStillActive() {
    Machine<Recorder> machine = loop.start(chart(), new Recorder());

    machine.send("go");

    // b was exited by p's transition before b's action ran: b's handler no longer applies, w's
    // does
    assertThat(machine.state().status()).isEqualTo(Status.RUNNING);
    assertThat(machine.state().path()).isEqualTo("recovered");
  }
}
