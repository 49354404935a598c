package dev.stator.benchmarks;

import dev.stator.Machine;
import dev.stator.MachineDefinition;
import dev.stator.dsl.Stator;
import dev.stator.testing.TestLoop;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * In-loop dispatch of the toggle machine: states OFF and ON, event FLIP moving between them, an
 * action counting. Stator's side sends a batch of events from the loop thread (as a machine or an
 * I/O handler does) and the loop delivers them: the whole path users run, queue included. The
 * baseline is the same machine written by hand as an enum and a switch.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class ToggleBenchmark {

  static final int BATCH = 1000;

  enum Toggle { OFF, ON }

  enum Event { FLIP }

  /** The context: a counter the action increments. */
  public static final class Counter {
    long flips;

    void increment() {
      flips++;
    }
  }

  static final MachineDefinition<Counter> TOGGLE = Stator.<Toggle, Counter>machine("toggle")
      .initial(Toggle.OFF)
      .state(Toggle.OFF, s -> s.on(Event.FLIP).then(Counter::increment).goTo(Toggle.ON))
      .state(Toggle.ON, s -> s.on(Event.FLIP).then(Counter::increment).goTo(Toggle.OFF))
      .build();

  /** Stator on the deterministic loop, driven from its own thread. */
  @State(Scope.Thread)
  public static class StatorState {
    TestLoop loop;
    Machine<Counter> machine;
    Counter counter;
    Runnable sendBatch;

    @org.openjdk.jmh.annotations.Param({"16"})
    int traceLength;

    @Setup(Level.Trial)
    public void setUp() {
      loop = TestLoop.create(dev.stator.LoopOptions.DEFAULTS.withTraceLength(traceLength), 0L);
      counter = new Counter();
      machine = loop.start(TOGGLE, counter);
      Machine<Counter> target = machine;
      sendBatch = () -> {
        for (int i = 0; i < BATCH; i++) {
          target.send(Event.FLIP);
        }
      };
    }

    @TearDown(Level.Trial)
    public void tearDown() {
      if (counter.flips == 0) {
        throw new IllegalStateException("the machine never flipped");
      }
      loop.close();
    }
  }

  /** The same loop path with a machine that ignores the event: the cost of delivery alone. */
  @State(Scope.Thread)
  public static class IgnoringState {
    TestLoop loop;
    Runnable sendBatch;

    @Setup(Level.Trial)
    public void setUp() {
      loop = TestLoop.create();
      Machine<Counter> machine = loop.start(Stator.<Toggle, Counter>machine("ignoring")
          .initial(Toggle.OFF).state(Toggle.OFF).build(), new Counter());
      sendBatch = () -> {
        for (int i = 0; i < BATCH; i++) {
          machine.send(Event.FLIP);
        }
      };
    }
  }

  /** Queue and delivery without a transition, to show what the queue costs; the score is per event. */
  @Benchmark
  @OperationsPerInvocation(BATCH)
  public void statorDeliveryOnly(IgnoringState s) {
    s.loop.execute(s.sendBatch);
  }

  /** The hand-written machine. */
  @State(Scope.Thread)
  public static class SwitchState {
    Toggle state = Toggle.OFF;
    final Counter counter = new Counter();

    void fire(Event event) {
      switch (state) {
        case OFF -> {
          if (event == Event.FLIP) {
            counter.increment();
            state = Toggle.ON;
          }
        }
        case ON -> {
          if (event == Event.FLIP) {
            counter.increment();
            state = Toggle.OFF;
          }
        }
        default -> throw new IllegalStateException("unknown state " + state);
      }
    }
  }

  /** Stator: 1000 events queued on the loop thread and dispatched; the score is per event. */
  @Benchmark
  @OperationsPerInvocation(BATCH)
  public long stator(StatorState s) {
    s.loop.execute(s.sendBatch);
    return s.counter.flips;
  }

  /** The hand-written enum/switch machine; the score is per event. */
  @Benchmark
  @OperationsPerInvocation(BATCH)
  public long handWritten(SwitchState s) {
    for (int i = 0; i < BATCH; i++) {
      s.fire(Event.FLIP);
    }
    return s.counter.flips;
  }
}
