package dev.stator.dsl;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stator.Failure;
import dev.stator.Machine;
import dev.stator.MachineDefinition;
import dev.stator.MachineFailedException;
import dev.stator.MachineListener;
import dev.stator.RecoveryPolicy;
import dev.stator.Status;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** RELIABILITY.md cases 5, 6, 8, 15, 20, 23 and 24, and the policies of issue 3. */
final class RecoveryPolicyTest {

  private final Probe probe = new Probe();

  /** A context whose entry into WORK fails while {@code failuresLeft} is positive. */
  static final class Flaky {
    static final AtomicInteger CREATED = new AtomicInteger();
    final int generation = CREATED.incrementAndGet();
    final List<String> log = new ArrayList<>();
  }

  private static MachineDefinition<Flaky> failingOnEvent(RecoveryPolicy<Flaky> policy) {
    return Stator.<String, Flaky>machine("flaky")
        .initial("IDLE")
        .state("IDLE", s -> s.onEntry(f -> f.log.add("idle")).on("work").goTo("WORK"))
        .state("WORK", s -> s
            .onEntry(f -> {
              throw new IllegalStateException("work failed in generation " + f.generation);
            }))
        .recovery(policy)
        .build();
  }

  private final List<Failure> resets = new ArrayList<>();

  /** Starts a machine with a listener that records its resets from the first step. */
  private Machine<Flaky> start(MachineDefinition<Flaky> definition) {
    return probe.loop.start(definition, definition.id(), new Flaky(), new MachineListener<>() {
      @Override
      public void onReset(Machine<Flaky> m, Failure failure) {
        resets.add(failure);
      }
    });
  }

  @Test
  void reset_startsAgainFromTheInitialStateWithAFreshContextAndKeepsTheLifecyclePending() {
    Machine<Flaky> machine = start(failingOnEvent(
        RecoveryPolicy.<Flaky>reset(Flaky::new).atMost(3, Duration.ofMinutes(1))));

    machine.send("work");

    assertThat(machine.state().status()).isEqualTo(Status.RUNNING);
    assertThat(machine.state().path()).isEqualTo("IDLE");
    assertThat(machine.lifecycle()).isNotDone();
    assertThat(resets).singleElement().satisfies(failure -> {
      assertThat(failure.state()).isEqualTo("WORK");
      assertThat(failure.restartCount()).isZero();
    });
    machine.send("work");
    assertThat(resets).hasSize(2);
    assertThat(resets.get(1).restartCount()).isEqualTo(1);
    assertThat(resets.get(1).cause().getMessage()).isNotEqualTo(resets.get(0).cause().getMessage());
  }

  @Test
  void restartIntensity_failingOnEntryEveryTime_restartsExactlyNTimesThenTheNextPolicy() {
    MachineDefinition<Flaky> alwaysFailing = Stator.<String, Flaky>machine("doomed")
        .initial("WORK")
        .state("WORK", s -> s.onEntry(f -> {
          throw new IllegalStateException("entry fails");
        }))
        .recovery(RecoveryPolicy.<Flaky>reset(Flaky::new).atMost(3, Duration.ofSeconds(10))
            .then(RecoveryPolicy.shutdown((f, failure) -> f.log.add("shut down"),
                Duration.ofSeconds(5))))
        .build();
    Machine<Flaky> machine = start(alwaysFailing);

    assertThat(resets).hasSize(3);
    assertThat(machine.lifecycle()).isCompletedExceptionally();
    Failure last = machine.state().failure();
    assertThat(last.restartCount()).isEqualTo(3);
    assertThat(probe.loop.failures()).containsExactly(last);
  }

  @Test
  void restartIntensity_failuresSpacedWiderThanTheWindow_neverEscalate() {
    Machine<Flaky> machine = start(failingOnEvent(
        RecoveryPolicy.<Flaky>reset(Flaky::new).atMost(2, Duration.ofSeconds(10))));

    for (int i = 0; i < 20; i++) {
      machine.send("work");
      probe.loop.advance(Duration.ofSeconds(6));
    }

    assertThat(resets).hasSize(20);
    assertThat(machine.lifecycle()).isNotDone();
  }

