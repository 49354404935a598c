package dev.stator.benchmarks;

import dev.stator.LoopOptions;
import dev.stator.Machine;
import dev.stator.dsl.Stator;
import dev.stator.benchmarks.compare.ToggleCompare;
import dev.stator.benchmarks.compare.ToggleCompare.Counter;
import dev.stator.benchmarks.compare.ToggleCompare.Event;
import dev.stator.benchmarks.compare.ToggleCompare.Toggle;
import dev.stator.micrometer.StatorMetrics;
import dev.stator.testing.TestLoop;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What the toggle of {@link ToggleCompare} costs in parts, for tuning the engine: {@code stator}
 * takes the failure trace's length as a parameter ({@code -p traceLength=0,16} shows what the trace
 * costs), and {@code statorDeliveryOnly} sends to a machine that ignores the event, so it measures
 * the send and the step frame without a transition. The hand-written baseline is
 * {@code ToggleCompare.handWritten}. Batches of 1,000 events are sent from a loop task, as in the
 * comparison; the score is per event.
 *
 * <p>{@code -p jfr=off,cold,steps} shows what the flight-recorder events cost the step:
 * {@code off} records nothing, {@code cold} runs a recording of every Stator event but the slow
 * step (a step then reads the same folded constant as with no recording), {@code steps} adds the
 * slow-step event at its default 10 ms threshold, so every step is timed and none is committed.
 *
 * <p>{@code -p metrics=off,untimed,on} shows what the Micrometer binder costs the step: {@code off} is a
 * loop with no observer (and none anywhere in the JVM: the step reads the folded constant only),
 * {@code on} attaches a {@code StatorMetrics} bound to a {@code SimpleMeterRegistry}, timing one
 * step in 16 (its default), and {@code untimed} the same binder timing almost no step, which
 * separates the cost of counting from that of the sampled timer.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class ToggleBenchmark {

  static final int BATCH = 1000;

  /** A test loop with one machine and a task that sends it a batch. */
  public abstract static class Loaded {
    TestLoop loop;
    final Counter counter = new Counter();
    Runnable sendBatch;

    void start(LoopOptions options, dev.stator.MachineDefinition<Counter> definition) {
      loop = TestLoop.create(options, 0L);
      Machine<Counter> machine = loop.start(definition, counter);
      sendBatch = () -> {
        for (int i = 0; i < BATCH; i++) {
          machine.send(Event.FLIP);
        }
      };
    }

    @TearDown(Level.Trial)
    public void tearDown() {
      loop.close();
    }
  }

  /** The toggle, with a failure trace of the given length. */
  @State(Scope.Thread)
  public static class Toggling extends Loaded {
    @Param({"16"})
    int traceLength;

    /** What the flight recorder records: off, cold (every Stator event but SlowStep), steps. */
    @Param({"off"})
    String jfr;

    /** Whether a Micrometer binder observes the loop: off, on, or untimed (counting only). */
    @Param({"off"})
    String metrics;

    private jdk.jfr.Recording recording;

    @Setup(Level.Trial)
    public void setUp() {
      if (!jfr.equals("off")) {
        recording = new jdk.jfr.Recording();
        for (String event : new String[] {"MachineStarted", "MachineEnded", "Fault", "Recovery",
            "DeadLetter", "LoopStall"}) {
          recording.enable("dev.stator." + event);
        }
        if (jfr.equals("steps")) {
          recording.enable("dev.stator.SlowStep");
        } else if (jfr.equals("cold")) {
          // off by default already; said here so the case cannot silently time steps
          recording.disable("dev.stator.SlowStep");
        } else {
          throw new IllegalArgumentException("jfr is off, cold or steps, not " + jfr);
        }
        recording.start();
      }
      LoopOptions options = LoopOptions.DEFAULTS.withTraceLength(traceLength);
      if (metrics.equals("on") || metrics.equals("untimed")) {
        StatorMetrics binder = metrics.equals("on") ? StatorMetrics.create()
            : StatorMetrics.builder().timeOneStepIn(Integer.MAX_VALUE).build();
        binder.bindTo(new SimpleMeterRegistry());
        options = binder.attachTo(options);
      } else if (!metrics.equals("off")) {
        throw new IllegalArgumentException("metrics is off, on or untimed, not " + metrics);
      }
      start(options, ToggleCompare.STATOR);
    }

    @Override
    public void tearDown() {
      if (recording != null) {
        recording.close();
      }
      if (counter.flips() == 0) {
        throw new IllegalStateException("the machine never flipped");
      }
      super.tearDown();
    }
  }

  /** A machine with no transition on the event. */
  @State(Scope.Thread)
  public static class Ignoring extends Loaded {
    @Setup(Level.Trial)
    public void setUp() {
      start(LoopOptions.DEFAULTS, Stator.<Toggle, Counter>machine("ignoring")
          .initial(Toggle.OFF).state(Toggle.OFF).build());
    }
  }

  /** Stator's toggle; the score is per event. */
  @Benchmark
  @OperationsPerInvocation(BATCH)
  public long stator(Toggling s) {
    s.loop.execute(s.sendBatch);
    return s.counter.flips();
  }

  /** The send and the step frame without a transition; the score is per event. */
  @Benchmark
  @OperationsPerInvocation(BATCH)
  public void statorDeliveryOnly(Ignoring s) {
    s.loop.execute(s.sendBatch);
  }
}
