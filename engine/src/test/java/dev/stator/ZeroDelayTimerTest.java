package dev.stator;

import static dev.stator.Charts.machine;
import static dev.stator.Charts.state;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stator.testing.TestLoop;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * RELIABILITY.md case 31: timers of zero delay that keep re-arming each other never let time move
 * on; the chain is bounded like eventless transitions are, and ends in a fault with a clear report.
 */
final class ZeroDelayTimerTest {

  private static final MachineDefinition<Object> SELF_LOOP = machine("spin",
      Charts.<Object>state("a").after(Duration.ZERO, "a"));

  @Test
  @Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
  void zeroDelayCycle_onTheTestLoop_faultsWithAStepLimit() {
    TestLoop loop = TestLoop.create(LoopOptions.DEFAULTS.withMaxMicrosteps(1_000), 0);

    Machine<Object> machine = loop.start(SELF_LOOP, new Object());

    assertThat(machine.state().status()).isEqualTo(Status.FAILED);
    Failure failure = machine.state().failure();
    assertThat(failure.cause()).isInstanceOf(StepLimitException.class)
        .hasMessageContaining("zero delay").hasMessageContaining("1000");
    assertThat(failure.phase()).isEqualTo(Phase.TIMER);
    assertThat(loop.pendingTimers()).isZero();
  }

  @Test
  @Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
  void zeroDelayCycle_ofTimersStartedByActions_faultsWithAStepLimit() {
    MachineDefinition<Object> definition = machine("rearm",
        Charts.<Object>state("a")
            .entry((context, step) -> step.startTimer(Duration.ZERO, "again"))
            .on("again", "a"));
    TestLoop loop = TestLoop.create(LoopOptions.DEFAULTS.withMaxMicrosteps(1_000), 0);

    Machine<Object> machine = loop.start(definition, new Object());

    assertThat(machine.state().status()).isEqualTo(Status.FAILED);
    assertThat(machine.state().failure().cause()).isInstanceOf(StepLimitException.class);
  }

  @Test
  void zeroDelayTimers_thatEnd_areNotLimited() {
    MachineDefinition<Object> definition = machine("hops",
        state("a").after(Duration.ZERO, "b"), state("b").after(Duration.ZERO, "c"),
        state("c").on("back", "a"));
    TestLoop loop = TestLoop.create(LoopOptions.DEFAULTS.withMaxMicrosteps(5), 0);
    Machine<Object> machine = loop.start(definition, new Object());

    // each external event starts a new chain: ten rounds of two zero-delay hops stay within 5
    for (int i = 0; i < 10; i++) {
      assertThat(machine.state().path()).isEqualTo("c");
      machine.send("back");
    }
    assertThat(machine.state().status()).isEqualTo(Status.RUNNING);
  }

  @Test
  @Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
  void zeroDelayCycle_onARealLoop_endsTheMachineInsteadOfSpinning() throws Exception {
    try (EventLoop loop = EventLoop.start("zero-delay",
        LoopOptions.DEFAULTS.withMaxMicrosteps(1_000))) {
      Machine<Object> machine = loop.start(SELF_LOOP, new Object());

      assertThatThrownBy(() -> machine.lifecycle().get(20, TimeUnit.SECONDS))
          .isInstanceOf(ExecutionException.class)
          .hasRootCauseInstanceOf(StepLimitException.class);
    }
  }

  @Test
  void advance_fromACallback_isRefused() {
    TestLoop loop = TestLoop.create();
    Throwable[] refused = new Throwable[1];
    MachineDefinition<Object> definition = machine("impatient",
        Charts.<Object>state("a").on("wait", null, (context, step) -> {
          try {
            loop.advance(Duration.ofSeconds(1));
          } catch (IllegalStateException e) {
            refused[0] = e;
          }
        }));
    Machine<Object> machine = loop.start(definition, new Object());

    machine.send("wait");

    assertThat(refused[0]).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("advance");
    assertThat(machine.state().status()).isEqualTo(Status.RUNNING);
  }
}
