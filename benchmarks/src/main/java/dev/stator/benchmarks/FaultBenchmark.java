package dev.stator.benchmarks;

import dev.stator.LoopOptions;
import dev.stator.Machine;
import dev.stator.MachineDefinition;
import dev.stator.MachineListener;
import dev.stator.RecoveryPolicy;
import dev.stator.dsl.Stator;
import dev.stator.testing.TestLoop;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The cost of a fault: from an action that throws to the completed lifecycle future (policy exit),
 * and to the machine back in its initial state (policy reset). Sampled, so that the report has
 * medians and tails. Runs on the deterministic loop on the benchmark thread.
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class FaultBenchmark {

  /** The context: nothing to keep. */
  public static final class Nothing {}

  static final IllegalStateException BOOM = new IllegalStateException("boom");

  static MachineDefinition<Nothing> faulting(RecoveryPolicy<Nothing> policy) {
    return Stator.<String, Nothing>machine("faulting")
        .initial("IDLE")
        .state("IDLE", s -> s
            .on("boom").then(n -> {
              throw BOOM;
            }).stay())
        .recovery(policy)
        .build();
  }

  static final MachineDefinition<Nothing> EXITING = faulting(RecoveryPolicy.exit());
  static final MachineDefinition<Nothing> RESETTING = faulting(
      RecoveryPolicy.<Nothing>reset(Nothing::new).atMost(1, Duration.ofNanos(1)));

  static TestLoop quietLoop() {
    return TestLoop.create(LoopOptions.DEFAULTS
        .withUnobservedFailureHandler(f -> { })
        .withFatalFailureHandler(f -> { })
        .withDeadLetterHandler(d -> { }), 1L);
  }

  /** A fresh exiting machine for every invocation, on a loop whose handlers do nothing. */
  @State(Scope.Thread)
  public static class Exiting {
    TestLoop loop;
    Machine<Nothing> machine;

    @Setup(Level.Trial)
    public void setUp() {
      loop = quietLoop();
    }

    @Setup(Level.Invocation)
    public void freshMachine() {
      machine = loop.start(EXITING, "exiting", new Nothing());
    }

    @TearDown(Level.Trial)
    public void tearDown() {
      if (loop.liveMachines() > 1) {
        throw new IllegalStateException(loop.liveMachines() + " machines did not fail");
      }
      loop.close();
    }
  }

  /** One machine that is reset after every fault. */
  @State(Scope.Thread)
  public static class Resetting {
    TestLoop loop;
    Machine<Nothing> machine;

    @Setup(Level.Trial)
    public void setUp() {
      loop = quietLoop();
      // a listener observes the resets, as an application would; without one each is logged
      machine = loop.start(RESETTING, "resetting", new Nothing(), new MachineListener<>() { });
    }

    @TearDown(Level.Trial)
    public void tearDown() {
      if (machine.lifecycle().isDone()) {
        throw new IllegalStateException("the resetting machine ended: " + machine.state());
      }
      loop.close();
    }
  }

  /** Fault in an action to the lifecycle future completed exceptionally (policy exit). */
  @Benchmark
  public boolean faultToFailedFuture(Exiting s) {
    s.machine.send("boom");
    return s.machine.lifecycle().isCompletedExceptionally();
  }

  /**
   * Fault in an action to the machine running again in its initial state (policy reset). The loop
   * advances one virtual nanosecond per fault so that the restart window (1 ns) never fills.
   */
  @Benchmark
  public boolean faultToResetInitialState(Resetting s) {
    s.machine.send("boom");
    s.loop.advance(Duration.ofNanos(1));
    return s.machine.state().path().equals("IDLE");
  }

  /** What {@link #faultToResetInitialState} spends on advancing time, for subtraction. */
  @Benchmark
  public void advanceOnlyBaseline(Resetting s) {
    s.loop.advance(Duration.ofNanos(1));
  }
}
