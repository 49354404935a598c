package dev.stator;

import static dev.stator.Charts.machine;
import static dev.stator.Charts.state;
import static org.assertj.core.api.Assertions.assertThat;

import dev.stator.testing.TestLoop;
import java.nio.channels.Pipe;
import java.nio.channels.SelectionKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * What the handles a machine gives out (its steps, timers, I/O registrations and lifecycle future)
 * allow, and where: they act on the machine's loop thread only, a step kept past the machine's
 * end starts nothing, a lifecycle future is never waited on from the thread that must complete
 * it, and each handle names itself and its machine for the logs.
 */
final class HandleRulesTest {

  private final TestLoop loop = TestLoop.create(LoopOptions.DEFAULTS
      .withUnobservedFailureHandler(failure -> { }), 0);

  /** What a machine's first state kept of its entry: the step and what it started. */
  static final class Kept {
    Step<Object> step;
    TimerHandle timer;
    IoRegistration registration;
    Pipe pipe;
  }

  @SuppressWarnings("unchecked")
  private static MachineDefinition<Kept> keeping() {
    return machine("keeping",
        Charts.<Kept>state("a").entry((kept, step) -> {
          kept.step = (Step<Object>) (Step<?>) step;
          kept.timer = step.startTimer(Duration.ofMinutes(1), "tick");
          if (kept.pipe != null) {
            kept.registration = step.registerIo("pipe", kept.pipe.source(), SelectionKey.OP_READ,
                true);
          }
        }).on("tick", null, (kept, step) -> { }));
  }

  private static Throwable fromAnotherThread(Runnable body) throws Exception {
    CompletableFuture<Throwable> thrown = new CompletableFuture<>();
    Thread other = new Thread(() -> {
      try {
        body.run();
        thrown.complete(null);
      } catch (Throwable t) {
        thrown.complete(t);
      }
    }, "not-the-loop");
    other.start();
    return thrown.get(10, TimeUnit.SECONDS);
  }

  @Test
  void aTimerHandle_isCancelledOnTheLoopThreadOnly() throws Exception {
    Kept kept = new Kept();
    loop.start(keeping(), kept);

    Throwable refused = fromAnotherThread(() -> kept.timer.cancel());

    assertThat(refused).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("cancel a timer").hasMessageContaining("not-the-loop");
    assertThat(loop.pendingTimers()).isEqualTo(1);
    assertThat(kept.timer.toString()).contains("keeping").contains("tick").contains("pending");
    assertThat(kept.timer.cancel()).isTrue();
    assertThat(kept.timer.toString()).doesNotContain("pending");
  }

  @Test
  void aStepKeptFromAnotherThread_startsNothing() throws Exception {
    Kept kept = new Kept();
    loop.start(keeping(), kept);
    MachineDefinition<Object> idle = machine("idle", state("waiting"));

    Throwable timer = fromAnotherThread(() -> kept.step.startTimer(Duration.ofSeconds(1), "x"));
    Throwable child = fromAnotherThread(() -> kept.step.startChild(idle, new Object()));

    assertThat(timer).isInstanceOf(IllegalStateException.class).hasMessageContaining("not-the-loop");
    assertThat(child).isInstanceOf(IllegalStateException.class).hasMessageContaining("not-the-loop");
    assertThat(loop.pendingTimers()).isEqualTo(1);
    assertThat(loop.liveMachines()).isEqualTo(1);
  }

  @Test
  void aStepKeptPastItsMachinesEnd_startsNothing() {
    Kept kept = new Kept();
    Machine<Kept> machine = loop.start(keeping(), kept);
    machine.stop();
    MachineDefinition<Object> idle = machine("idle", state("waiting"));
    List<Throwable> refused = new ArrayList<>();

    loop.execute(() -> {
      try {
        kept.step.startTimer(Duration.ofSeconds(1), "x");
      } catch (IllegalStateException e) {
        refused.add(e);
      }
      try {
        kept.step.startChild(idle, new Object());
      } catch (IllegalStateException e) {
        refused.add(e);
      }
    });

    assertThat(refused).hasSize(2).allSatisfy(e ->
        assertThat(e).hasMessageContaining("is STOPPED"));
    assertThat(loop.pendingTimers()).isZero();
    assertThat(loop.liveMachines()).isZero();
  }

