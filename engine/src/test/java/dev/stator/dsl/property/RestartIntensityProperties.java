package dev.stator.dsl.property;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stator.Failure;
import dev.stator.LoopOptions;
import dev.stator.Machine;
import dev.stator.MachineDefinition;
import dev.stator.MachineFailedException;
import dev.stator.MachineListener;
import dev.stator.RecoveryPolicy;
import dev.stator.dsl.Stator;
import dev.stator.testing.TestLoop;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AddLifecycleHook;
import net.jqwik.api.lifecycle.AfterContainer;

/**
 * Restart intensity: a machine under {@code reset(...).atMost(N, T).then(exit())} whose entry
 * faults at chosen virtual times. The (N+1)th fault inside a window of length T escalates; faults
 * spaced wider never do. The engine is compared with a reference model written here from the
 * documented rule: a fault at time {@code now} may restart if fewer than N earlier restarts were at
 * times {@code t} with {@code now - t < T} (strictly: a restart exactly T ago no longer counts).
 */
@AddLifecycleHook(PropertyTries.class)
final class RestartIntensityProperties {

  private static long tries;
  private static long faults;

  /** The bound, the window, and the waits before each fault, all in nanoseconds. */
  record Case(int maxRestarts, long windowNanos, List<Long> gapsNanos) {}

  /** What the model or the engine did: the times of the restarts and the escalating fault. */
  record Outcome(List<Long> restartTimes, int escalatedAtFault) {}

  @Provide
  Arbitrary<Case> cases() {
    return windows().flatMap(window -> Combinators.combine(
        Arbitraries.integers().between(0, 4),
        gaps(window).list().ofMinSize(1).ofMaxSize(15))
        .as((n, gaps) -> new Case(n, window, gaps)));
  }

  @Provide
  Arbitrary<Case> sparseCases() {
    return windows().flatMap(window -> Combinators.combine(
        Arbitraries.integers().between(1, 4),
        Arbitraries.longs().between(window, 3 * window).list().ofMinSize(1).ofMaxSize(25))
        .as((n, gaps) -> new Case(n, window, gaps)));
  }

  @Provide
  Arbitrary<Case> burstCases() {
    return windows().flatMap(window -> Arbitraries.integers().between(0, 4).flatMap(n ->
        Arbitraries.longs().between(0, (window - 1) / (n + 1)).list().ofSize(n + 1)
            .map(gaps -> new Case(n, window, gaps))));
  }

  /** Windows of whole milliseconds and odd nanoseconds, from one nanosecond to a minute. */
  private static Arbitrary<Long> windows() {
    return Arbitraries.frequencyOf(
        Tuple.of(60, Arbitraries.longs().between(1, 2_000).map(ms -> ms * 1_000_000L)),
        Tuple.of(30, Arbitraries.longs().between(1, 2_000_000_000L)),
        Tuple.of(10, Arbitraries.of(1L, 2L, 60_000_000_000L)));
  }

  /** Waits around the window's edges, and anywhere within three windows. */
  private static Arbitrary<Long> gaps(long window) {
    return Arbitraries.frequencyOf(
        Tuple.of(10, Arbitraries.just(0L)),
        Tuple.of(10, Arbitraries.just(window - 1)),
        Tuple.of(10, Arbitraries.just(window)),
        Tuple.of(10, Arbitraries.just(window + 1)),
        Tuple.of(30, Arbitraries.longs().between(0, window)),
        Tuple.of(30, Arbitraries.longs().between(0, 3 * window)));
  }

  @Property
  void restartIntensity_anyFaultTimes_escalatesExactlyWhereTheReferenceModelDoes(
      @ForAll("cases") Case c) {
    Outcome expected = model(c);
    Outcome actual = run(c);

    assertThat(actual).isEqualTo(expected);
  }

