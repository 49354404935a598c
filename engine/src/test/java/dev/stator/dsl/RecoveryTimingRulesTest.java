package dev.stator.dsl;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stator.EventLoop;
import dev.stator.Failure;
import dev.stator.LoopOptions;
import dev.stator.Machine;
import dev.stator.MachineDefinition;
import dev.stator.MachineFailedException;
import dev.stator.MachineListener;
import dev.stator.RecoveryPolicy;
import dev.stator.Status;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

/**
 * The clock of recovery: a reset's waits double exactly from the minimum to the maximum, jitter
 * spreads them over the whole band it names and no further, a restart leaves the intensity window
 * exactly {@code within} after it was made, a synchronous shutdown hook that overruns its deadline
 * is reported as such, and a hook that overflows the stack fails its machine without taking the
 * loop down.
 */
final class RecoveryTimingRulesTest {

  private final Probe probe = new Probe();

  /** Whose entry fails every time: each restart faults again at once. */
  private static MachineDefinition<Object> alwaysFailing(RecoveryPolicy<Object> policy) {
    return Stator.<String, Object>machine("always-failing")
        .initial("WORK")
        .state("WORK", s -> s.onEntry(context -> {
          throw new IllegalStateException("entry fails");
        }))
        .recovery(policy)
        .build();
  }

  /** Whose entry into WORK fails; IDLE is where a restart waits for the next "work". */
  private static MachineDefinition<Object> failingOnWork(RecoveryPolicy<Object> policy) {
    return Stator.<String, Object>machine("failing-on-work")
        .initial("IDLE")
        .state("IDLE", s -> s.on("work").goTo("WORK"))
        .state("WORK", s -> s.onEntry(context -> {
          throw new IllegalStateException("work failed");
        }))
        .recovery(policy)
        .build();
  }

  /** The virtual times, in milliseconds, at which the machine's resets were made. */
  private List<Long> resetTimes(MachineDefinition<Object> definition) {
    List<Long> times = new ArrayList<>();
    probe.loop.start(definition, definition.id(), new Object(), new MachineListener<>() {
      @Override
      public void onReset(Machine<Object> m, Failure failure) {
        times.add(probe.loop.elapsed().toMillis());
      }
    });
    return times;
  }

  private static List<Long> gaps(List<Long> times) {
    List<Long> gaps = new ArrayList<>();
    for (int i = 1; i < times.size(); i++) {
      gaps.add(times.get(i) - times.get(i - 1));
    }
    return gaps;
  }

  @Test
  void withoutJitter_theWaitsDoubleFromTheMinimum_andStayAtTheMaximum() {
    List<Long> times = resetTimes(alwaysFailing(RecoveryPolicy.reset(Object::new)
        .atMost(7, Duration.ofHours(1))
        .backoff(Duration.ofSeconds(1), Duration.ofSeconds(6))));

    probe.loop.advance(Duration.ofMinutes(5));

    assertThat(gaps(times)).containsExactly(1000L, 2000L, 4000L, 6000L, 6000L, 6000L);
  }

  @Test
  void jitter_spreadsTheWaitsOverTheWholeBandItNames_andNoFurther() {
    // each restart has left the half-second window before the next fault: every wait is the first
    List<Long> times = resetTimes(alwaysFailing(RecoveryPolicy.reset(Object::new)
        .atMost(1, Duration.ofMillis(500))
        .backoff(Duration.ofSeconds(1), Duration.ofHours(1))
        .jitter(0.2)));

    probe.loop.advance(Duration.ofMinutes(4));

    List<Long> waits = gaps(times);
    assertThat(waits).hasSizeGreaterThan(150).allSatisfy(wait ->
        assertThat(wait).isBetween(800L, 1200L));
    assertThat(waits).as("waits well below the nominal second")
        .filteredOn(wait -> wait < 900).hasSizeGreaterThan(20);
    assertThat(waits).as("waits well above the nominal second")
        .filteredOn(wait -> wait > 1100).hasSizeGreaterThan(20);
  }

