package dev.stator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stator.dsl.StateBuilder;
import dev.stator.dsl.Stator;
import dev.stator.testing.TestLoop;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A machine makes its lifecycle future when someone first asks for it, or at its end, whichever
 * comes first, so that a machine nobody asks about holds no future while it runs. What a user sees
 * does not depend on when the future was made: one future per machine, completed at the end with
 * the termination or the failure, and a failure nobody waits on reported all the same. Also pins
 * the failure trace's default length, which the same memory budget sets.
 */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
final class LifecycleOnDemandTest {

  private final List<Failure> unobserved = new ArrayList<>();
  private final List<DeadLetter> deadLetters = new ArrayList<>();
  private final TestLoop loop = TestLoop.create(LoopOptions.DEFAULTS
      .withUnobservedFailureHandler(unobserved::add)
      .withDeadLetterHandler(deadLetters::add), 0);

  /** Flips on "flip", fails on "boom", completes on "finish". */
  private static MachineDefinition<Object> flipper() {
    return Stator.<String, Object>machine("flipper")
        .initial("OFF")
        .state("OFF", flipsTo("ON", "OFF"))
        .state("ON", flipsTo("OFF", "ON"))
        .finalState("DONE")
        .build();
  }

  private static Consumer<StateBuilder<String, Object>> flipsTo(String other, String self) {
    return s -> s
        .on("flip").goTo(other)
        .on("finish").goTo("DONE")
        .on("boom").then(ignored -> {
          throw new IllegalStateException("boom in " + self);
        }).stay();
  }

  @Test
  void aMachineThatCompletedBeforeAnyoneAsked_givesAFutureAlreadyCompletedWithItsTermination()
      throws Exception {
    Machine<Object> machine = loop.start(flipper(), new Object());
    machine.send("flip");
    machine.send("finish");
    loop.runUntilIdle();

    CompletableFuture<Termination<Object>> lifecycle = machine.lifecycle();

    assertThat(lifecycle).isDone();
    assertThat(lifecycle.get().status()).isEqualTo(Status.COMPLETED);
    assertThat(lifecycle.get().finalPath()).isEqualTo("DONE");
  }

  @Test
  void aMachineThatFailedWhileNobodyAsked_isReportedAsUnobserved_andItsFutureCarriesTheSameReport() {
    Machine<Object> machine = loop.start(flipper(), new Object());
    machine.send("boom");
    loop.runUntilIdle();

    assertThat(unobserved).hasSize(1);
    assertThatThrownBy(() -> machine.lifecycle().get())
        .isInstanceOf(ExecutionException.class)
        .cause().isInstanceOfSatisfying(MachineFailedException.class,
            failed -> assertThat(failed.failure()).isSameAs(unobserved.get(0)));
  }

  @Test
  void aFutureAskedForButNotWaitedOn_doesNotCountAsObserving_theFailure() {
    Machine<Object> machine = loop.start(flipper(), new Object());
    CompletableFuture<Termination<Object>> asked = machine.lifecycle();
    machine.send("boom");
    loop.runUntilIdle();

    assertThat(unobserved).as("nothing hung on the future").hasSize(1);
    assertThat(asked).isCompletedExceptionally();
  }

  @Test
  void aFutureWithAStageOnIt_observesTheFailure_soTheLoopDoesNotReportItAgain() {
    Machine<Object> machine = loop.start(flipper(), new Object());
    AtomicReference<Throwable> seen = new AtomicReference<>();
    machine.lifecycle().whenComplete((termination, failure) -> seen.set(failure));
    machine.send("boom");
    loop.runUntilIdle();

    assertThat(unobserved).isEmpty();
    assertThat(seen.get()).isInstanceOf(MachineFailedException.class);
  }

  @Test
  void theFutureIsOneObject_beforeTheEndAndAfterIt() {
    Machine<Object> machine = loop.start(flipper(), new Object());
    CompletableFuture<Termination<Object>> before = machine.lifecycle();
    machine.send("finish");
    loop.runUntilIdle();

    assertThat(machine.lifecycle()).isSameAs(before).isSameAs(machine.lifecycle());
    assertThat(before).isCompleted();
  }

  @Test
  void stop_onAMachineNobodyAskedAbout_returnsItsFuture_whichCompletesStopped() throws Exception {
    Machine<Object> machine = loop.start(flipper(), new Object());
    loop.runUntilIdle();

    CompletableFuture<Termination<Object>> stopped = machine.stop();
    loop.runUntilIdle();

    assertThat(stopped).isSameAs(machine.lifecycle());
    assertThat(stopped.get().status()).isEqualTo(Status.STOPPED);
  }

  @Test
  void anEventSentAfterTheEnd_ofAMachineNobodyAskedAbout_isADeadLetter() throws Exception {
    Machine<Object> machine = loop.start(flipper(), new Object());
    machine.send("finish");
    loop.runUntilIdle();
    AtomicReference<Boolean> accepted = new AtomicReference<>();

    OtherThread.run(() -> accepted.set(machine.send("flip")));

    assertThat(accepted.get()).isFalse();
    assertThat(deadLetters).singleElement()
        .satisfies(letter -> assertThat(letter.reason()).contains("machine has ended"));
  }

  @Test
  void threadsThatAskAtOnce_allGetTheSameFuture_andItCompletes() throws Exception {
    try (EventLoop real = EventLoop.start("on-demand")) {
      for (int round = 0; round < 50; round++) {
        Machine<Object> machine = real.start(flipper(), new Object());
        Set<CompletableFuture<?>> got = ConcurrentHashMap.newKeySet();
        CountDownLatch go = new CountDownLatch(1);
        List<Thread> askers = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
          Thread asker = new Thread(() -> {
            try {
              go.await();
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
            got.add(machine.lifecycle());
          });
          asker.start();
          askers.add(asker);
        }
        machine.send("finish");
        go.countDown();
        for (Thread asker : askers) {
          asker.join();
        }

        assertThat(got).as("round " + round).hasSize(1);
        assertThat(got.iterator().next().get(10, TimeUnit.SECONDS))
            .isEqualTo(machine.lifecycle().get());
        assertThat(machine.lifecycle()).isSameAs(got.iterator().next());
      }
    }
  }

  @Test
  void byDefault_aFailureReportShowsTheMachinesLastEightSteps() {
    Machine<Object> machine = loop.start(flipper(), new Object());
    for (int i = 0; i < 20; i++) {
      machine.send("flip");
    }
    machine.send("boom");
    loop.runUntilIdle();

    List<TraceEntry> steps = machine.state().failure().recentSteps();
    assertThat(LoopOptions.DEFAULTS.traceLength()).isEqualTo(8);
    assertThat(steps).as("the start and 20 flips, the last 8 kept").hasSize(8)
        .extracting(TraceEntry::event).containsOnly("flip");
    assertThat(steps.get(steps.size() - 1).to()).as("the 20th flip's target").isEqualTo("OFF");
  }
}
