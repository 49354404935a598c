package dev.stator.benchmarks;

import dev.stator.EventLoop;
import dev.stator.EventLoopGroup;
import dev.stator.Machine;
import dev.stator.MachineDefinition;
import dev.stator.dsl.Stator;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
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
 * Scale across cores: an {@link EventLoopGroup} of 1 or 2 loops, 64 toggle machines on each
 * (placed by key: the machine ids that {@code loopFor} maps to that loop). One operation is one
 * event; an invocation hands every loop a task that sends 8,192 events round-robin to its own
 * machines (the path an I/O handler on that loop takes) and waits until every loop has done so.
 * The score is events per second for the whole group, so with two cores two loops should come
 * close to twice one loop.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class GroupThroughputBenchmark {

  static final int PER_LOOP = 8192;
  static final int MACHINES_PER_LOOP = 64;

  enum Toggle { OFF, ON }

  enum Event { FLIP }

  /** The context: a counter. */
  public static final class Counter {
    long flips;
  }

  static final MachineDefinition<Counter> TOGGLE = Stator.<Toggle, Counter>machine("toggle")
      .initial(Toggle.OFF)
      .state(Toggle.OFF, s -> s.on(Event.FLIP).then(c -> c.flips++).goTo(Toggle.ON))
      .state(Toggle.ON, s -> s.on(Event.FLIP).then(c -> c.flips++).goTo(Toggle.OFF))
      .build();

  /** A group and, for each loop, its machines and its batch. */
  public abstract static class Group {
    EventLoopGroup group;
    final List<Runnable> batches = new ArrayList<>();
    final List<Counter> counters = new ArrayList<>();

    abstract int loops();

    @Setup(Level.Trial)
    public void setUp() throws Exception {
      group = EventLoopGroup.start("bench", loops());
      for (EventLoop loop : group.loops()) {
        List<Machine<Counter>> machines = new ArrayList<>();
        for (int key = 0; machines.size() < MACHINES_PER_LOOP; key++) {
          String id = "m" + key;
          if (group.loopFor(id) == loop) {
            Counter counter = new Counter();
            counters.add(counter);
            machines.add(group.start(TOGGLE, id, counter));
          }
        }
        @SuppressWarnings("unchecked")
        Machine<Counter>[] targets = machines.toArray(new Machine[0]);
        batches.add(() -> {
          for (int i = 0; i < PER_LOOP; i++) {
            targets[i & (MACHINES_PER_LOOP - 1)].send(Event.FLIP);
          }
        });
      }
      run(this);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
      group.close();
      if (counters.stream().anyMatch(c -> c.flips == 0)) {
        throw new IllegalStateException("a machine never flipped");
      }
    }
  }

  /** A group of one loop. */
  @State(Scope.Benchmark)
  public static class OneLoop extends Group {
    @Override
    int loops() {
      return 1;
    }
  }

  /** A group of two loops. */
  @State(Scope.Benchmark)
  public static class TwoLoops extends Group {
    @Override
    int loops() {
      return 2;
    }
  }

  static int run(Group s) throws Exception {
    List<EventLoop> loops = s.group.loops();
    CompletableFuture<?>[] done = new CompletableFuture<?>[loops.size()];
    for (int i = 0; i < done.length; i++) {
      CompletableFuture<Void> finished = new CompletableFuture<>();
      Runnable batch = s.batches.get(i);
      loops.get(i).execute(() -> {
        batch.run();
        finished.complete(null);
      });
      done[i] = finished;
    }
    CompletableFuture.allOf(done).get(1, TimeUnit.MINUTES);
    return done.length;
  }

  /** Every loop sends 8,192 events to its own machines; the group's events per second. */
  @Benchmark
  @OperationsPerInvocation(PER_LOOP)
  public int oneLoop(OneLoop s) throws Exception {
    return run(s);
  }

  /** The same with two loops: twice the events per invocation. */
  @Benchmark
  @OperationsPerInvocation(2 * PER_LOOP)
  public int twoLoops(TwoLoops s) throws Exception {
    return run(s);
  }
}