  @Test
  void aRestartLeavesTheIntensityWindow_exactlyWithinAfterItWasMade() {
    Machine<Object> machine = probe.loop.start(failingOnWork(RecoveryPolicy.reset(Object::new)
        .atMost(1, Duration.ofSeconds(10))), new Object());
    List<Failure> resets = new ArrayList<>();
    machine.addListener(MachineListener.onEachReset(resets::add));

    machine.send("work");
    probe.loop.advance(Duration.ofSeconds(10));
    machine.send("work");

    assertThat(resets).hasSize(2);
    assertThat(machine.lifecycle()).isNotDone();

    probe.loop.advance(Duration.ofMillis(9_999));
    machine.send("work");

    assertThat(resets).hasSize(2);
    assertThat(machine.lifecycle()).isCompletedExceptionally();
  }

  @Test
  void aSynchronousShutdownHookThatOverrunsItsDeadline_isReportedAndEscalated()
      throws Exception {
    CompletableFuture<Failure> escalated = new CompletableFuture<>();
    EventLoop loop = EventLoop.start("overrun", LoopOptions.DEFAULTS
        .withFatalFailureHandler(escalated::complete)
        .withUnobservedFailureHandler(failure -> { }));
    try {
      Machine<Object> machine = loop.start(failingOnWork(RecoveryPolicy.shutdown((context,
          failure) -> {
        // a hook that works for longer than its deadline allows
        long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(30);
        while (System.nanoTime() < until) {
          Thread.onSpinWait();
        }
      }, Duration.ofMillis(1))), new Object());

      machine.send("work");

      Throwable cause = failureOf(machine.lifecycle());
      assertThat(cause).isInstanceOf(MachineFailedException.class);
      Failure failure = ((MachineFailedException) cause).failure();
      assertThat(failure.cause().getSuppressed()).singleElement()
          .isInstanceOf(TimeoutException.class)
          .satisfies(t -> assertThat(t.getMessage()).contains("over its deadline of PT0.001S"));
      // the loop hears of it after the lifecycle future completes
      assertThat(escalated.get(10, TimeUnit.SECONDS)).isSameAs(failure);
    } finally {
      loop.close();
    }
  }

  @Test
  void aSynchronousShutdownHookWithinItsDeadline_isNotEscalated() throws Exception {
    List<Failure> escalated = new java.util.concurrent.CopyOnWriteArrayList<>();
    List<Failure> unobserved = new java.util.concurrent.CopyOnWriteArrayList<>();
    EventLoop loop = EventLoop.start("in-time", LoopOptions.DEFAULTS
        .withFatalFailureHandler(escalated::add)
        .withUnobservedFailureHandler(unobserved::add));
    try {
      List<String> hooks = new java.util.concurrent.CopyOnWriteArrayList<>();
      Machine<Object> machine = loop.start(failingOnWork(RecoveryPolicy.shutdown(
          (context, failure) -> hooks.add("flushed"), Duration.ofMinutes(1))), new Object());

      machine.send("work");

      Throwable cause = failureOf(machine.lifecycle());
      assertThat(((MachineFailedException) cause).failure().cause().getSuppressed()).isEmpty();
      assertThat(hooks).containsExactly("flushed");
    } finally {
      loop.close();
    }
    // close returns once the loop has ended: an escalation would have been heard by then
    assertThat(escalated).isEmpty();
  }

  @Test
  void aResetHookThatOverflowsTheStack_failsItsMachine_andTheLoopGoesOn() {
    MachineDefinition<Object> definition = failingOnWork(RecoveryPolicy.reset(Object::new)
        .onReset((context, failure) -> recurse(0)));
    Machine<Object> machine = probe.loop.start(definition, new Object());
    Machine<Object> bystander = probe.loop.start(failingOnWork(RecoveryPolicy.exit()),
        new Object());

    machine.send("work");

    assertThat(machine.state().status()).isEqualTo(Status.FAILED);
    assertThat(machine.lifecycle()).isCompletedExceptionally();
    assertThat(machine.state().failure().cause().getSuppressed()).singleElement()
        .isInstanceOf(StackOverflowError.class);
    assertThat(probe.loop.isClosed()).isFalse();
    assertThat(bystander.state().status()).isEqualTo(Status.RUNNING);
    assertThat(probe.escalated).hasSize(1);
  }

  private static int recurse(int depth) {
    return recurse(depth + 1) + 1;
  }

  private static Throwable failureOf(CompletableFuture<?> lifecycle) throws Exception {
    try {
      lifecycle.get(10, TimeUnit.SECONDS);
      throw new AssertionError("the lifecycle future completed normally");
    } catch (ExecutionException e) {
      return e.getCause();
    }
  }
}