  @Test
  void anIoRegistration_isChangedAndCancelledOnTheLoopThreadOnly() throws Exception {
    Kept kept = new Kept();
    kept.pipe = Pipe.open();
    kept.pipe.source().configureBlocking(false);
    try {
      loop.start(keeping(), kept);
      AtomicReference<IoRegistration> registration = new AtomicReference<>(kept.registration);

      Throwable interest = fromAnotherThread(() -> registration.get().interestOps(0));
      Throwable cancel = fromAnotherThread(() -> registration.get().cancel());
      Throwable register = fromAnotherThread(() -> {
        try {
          kept.step.registerIo("again", kept.pipe.source(), SelectionKey.OP_READ, true);
        } catch (java.io.IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      });

      assertThat(interest).isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("change the interest");
      assertThat(cancel).isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("cancel an I/O registration");
      assertThat(register).isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("not-the-loop");
      assertThat(kept.registration.isActive()).isTrue();
      assertThat(kept.registration.toString()).contains("'pipe'").contains("keeping")
          .doesNotContain("cancelled");

      loop.execute(() -> kept.registration.cancel());

      assertThat(kept.registration.isActive()).isFalse();
      assertThat(kept.registration.toString()).contains("(cancelled)");
    } finally {
      kept.pipe.source().close();
      kept.pipe.sink().close();
    }
  }

  @Test
  void aLifecycleFuture_isNeverWaitedOnFromItsLoopThread() {
    Machine<Object> machine = loop.start(machine("m", state("a")), new Object());
    List<Throwable> refused = new ArrayList<>();

    loop.execute(() -> {
      for (Runnable wait : List.<Runnable>of(
          () -> {
            try {
              machine.lifecycle().get();
            } catch (InterruptedException | java.util.concurrent.ExecutionException e) {
              throw new AssertionError(e);
            }
          },
          () -> {
            try {
              machine.lifecycle().get(1, TimeUnit.SECONDS);
            } catch (InterruptedException | java.util.concurrent.ExecutionException
                | TimeoutException e) {
              throw new AssertionError(e);
            }
          },
          () -> machine.lifecycle().join())) {
        try {
          wait.run();
        } catch (BlockingOperationException e) {
          refused.add(e);
        }
      }
    });

    assertThat(refused).hasSize(3).allSatisfy(e ->
        assertThat(e).hasMessageContaining("would never end").hasMessageContaining("'m-"));
    assertThat(machine.lifecycle().toString()).startsWith("lifecycle of '" + machine.id() + "'");
  }

  @Test
  void aLifecycleFuturesTimeout_isACopyThatTimesOut_leavingTheMachineRunning() throws Exception {
    Machine<Object> machine = loop.start(machine("m", state("a")), new Object());

    CompletableFuture<Termination<Object>> bounded = machine.lifecycle()
        .orTimeout(1, TimeUnit.MILLISECONDS);

    assertThat(bounded).isNotSameAs(machine.lifecycle());
    CompletableFuture<Throwable> outcome = new CompletableFuture<>();
    bounded.whenComplete((termination, error) -> outcome.complete(error));
    assertThat(outcome.get(10, TimeUnit.SECONDS)).isInstanceOf(TimeoutException.class);
    assertThat(machine.lifecycle()).isNotDone();
    assertThat(machine.state().status()).isEqualTo(Status.RUNNING);
  }

  @Test
  void anEndedLifecycleFuture_stillNamesItsMachine() {
    Machine<Object> machine = loop.start(machine("m", state("a")), new Object());

    machine.stop();

    assertThat(machine.lifecycle().toString()).startsWith("lifecycle of '" + machine.id() + "'");
  }
}
