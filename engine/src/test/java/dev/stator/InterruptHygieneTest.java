package dev.stator;

import static dev.stator.Charts.machine;
import static dev.stator.Charts.state;
import static org.assertj.core.api.Assertions.assertThat;

import dev.stator.testing.TestLoop;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * RELIABILITY.md case 32: code that is not a machine's callback may leave the loop thread's
 * interrupt flag set (restoring the flag is the usual Java idiom). The loop clears it after that
 * code and blames nobody else: the next machine to step is not failed, and an idle loop sleeps.
 */
final class InterruptHygieneTest {

  private static final MachineDefinition<Object> TOGGLE = machine("toggle",
      state("off").on("flip", "on"), state("on").on("flip", "off"));

  @AfterEach
  void clearFlag() {
    // a failing test must not leave the flag to the next one
    Thread.interrupted();
  }

  @Test
  void task_leavingInterruptFlag_failsNoMachine() {
    TestLoop loop = TestLoop.create();
    Machine<Object> innocent = loop.start(TOGGLE, new Object());

    loop.execute(() -> Thread.currentThread().interrupt());
    innocent.send("flip");

    assertThat(innocent.state().status()).isEqualTo(Status.RUNNING);
    assertThat(innocent.state().path()).isEqualTo("on");
    assertThat(Thread.currentThread().isInterrupted()).isFalse();
  }

  @Test
  void task_leavingInterruptFlagThenSending_failsNotTheMachineItSendsTo() {
    TestLoop loop = TestLoop.create();
    Machine<Object> innocent = loop.start(TOGGLE, new Object());

    loop.execute(() -> {
      Thread.currentThread().interrupt();
      innocent.send("flip");
    });

    assertThat(innocent.state().status()).isEqualTo(Status.RUNNING);
    assertThat(innocent.state().path()).isEqualTo("on");
    assertThat(Thread.currentThread().isInterrupted()).isFalse();
  }

  @Test
  void lifecycleDependent_leavingInterruptFlag_failsNoMachine() {
    TestLoop loop = TestLoop.create();
    Machine<Object> first = loop.start(TOGGLE, new Object());
    Machine<Object> innocent = loop.start(TOGGLE, new Object());
    first.lifecycle().whenComplete((end, error) -> Thread.currentThread().interrupt());

    first.stop();
    innocent.send("flip");

    assertThat(innocent.state().status()).isEqualTo(Status.RUNNING);
    assertThat(Thread.currentThread().isInterrupted()).isFalse();
  }

  @Test
  void listener_leavingInterruptFlagOnTermination_failsNoMachine() {
    TestLoop loop = TestLoop.create();
    Machine<Object> first = loop.start(TOGGLE, new Object());
    first.addListener(new MachineListener<Object>() {
      @Override
      public void onTerminated(Machine<Object> machine, StateSnapshot last) {
        Thread.currentThread().interrupt();
      }
    });
    Machine<Object> innocent = loop.start(TOGGLE, new Object());

    first.stop();
    innocent.send("flip");

    assertThat(innocent.state().status()).isEqualTo(Status.RUNNING);
    assertThat(Thread.currentThread().isInterrupted()).isFalse();
  }

  @Test
  void deadLetterHandler_leavingInterruptFlag_failsNoMachine() {
    TestLoop loop = TestLoop.create(LoopOptions.DEFAULTS.withDeadLetterHandler(
        letter -> Thread.currentThread().interrupt()), 0);
    Machine<Object> ended = loop.start(TOGGLE, new Object());
    Machine<Object> innocent = loop.start(TOGGLE, new Object());
    ended.stop();

    assertThat(ended.send("flip")).isFalse();
    innocent.send("flip");

    assertThat(innocent.state().status()).isEqualTo(Status.RUNNING);
    assertThat(Thread.currentThread().isInterrupted()).isFalse();
  }

  @Test
  void unobservedFailureHandler_leavingInterruptFlag_failsNoMachine() {
    TestLoop loop = TestLoop.create(LoopOptions.DEFAULTS.withUnobservedFailureHandler(
        failure -> Thread.currentThread().interrupt()), 0);
    MachineDefinition<Object> breaking = machine("breaking", state("a").on("boom", "b"),
        state("b").entry(Charts.run(() -> {
          throw new IllegalStateException("boom");
        })));
    Machine<Object> failing = loop.start(breaking, new Object());
    Machine<Object> innocent = loop.start(TOGGLE, new Object());

    failing.send("boom");
    innocent.send("flip");

    assertThat(failing.state().status()).isEqualTo(Status.FAILED);
    assertThat(innocent.state().status()).isEqualTo(Status.RUNNING);
    assertThat(Thread.currentThread().isInterrupted()).isFalse();
  }

  @Test
  @Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
  void realLoop_afterTaskLeftInterruptFlag_stepsInnocentMachineAndGoesToSleep() throws Exception {
    try (EventLoop loop = EventLoop.start("interrupt-hygiene")) {
      Machine<Object> innocent = loop.start(TOGGLE, new Object());
      CompletableFuture<Thread> loopThread = new CompletableFuture<>();
      loop.execute(() -> {
        loopThread.complete(Thread.currentThread());
        Thread.currentThread().interrupt();
      });
      Thread thread = loopThread.get(10, TimeUnit.SECONDS);
      CompletableFuture<Boolean> flagSeenByNextTask = new CompletableFuture<>();
      loop.execute(() -> flagSeenByNextTask.complete(Thread.currentThread().isInterrupted()));
      assertThat(flagSeenByNextTask.get(10, TimeUnit.SECONDS)).isFalse();

      innocent.send("flip");
      CompletableFuture<StateSnapshot> after = new CompletableFuture<>();
      loop.execute(() -> after.complete(innocent.state()));
      assertThat(after.get(10, TimeUnit.SECONDS).status()).isEqualTo(Status.RUNNING);

      // idle, the loop parks; with the flag left set, park returns at once and the loop spins
      waitUntilParked(thread);
    }
  }

  /** Waits until the thread is parked (bounded: the assertion fails past 10 s). */
  private static void waitUntilParked(Thread thread) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (thread.getState() != Thread.State.WAITING) {
      assertThat(System.nanoTime()).as("loop thread parked within 10 s").isLessThan(deadline);
      Thread.onSpinWait();
    }
  }
}
