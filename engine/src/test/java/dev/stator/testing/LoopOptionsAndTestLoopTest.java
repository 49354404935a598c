package dev.stator.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stator.LoopOptions;
import dev.stator.Machine;
import dev.stator.MachineDefinition;
import dev.stator.MachineFailedException;
import dev.stator.Status;
import dev.stator.dsl.Stator;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * The bounds of {@link LoopOptions} are checked where they are set, each copy changes only what
 * it names, and the test loop's own controls keep their promises: time only moves forward and
 * saturates instead of overflowing, work from other threads waits for the next run, and each
 * failure is thrown once, oldest first.
 */
final class LoopOptionsAndTestLoopTest {

  @Test
  void limitsMustBePositive_andTheTraceMayBeOff() {
    assertThatThrownBy(() -> LoopOptions.DEFAULTS.withMaxMicrosteps(0))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxMicrosteps");
    assertThatThrownBy(() -> LoopOptions.DEFAULTS.withBatchSize(0))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("batchSize");
    assertThatThrownBy(() -> LoopOptions.DEFAULTS.withTraceLength(-1))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("traceLength");

    assertThat(LoopOptions.DEFAULTS.withMaxMicrosteps(1).maxMicrosteps()).isEqualTo(1);
    assertThat(LoopOptions.DEFAULTS.withBatchSize(1).batchSize()).isEqualTo(1);
    assertThat(LoopOptions.DEFAULTS.withTraceLength(0).traceLength()).isZero();
  }

  @Test
  void theWatchdog_needsAnIntervalWithinItsThreshold() {
    Duration second = Duration.ofSeconds(1);
    assertThatThrownBy(() -> LoopOptions.DEFAULTS.withWatchdog(Duration.ZERO, second, s -> { }))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> LoopOptions.DEFAULTS.withWatchdog(second, Duration.ZERO, s -> { }))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> LoopOptions.DEFAULTS.withWatchdog(second, second.negated(), s -> { }))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> LoopOptions.DEFAULTS.withWatchdog(second, second.multipliedBy(2),
        s -> { })).isInstanceOf(IllegalArgumentException.class);

    LoopOptions watched = LoopOptions.DEFAULTS.withWatchdog(second, second, s -> { });
    assertThat(watched.stallThreshold()).isEqualTo(second);
    assertThat(watched.watchdogInterval()).isEqualTo(second);
  }

  @Test
  void eachCopy_changesOnlyWhatItNames() {
    LoopOptions options = LoopOptions.DEFAULTS.withMaxMicrosteps(7).withTraceLength(3)
        .withBatchSize(5);

    assertThat(options.maxMicrosteps()).isEqualTo(7);
    assertThat(options.traceLength()).isEqualTo(3);
    assertThat(options.batchSize()).isEqualTo(5);
    assertThat(options.toString()).contains("batchSize=5");
    assertThat(LoopOptions.DEFAULTS.batchSize()).isNotEqualTo(5);
  }

  private static MachineDefinition<Object> timed() {
    return Stator.<String, Object>machine("timed")
        .initial("WAITING")
        .state("WAITING", s -> s.after(Duration.ofHours(1)).goTo("DONE")
            .on("fail").then((c, step) -> {
              throw new IllegalStateException("asked to fail");
            }).stay())
        .state("DONE")
        .build();
  }

  @Test
  void time_onlyMovesForward_andAHugeStepSaturatesInsteadOfOverflowing() {
    TestLoop loop = TestLoop.create();
    Machine<Object> machine = loop.start(timed(), new Object());

    assertThatThrownBy(() -> loop.advance(Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class);
    loop.advance(Duration.ofMinutes(59));
    assertThat(loop.elapsed()).isEqualTo(Duration.ofMinutes(59));
    assertThat(loop.pendingTimers()).isEqualTo(1);

    loop.advance(Duration.ofSeconds(Long.MAX_VALUE));

    assertThat(machine.state().path()).isEqualTo("DONE");
    assertThat(loop.pendingTimers()).isZero();
    assertThat(loop.elapsed()).isPositive();
  }

  @Test
  void workFromAnotherThread_waitsForTheNextRun_andIsCounted() throws InterruptedException {
    TestLoop loop = TestLoop.create();
    Machine<Object> machine = loop.start(Stator.<String, Object>machine("toggle")
        .initial("OFF")
        .state("OFF", s -> s.on("flip").goTo("ON"))
        .state("ON", s -> s.on("flip").goTo("OFF"))
        .build(), new Object());
    AtomicReference<Throwable> thrown = new AtomicReference<>();
    Thread other = new Thread(() -> {
      try {
        machine.send("flip");
        machine.send("flip");
        machine.send("flip");
      } catch (Throwable t) {
        thrown.set(t);
      }
    });
    other.start();
    other.join();
    assertThat(thrown.get()).isNull();

    assertThat(loop.hasPendingWork()).isTrue();
    assertThat(machine.state().path()).isEqualTo("OFF");
    assertThat(loop.runUntilIdle()).isEqualTo(3);
    assertThat(loop.hasPendingWork()).isFalse();
    assertThat(machine.state().path()).isEqualTo("ON");
    assertThat(loop.runUntilIdle()).isZero();
  }

  @Test
  void checkFailures_throwsEachFailureOnce_oldestFirst() {
    TestLoop loop = TestLoop.create(
        LoopOptions.DEFAULTS.withUnobservedFailureHandler(failure -> { }), 0);
    Machine<Object> first = loop.start(timed(), "first", new Object());
    Machine<Object> second = loop.start(timed(), "second", new Object());
    loop.checkFailures();

    first.send("fail");
    second.send("fail");
    loop.runUntilIdle();

    assertThat(second.state().status()).isEqualTo(Status.FAILED);
    assertThat(loop.failures()).extracting(f -> f.machineId()).containsExactly("first", "second");
    assertThatThrownBy(loop::checkFailures).isInstanceOf(MachineFailedException.class)
        .hasMessageContaining("first");
    assertThatThrownBy(loop::checkFailures).isInstanceOf(MachineFailedException.class)
        .hasMessageContaining("second");
    loop.checkFailures();
  }
}