  @Test
  void backoff_growsFromItsMinimumToItsMaximumWithJitter() {
    MachineDefinition<Flaky> alwaysFailing = Stator.<String, Flaky>machine("backing-off")
        .initial("WORK")
        .state("WORK", s -> s.onEntry(f -> {
          throw new IllegalStateException("entry fails");
        }))
        .recovery(RecoveryPolicy.<Flaky>reset(Flaky::new).atMost(8, Duration.ofHours(1))
            .backoff(Duration.ofSeconds(1), Duration.ofSeconds(16)).jitter(0.2))
        .build();
    List<Long> restartTimes = new ArrayList<>();
    probe.loop.start(alwaysFailing, "backing-off", new Flaky(), new MachineListener<>() {
      @Override
      public void onReset(Machine<Flaky> m, Failure failure) {
        restartTimes.add(probe.loop.elapsed().toMillis());
      }
    });

    probe.loop.advance(Duration.ofMinutes(10));

    // the first fault is at 0; each later one comes when the restart after a wait faults again
    assertThat(restartTimes).hasSize(8);
    List<Long> waits = new ArrayList<>();
    for (int i = 1; i < restartTimes.size(); i++) {
      waits.add(restartTimes.get(i) - restartTimes.get(i - 1));
    }
    long[] nominal = {1000, 2000, 4000, 8000, 16000, 16000, 16000};
    for (int i = 0; i < waits.size(); i++) {
      assertThat(waits.get(i)).as("wait %d", i)
          .isBetween((long) (nominal[i] * 0.8), Math.min(16000, (long) (nominal[i] * 1.2)));
    }
    assertThat(waits).as("jitter makes the waits differ from the nominal ones")
        .isNotEqualTo(List.of(1000L, 2000L, 4000L, 8000L, 16000L, 16000L, 16000L));
  }

  @Test
  void eventsSentDuringABackoff_areDeadLettersNeverDeliveredLater() {
    Machine<Flaky> machine = probe.loop.start(failingOnEvent(RecoveryPolicy.<Flaky>reset(Flaky::new)
        .backoff(Duration.ofSeconds(1), Duration.ofSeconds(1))), new Flaky());
    machine.send("work");

    assertThat(machine.send("during backoff")).isTrue();
    probe.loop.advance(Duration.ofSeconds(2));

    assertThat(probe.deadLetters).extracting(d -> d.event()).containsExactly("during backoff");
    assertThat(machine.state().path()).isEqualTo("IDLE");
  }

  @Test
  void eventsQueuedBehindAnImmediateReset_areDeliveredToTheNewIncarnationInOrder() {
    Machine<Flaky> machine = probe.loop.start(Stator.<String, Flaky>machine("reset-queue")
        .initial("IDLE")
        .state("IDLE", s -> s
            .on("fail").then(f -> {
              throw new IllegalStateException("fail");
            }).stay()
            .on(String.class).then((f, step) -> f.log.add(f.generation + ":" + step.event())).stay())
        .recovery(RecoveryPolicy.reset(Flaky::new))
        .build(), new Flaky());
    List<Flaky> contexts = new ArrayList<>();
    machine.lifecycle();
    probe.loop.execute(() -> {
      machine.send("fail");
      machine.send("a");
      machine.send("b");
    });
    machine.stop().thenAccept(t -> contexts.add(t.context()));

    assertThat(contexts).singleElement().satisfies(f ->
        assertThat(f.log).containsExactly(f.generation + ":a", f.generation + ":b"));
    assertThat(probe.deadLetters).isEmpty();
  }

  @Test
  void staleStateTimeout_ofTheFailedIncarnation_isNeverDelivered() {
    List<String> timeouts = new ArrayList<>();
    Machine<Flaky> machine = probe.loop.start(Stator.<String, Flaky>machine("stale")
        .initial("WAIT")
        .state("WAIT", s -> s
            .after(Duration.ofSeconds(5)).then((f, step) -> timeouts.add(f.generation + ""))
            .goTo("DONE")
            .on("fail").then(f -> {
              throw new IllegalStateException("fail");
            }).stay())
        .state("DONE")
        .recovery(RecoveryPolicy.<Flaky>reset(Flaky::new).backoff(Duration.ofSeconds(2),
            Duration.ofSeconds(2)))
        .build(), new Flaky());
    int firstGeneration = Flaky.CREATED.get();

    probe.loop.advance(Duration.ofSeconds(3));
    machine.send("fail");
    probe.loop.advance(Duration.ofSeconds(2));   // the old timeout was due here, with the restart
    probe.loop.advance(Duration.ofSeconds(10));

    assertThat(timeouts).containsExactly(String.valueOf(firstGeneration + 1));
  }

