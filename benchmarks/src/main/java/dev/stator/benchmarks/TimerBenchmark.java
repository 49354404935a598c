package dev.stator.benchmarks;

import dev.stator.LoopOptions;
import dev.stator.Machine;
import dev.stator.MachineDefinition;
import dev.stator.dsl.Stator;
import dev.stator.testing.TestLoop;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
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
 * Schedule plus cancel of a state timeout with 1,000,000 timers pending. A million idle machines
 * wait in a state with an {@code after(1h)} timeout, so the loop's timing wheel holds a million
 * timers; then one machine flips between two states that each have an {@code after(1h)} timeout,
 * so every event cancels the timer of the state it leaves and schedules the one of the state it
 * enters. {@code stateTimeout} is that machine; {@code noTimeout} is the same machine without the
 * timeouts on the same loop, so the difference of the two is what the timeouts add: one schedule
 * and one cancel, through the engine's real path (state entry and exit). The baseline is the JDK's
 * {@link ScheduledThreadPoolExecutor} with {@code removeOnCancelPolicy}, also holding a million
 * tasks: {@code schedule} plus {@code cancel} of one.
 *
 * <p>No FSM library of the comparison has a comparable timer (squirrel and stateless4j have no
 * state timeouts; Spring Statemachine's timers run on a TaskScheduler), so they are not measured.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms3g", "-Xmx3g"})
public class TimerBenchmark {

  static final int PENDING = 1_000_000;
  static final int BATCH = 1000;

  enum Flip { PING, PONG }

  enum Event { FLIP }

  /** The context: a counter. */
  public static final class Counter {
    long flips;
  }

  static final MachineDefinition<Counter> WAITING = Stator.<String, Counter>machine("waiting")
      .initial("WAITING")
      .state("WAITING", s -> s.after(Duration.ofHours(1)).goTo("WAITING"))
      .build();

  static MachineDefinition<Counter> flipping(boolean timeouts) {
    return Stator.<Flip, Counter>machine(timeouts ? "timed" : "untimed")
        .initial(Flip.PING)
        .state(Flip.PING, s -> {
          s.on(Event.FLIP).then(c -> c.flips++).goTo(Flip.PONG);
          if (timeouts) {
            s.after(Duration.ofHours(1)).goTo(Flip.PING);
          }
        })
        .state(Flip.PONG, s -> {
          s.on(Event.FLIP).then(c -> c.flips++).goTo(Flip.PING);
          if (timeouts) {
            s.after(Duration.ofHours(1)).goTo(Flip.PONG);
          }
        })
        .build();
  }

  /** A loop holding a million pending state timeouts, and the two flipping machines. */
  @State(Scope.Benchmark)
  public static class Loaded {
    TestLoop loop;
    Counter timed = new Counter();
    Counter untimed = new Counter();
    Runnable flipTimed;
    Runnable flipUntimed;

    @Setup(Level.Trial)
    public void setUp() {
      loop = TestLoop.create(LoopOptions.DEFAULTS, 1L);
      Counter shared = new Counter();
      loop.execute(() -> {
        for (int i = 0; i < PENDING; i++) {
          loop.start(WAITING, "w" + i, shared);
        }
      });
      loop.runUntilIdle();
      Machine<Counter> withTimeouts = loop.start(flipping(true), timed);
      Machine<Counter> without = loop.start(flipping(false), untimed);
      flipTimed = () -> {
        for (int i = 0; i < BATCH; i++) {
          withTimeouts.send(Event.FLIP);
        }
      };
      flipUntimed = () -> {
        for (int i = 0; i < BATCH; i++) {
          without.send(Event.FLIP);
        }
      };
      if (loop.pendingTimers() < PENDING) {
        throw new IllegalStateException("only " + loop.pendingTimers() + " timers pending");
      }
      // settle the heap the setup filled, so that G1's concurrent marking of a million new
      // machines (which makes every reference store costlier while it runs) is not measured
      System.gc();
      System.gc();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
      // each benchmark method runs in a fork of its own, so only one of the two machines flipped
      if (timed.flips + untimed.flips == 0 || loop.pendingTimers() < PENDING) {
        throw new IllegalStateException("the machines did not flip, or timers were lost");
      }
      loop.close();
    }
  }

  /** Per event: a transition that cancels one state timeout and schedules another. */
  @Benchmark
  @OperationsPerInvocation(BATCH)
  public long stateTimeout(Loaded s) {
    s.loop.execute(s.flipTimed);
    return s.timed.flips;
  }

  /** Per event: the same transition without timeouts, on the same loop. */
  @Benchmark
  @OperationsPerInvocation(BATCH)
  public long noTimeout(Loaded s) {
    s.loop.execute(s.flipUntimed);
    return s.untimed.flips;
  }

  /** The JDK's scheduler holding a million tasks. */
  @State(Scope.Benchmark)
  public static class Jdk {
    ScheduledThreadPoolExecutor executor;

    @Setup(Level.Trial)
    public void setUp() {
      executor = new ScheduledThreadPoolExecutor(1);
      executor.setRemoveOnCancelPolicy(true);
      for (int i = 0; i < PENDING; i++) {
        executor.schedule(() -> { }, 1, TimeUnit.HOURS);
      }
      System.gc();
      System.gc();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
      if (executor.getQueue().size() < PENDING) {
        throw new IllegalStateException("tasks were lost");
      }
      executor.shutdownNow();
    }
  }

  /** Per operation: schedule one task an hour ahead, then cancel it. */
  @Benchmark
  public boolean jdkScheduledExecutor(Jdk s) {
    ScheduledFuture<?> future = s.executor.schedule(() -> { }, 1, TimeUnit.HOURS);
    return future.cancel(false);
  }
}