  @Property
  void restartIntensity_faultsSpacedAtLeastAWindowApart_neverEscalate(
      @ForAll("sparseCases") Case c) {
    Outcome actual = run(c);

    assertThat(actual.escalatedAtFault()).isEqualTo(-1);
    assertThat(actual.restartTimes()).hasSize(c.gapsNanos().size());
  }

  @Property
  void restartIntensity_nPlusOneFaultsInsideOneWindow_escalateAtTheLast(
      @ForAll("burstCases") Case c) {
    Outcome actual = run(c);

    assertThat(actual.escalatedAtFault()).isEqualTo(c.maxRestarts());
    assertThat(actual.restartTimes()).hasSize(c.maxRestarts());
  }

  /** The rule as documented, on the list of all earlier restarts. */
  static Outcome model(Case c) {
    List<Long> restarts = new ArrayList<>();
    long now = 0;
    for (int fault = 0; fault < c.gapsNanos().size(); fault++) {
      now += c.gapsNanos().get(fault);
      int recent = 0;
      for (long t : restarts) {
        if (now - t < c.windowNanos()) {
          recent++;
        }
      }
      if (recent >= c.maxRestarts()) {
        return new Outcome(restarts, fault);
      }
      restarts.add(now);
    }
    return new Outcome(restarts, -1);
  }

  /** The context of one incarnation; {@code faults} counts entries into WORK across them. */
  static final class Counter {
    final int[] faults;

    Counter(int[] faults) {
      this.faults = faults;
    }
  }

  /** Runs the case on a test loop: the wait, then an event whose transition's target faults. */
  static Outcome run(Case c) {
    int[] faultsSoFar = new int[1];
    MachineDefinition<Counter> definition = Stator.<String, Counter>machine("intensity")
        .initial("IDLE")
        .state("IDLE", s -> s.on("work").goTo("WORK"))
        .state("WORK", s -> s.onEntry(counter -> {
          throw new IllegalStateException("fault " + counter.faults[0]++);
        }))
        .recovery(RecoveryPolicy.<Counter>reset(() -> new Counter(faultsSoFar))
            .atMost(c.maxRestarts(), Duration.ofNanos(c.windowNanos()))
            .then(RecoveryPolicy.exit()))
        .build();
    List<Failure> escalated = new ArrayList<>();
    List<Long> restartTimes = new ArrayList<>();
    TestLoop loop = TestLoop.create(LoopOptions.DEFAULTS
        .withFatalFailureHandler(escalated::add)
        .withDeadLetterHandler(letter -> { })
        .withUnobservedFailureHandler(failure -> { }), 0L);
    try {
      List<Machine<Counter>> machine = new ArrayList<>();
      loop.execute(() -> {
        machine.add(loop.start(definition, "intensity", new Counter(faultsSoFar)));
        machine.get(0).addListener(new MachineListener<>() {
          @Override
          public void onReset(Machine<Counter> m, Failure failure) {
            restartTimes.add(loop.elapsed().toNanos());
          }
        });
      });
      for (long gap : c.gapsNanos()) {
        loop.advance(Duration.ofNanos(gap));
        if (machine.get(0).lifecycle().isDone()) {
          break;
        }
        machine.get(0).send("work");
      }
      tries++;
      faults += faultsSoFar[0];
      if (!machine.get(0).lifecycle().isDone()) {
        assertThat(escalated).isEmpty();
        return new Outcome(restartTimes, -1);
      }
      Failure failure = machine.get(0).lifecycle().handle((t, e) ->
          ((MachineFailedException) (e instanceof CompletionException ? e.getCause() : e))
              .failure()).join();
      assertThat(escalated).containsExactly(failure);
      assertThat(failure.restartCount()).isEqualTo(restartTimes.size());
      String message = failure.cause().getMessage();
      return new Outcome(restartTimes,
          Integer.parseInt(message.substring(message.lastIndexOf(' ') + 1)));
    } finally {
      loop.close();
    }
  }

  @AfterContainer
  static void reportCounts() {
    System.out.println("[stator restart intensity] tries run: " + tries + ", faults injected: "
        + faults);
  }
}