  @Test
  void shutdown_runsItsHookThenCompletesTheLifecycleExceptionally() {
    List<String> hooks = new ArrayList<>();
    Machine<Flaky> machine = probe.loop.start(failingOnEvent(RecoveryPolicy.shutdown(
        (f, failure) -> hooks.add("closed after " + failure.phase()), Duration.ofSeconds(5))),
        new Flaky());
    List<Throwable> outcome = new ArrayList<>();
    machine.lifecycle().whenComplete((t, e) -> outcome.add(e));

    machine.send("work");

    assertThat(hooks).containsExactly("closed after ENTRY");
    assertThat(outcome).singleElement().isInstanceOf(MachineFailedException.class);
    assertThat(probe.escalated).as("shutdown does not escalate").isEmpty();
  }

  @Test
  void shutdownHookOverrunningItsDeadline_isAbandonedWithATimeoutSuppressed() {
    CompletableFuture<Void> goodbye = new CompletableFuture<>();
    Machine<Flaky> machine = probe.loop.start(failingOnEvent(RecoveryPolicy.shutdownAsync(
        (f, failure) -> goodbye, Duration.ofSeconds(5))), new Flaky());

    machine.send("work");
    probe.loop.advance(Duration.ofSeconds(4));
    assertThat(machine.lifecycle()).isNotDone();
    probe.loop.advance(Duration.ofSeconds(1));

    assertThat(machine.lifecycle()).isCompletedExceptionally();
    assertThat(machine.state().failure().cause().getSuppressed())
        .singleElement().isInstanceOf(TimeoutException.class);
    goodbye.complete(null);
    probe.loop.runUntilIdle();
    assertThat(probe.loop.failures()).hasSize(1);
  }

  @Test
  void shutdownHookFinishingInTime_completesTheLifecycleWhenItIsDone() {
    CompletableFuture<Void> goodbye = new CompletableFuture<>();
    Machine<Flaky> machine = probe.loop.start(failingOnEvent(RecoveryPolicy.shutdownAsync(
        (f, failure) -> goodbye, Duration.ofSeconds(5))), new Flaky());

    machine.send("work");
    probe.loop.advance(Duration.ofSeconds(1));
    assertThat(machine.lifecycle()).isNotDone();
    goodbye.complete(null);
    probe.loop.runUntilIdle();

    assertThat(machine.lifecycle()).isCompletedExceptionally();
    assertThat(machine.state().failure().cause().getSuppressed()).isEmpty();
  }

  @Test
  void throwingResetHook_isADoubleFault_machineStaysFailedWithTheHookErrorSuppressedAndNoRetry() {
    AtomicInteger hookRuns = new AtomicInteger();
    Machine<Flaky> machine = probe.loop.start(failingOnEvent(RecoveryPolicy.<Flaky>reset(Flaky::new)
        .onReset((f, failure) -> {
          hookRuns.incrementAndGet();
          throw new IllegalArgumentException("hook broke");
        })), new Flaky());

    machine.send("work");
    probe.loop.advance(Duration.ofMinutes(1));

    assertThat(machine.state().status()).isEqualTo(Status.FAILED);
    Throwable cause = machine.state().failure().cause();
    assertThat(cause).hasMessageStartingWith("work failed");
    assertThat(cause.getSuppressed()).hasSize(1);
    assertThat(cause.getSuppressed()[0]).hasMessage("hook broke");
    assertThat(hookRuns).hasValue(1);
    assertThat(machine.lifecycle()).isCompletedExceptionally();
  }

  @Test
  void decisionReturningNull_isADoubleFaultNamingTheProblem() {
    Machine<Flaky> machine = probe.loop.start(failingOnEvent(RecoveryPolicy.deciding(f -> null)),
        new Flaky());

    machine.send("work");

    Throwable[] suppressed = machine.state().failure().cause().getSuppressed();
    assertThat(suppressed).hasSize(1);
    assertThat(suppressed[0]).isInstanceOf(NullPointerException.class)
        .hasMessageContaining("returned null");
  }

  @Test
  void byCause_choosesTheMostSpecificCaseAndUnmatchedCausesFallThrough() {
    List<String> chosen = new ArrayList<>();
    RecoveryPolicy<Flaky> policy = RecoveryPolicy.<Flaky>byCause()
        .on(RuntimeException.class, RecoveryPolicy.shutdown((f, x) -> chosen.add("runtime"),
            Duration.ofSeconds(1)))
        .on(IllegalStateException.class, RecoveryPolicy.shutdown((f, x) -> chosen.add("state"),
            Duration.ofSeconds(1)))
        .otherwise(RecoveryPolicy.shutdown((f, x) -> chosen.add("otherwise"),
            Duration.ofSeconds(1)));
    for (Throwable thrown : List.of(new IllegalStateException(), new UncheckedIOException(
        new IOException()), new AssertionError())) {
      probe.loop.start(Stator.<String, Flaky>machine("by-cause")
          .initial("A")
          .state("A", s -> s.on("go").then(f -> {
            if (thrown instanceof Error e) {
              throw e;
            }
            throw (RuntimeException) thrown;
          }).stay())
          .recovery(policy)
          .build(), new Flaky()).send("go");
    }

    assertThat(chosen).containsExactly("state", "runtime", "otherwise");
  }

  @Test
  void deciding_appliesThePolicyTheUserFunctionChooses() {
    Machine<Flaky> machine = probe.loop.start(failingOnEvent(RecoveryPolicy.deciding(failure ->
        failure.restartCount() < 1 ? RecoveryPolicy.reset(Flaky::new) : RecoveryPolicy.exit())),
        new Flaky());

    machine.send("work");
    assertThat(machine.lifecycle()).isNotDone();
    machine.send("work");

    assertThat(machine.lifecycle()).isCompletedExceptionally();
    assertThat(probe.escalated).hasSize(1);
  }

  @Test
  void expectedError_becomesATransitionWithTheErrorAsItsEvent() {
    List<String> handled = new ArrayList<>();
    Machine<Flaky> machine = probe.loop.start(Stator.<String, Flaky>machine("dialer")
        .initial("CONNECTING")
        .state("CONNECTING", s -> s
            .onEntry(f -> {
              throw new java.net.ConnectException("refused");
            })
            .onError(java.net.ConnectException.class)
            .then((f, step) -> handled.add(step.event().getMessage())).goTo("BACKOFF"))
        .state("BACKOFF")
        .build(), new Flaky());

    assertThat(machine.state().path()).isEqualTo("BACKOFF");
    assertThat(handled).containsExactly("refused");
    assertThat(probe.loop.failures()).isEmpty();
  }

  @Test
  void undeclaredError_isStillAFaultNextToDeclaredOnes() {
    Machine<Flaky> machine = probe.loop.start(Stator.<String, Flaky>machine("dialer")
        .initial("CONNECTING")
        .state("CONNECTING", s -> s
            .onEntry(f -> {
              throw new IllegalStateException("bug");
            })
            .onError(java.net.ConnectException.class).goTo("BACKOFF"))
        .state("BACKOFF")
        .build(), new Flaky());

    assertThat(machine.state().status()).isEqualTo(Status.FAILED);
  }

  @Test
  void decidingFunctionThatNeverSettles_isADoubleFaultNotAHang() {
    RecoveryPolicy<Flaky>[] self = new RecoveryPolicy[1];
    self[0] = RecoveryPolicy.deciding(failure -> self[0]);
    Machine<Flaky> machine = probe.loop.start(failingOnEvent(self[0]), new Flaky());

    machine.send("work");

    assertThat(machine.lifecycle()).isCompletedExceptionally();
    Throwable[] suppressed = machine.state().failure().cause().getSuppressed();
    assertThat(suppressed).hasSize(1);
    assertThat(suppressed[0]).hasMessageContaining("did not settle");
  }

  @Test
  void failedAsyncShutdown_addsItsErrorAndEscalatesLikeAnyFailedRecovery() {
    CompletableFuture<Void> goodbye = new CompletableFuture<>();
    Machine<Flaky> machine = probe.loop.start(failingOnEvent(RecoveryPolicy.shutdownAsync(
        (f, failure) -> goodbye, Duration.ofSeconds(5))), new Flaky());

    machine.send("work");
    goodbye.completeExceptionally(new IOException("peer gone"));
    probe.loop.runUntilIdle();

    Throwable[] suppressed = machine.state().failure().cause().getSuppressed();
    assertThat(suppressed).hasSize(1);
    assertThat(suppressed[0]).hasMessage("peer gone");
    assertThat(probe.escalated).hasSize(1);
  }

  @Test
  void expectedErrorWhoseGuardRejectsIt_isAFaultReportedInTheOriginalPhase() {
    Machine<Flaky> machine = probe.loop.start(Stator.<String, Flaky>machine("picky")
        .initial("A")
        .state("A", s -> s
            .onEntry(f -> {
              throw new IOException("disk");
            })
            .onError(IOException.class).when(f -> false).goTo("B"))
        .state("B")
        .build(), new Flaky());

    assertThat(machine.state().failure().phase()).isEqualTo(dev.stator.Phase.ENTRY);
  }
}
