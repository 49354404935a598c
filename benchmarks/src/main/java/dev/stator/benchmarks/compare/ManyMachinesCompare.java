package dev.stator.benchmarks.compare;

import static dev.stator.benchmarks.compare.CompareSupport.BATCH;
import static dev.stator.benchmarks.compare.CompareSupport.expect;
import static dev.stator.benchmarks.compare.CompareSupport.expectPositive;

import com.github.oxo42.stateless4j.StateMachineConfig;
import dev.stator.LoopOptions;
import dev.stator.Machine;
import dev.stator.MachineDefinition;
import dev.stator.benchmarks.compare.ToggleCompare.Counter;
import dev.stator.benchmarks.compare.ToggleCompare.Event;
import dev.stator.benchmarks.compare.ToggleCompare.Toggle;
import dev.stator.dsl.Stator;
import dev.stator.testing.TestLoop;
import java.util.SplittableRandom;
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
 * The toggle machine of {@link ToggleCompare} at scale: N machines, each with its own context,
 * and every event goes to the next machine of a fixed pseudo-random order, as in a protocol server
 * that runs one machine per connection (issue 18). With one machine everything stays in L1; with
 * a million, every event lands on a machine whose lines left the caches long ago, so the score is
 * mostly how many cache misses one event costs and how many of them depend on each other.
 *
 * <p><b>The order.</b> {@value #ORDER} machine indices, each uniform in {@code [0, N)}, drawn once
 * per trial from a {@link SplittableRandom} seeded with {@value #SEED} (the same order for every
 * implementation at the same N). Every implementation walks it cyclically, carrying its position
 * from one invocation to the next, so successive invocations do not replay the same prefix. The
 * order array is 4 MiB and read sequentially: the hardware prefetcher hides it.
 *
 * <ul>
 *   <li>{@code stator}: a {@link TestLoop} on the benchmark thread with N machines of
 *       {@link ToggleCompare#STATOR} started on it, each with its own {@link Counter}; each
 *       invocation runs one loop task that sends {@value CompareSupport#BATCH} events with
 *       {@code machine.send}, as {@code ToggleCompare.stator} does: Stator's cheapest path. The N
 *       machines are children of one host machine, started from its action with
 *       {@code step.startChild} (as {@code examples.kv.KvServer}'s listener starts a session per
 *       connection), not with {@code TestLoop.start}: the test loop keeps a list of the machines
 *       it started and, once it holds 1,024, scans the whole list on every start, so starting a
 *       million top-level machines on one test loop takes hours. A child's step is the same code
 *       as a top-level machine's; the parent is involved only when a child ends. The counters
 *       are allocated first, then the machines (all in the host's one step). The loop is not
 *       closed at the end of the trial: closing would end every child, and removing a child from
 *       its parent is a linear search ({@code Children.remove}), O(N²) for N children.
 *   <li>{@code stateless4j}: N {@code StateMachine}s sharing one {@code StateMachineConfig}.
 *       stateless4j's actions take no context, and a configuration per machine (capturing that
 *       machine's counter) would multiply the memory per machine several times; so the shared
 *       configuration's action increments the counter in a field of the benchmark state, which the
 *       benchmark sets to the target machine's own {@link Counter} just before {@code fire}. Each
 *       machine still has its own counter and every flip lands in it; the price is a load and a store
 *       per event that a context-taking library would not need.
 *   <li>{@code handArrays}: the cheapest possible layout, a {@code byte[]} of states and a
 *       {@code long[]} of counts, indexed by machine; no objects per machine at all.
 *   <li>{@code handObjects}: one small object per machine holding its state (an enum reference)
 *       and a reference to its own {@link Counter}, allocated one after the other (counter,
 *       machine, counter, machine...) as a server would create them, and the {@code switch} of
 *       {@code ToggleCompare.handWritten}. In a random order the state is random, so that switch
 *       is a branch the CPU mispredicts half the time, and it depends on the machine's (missed)
 *       state.
 *   <li>{@code handObjectsNoBranch}: the same objects, with the state a byte the event flips
 *       arithmetically ({@code state ^= 1}), so the only thing that differs from
 *       {@code handObjects} is that unpredictable branch: the difference is what a
 *       mispredicted branch on a cold load costs, as opposed to the misses themselves.
 * </ul>
 *
 * <p>Before the measurement, the set-up sends every machine {@code warmSteps} (32) events, so
 * that the measurement sees machines that have worked a while, as on a server that has been up:
 * Stator's failure trace ring starts with room for one step and doubles, allocating, up to
 * {@code LoopOptions.traceLength()} (16) steps, and with a million machines a measurement of a few
 * seconds would otherwise see mostly rings still growing ({@code -p warmSteps=0} measures that).
 *
 * <p>Every tear-down checks that the flips of all counters add up to the events sent and that
 * each machine's state agrees with the parity of its own count, so an implementation that drops
 * or misroutes events fails the run.
 *
 * <p><b>Heap.</b> The forks run with {@code -Xms4g -Xmx4g -XX:+AlwaysPreTouch}: a million Stator
 * machines that have worked retain about 420 MB with their counters (416 B per machine, see
 * {@code RetainedPerMachine}), and the fixed, pre-touched heap leaves a young generation large
 * enough that the measurement sees no collection at all (steady state: nothing is allocated per
 * event) and touches no page for the first time. Run with {@code -prof gc} for bytes allocated
 * per event: {@code gc.alloc.rate.norm} is per operation, and an operation is one event.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms4g", "-Xmx4g", "-XX:+AlwaysPreTouch"})
public class ManyMachinesCompare {

  /** Entries of the order; a power of two. */
  static final int ORDER = 1 << 20;
  /** The order's seed. */
  static final long SEED = 18L;

  /** Draws the order of machine indices for {@code machines} machines. */
  static int[] order(int machines) {
    SplittableRandom random = new SplittableRandom(SEED);
    int[] order = new int[ORDER];
    for (int i = 0; i < ORDER; i++) {
      order[i] = random.nextInt(machines);
    }
    return order;
  }

  /** What every implementation has: N, the order and the position in it. */
  @State(Scope.Thread)
  public abstract static class Many {
    /** How many machines the events are spread over. */
    @Param({"1", "1000", "100000", "1000000"})
    public int machines;

    /**
     * Events each machine takes in the set-up, before the first measured event: 32 by default, so
     * that every implementation is measured in its steady state (Stator's failure trace ring,
     * which grows from one step to {@code LoopOptions.traceLength()}, 16, is full); 0 measures
     * machines that have only started, while their rings grow.
     */
    @Param({"32"})
    public int warmSteps;

    int[] order;
    int position;
    long batches;

    /** Returns the next machine's index. */
    final int next() {
      return order[position++ & (ORDER - 1)];
    }

    final void prepare() {
      order = order(machines);
      position = 0;
      batches = 0;
    }

    /** Checks the total (the set-up's flips included) against the events sent. */
    final void check(String name, long total) {
      expectPositive(name + " flips", total);
      expect(name + " flips", total, batches * BATCH + (long) warmSteps * machines);
    }

    static void checkParity(String name, int index, long flips, boolean on) {
      if (((flips & 1) == 1) != on) {
        throw new IllegalStateException(name + ": machine " + index + " has " + flips
            + " flips but is " + (on ? "ON" : "OFF"));
      }
    }
  }

  /** The host machine's only state. */
  enum Host { UP }

  /** The host's one event: start the children. */
  enum HostEvent { SPAWN }

  /** The host's context: where to put the machines it starts, and their contexts. */
  static final class Spawner {
    final Machine<Counter>[] machines;
    final Counter[] counters;
    int started;

    Spawner(Machine<Counter>[] machines, Counter[] counters) {
      this.machines = machines;
      this.counters = counters;
    }
  }

  /** A machine that starts the N toggles as its children, as a listener starts its sessions. */
  static final MachineDefinition<Spawner> HOST = Stator.<Host, Spawner>machine("host")
      .initial(Host.UP)
      .state(Host.UP, s -> s.on(HostEvent.SPAWN).then((spawner, step) -> {
        for (int i = 0; i < spawner.machines.length; i++) {
          spawner.machines[i] = step.startChild(ToggleCompare.STATOR, spawner.counters[i]);
          spawner.started++;
        }
      }).stay())
      .build();

  /** Stator: N machines on one test loop, driven from the benchmark thread. */
  @State(Scope.Thread)
  public static class StatorState extends Many {
    TestLoop loop;
    Machine<Spawner> host;
    long deadLetters;
    Machine<Counter>[] machine;
    Counter[] counter;
    Runnable sendBatch;

    @Setup(Level.Trial)
    @SuppressWarnings({"unchecked", "rawtypes"})
    public void setUp() {
      prepare();
      // the default options but for dead letters, which are counted (there must be none)
      loop = TestLoop.create(LoopOptions.DEFAULTS.withDeadLetterHandler(
          letter -> deadLetters++));
      machine = new Machine[machines];
      counter = new Counter[machines];
      for (int i = 0; i < machines; i++) {
        counter[i] = new Counter();
      }
      // the machines are children of one host machine: see the class comment
      Spawner spawner = new Spawner(machine, counter);
      host = loop.start(HOST, spawner);
      loop.execute(() -> host.send(HostEvent.SPAWN));
      loop.runUntilIdle();
      expect("stator machines started", spawner.started, machines);
      loop.execute(() -> {
        for (Machine<Counter> each : machine) {
          for (int k = 0; k < warmSteps; k++) {
            each.send(Event.FLIP);
          }
        }
      });
      loop.runUntilIdle();
      expect("stator last machine", machine[machines - 1].state().path(), "OFF");
      sendBatch = () -> {
        Machine<Counter>[] targets = machine;
        for (int i = 0; i < BATCH; i++) {
          targets[next()].send(Event.FLIP);
        }
      };
    }

    @TearDown(Level.Trial)
    public void tearDown() {
      loop.checkFailures();
      long total = 0;
      for (int i = 0; i < machines; i++) {
        total += counter[i].flips;
        checkParity("stator", i, counter[i].flips, machine[i].state().path().equals("ON"));
      }
      check("stator", total);
      expect("stator dead letters", deadLetters, 0L);
      // not closed: closing stops the children one by one, and each ending child is removed from
      // its parent's list of children with a linear search (Children.remove), O(N) per child and
      // O(N²) for N of them, hours for a million; the trial's JVM exits instead
    }
  }

  /** stateless4j: N machines sharing one configuration; see the class comment for contexts. */
  @State(Scope.Thread)
  public static class Stateless4jState extends Many {
    com.github.oxo42.stateless4j.StateMachine<Toggle, Event>[] machine;
    Counter[] counter;
    /** The target machine's counter, which the shared configuration's action increments. */
    Counter current;

    @Setup(Level.Trial)
    @SuppressWarnings({"unchecked", "rawtypes"})
    public void setUp() {
      prepare();
      StateMachineConfig<Toggle, Event> config = new StateMachineConfig<>();
      config.configure(Toggle.OFF).permit(Event.FLIP, Toggle.ON, () -> current.flip());
      config.configure(Toggle.ON).permit(Event.FLIP, Toggle.OFF, () -> current.flip());
      machine = new com.github.oxo42.stateless4j.StateMachine[machines];
      counter = new Counter[machines];
      for (int i = 0; i < machines; i++) {
        counter[i] = new Counter();
        machine[i] = new com.github.oxo42.stateless4j.StateMachine<>(Toggle.OFF, config);
        current = counter[i];
        for (int k = 0; k < warmSteps; k++) {
          machine[i].fire(Event.FLIP);
        }
      }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
      long total = 0;
      for (int i = 0; i < machines; i++) {
        total += counter[i].flips;
        checkParity("stateless4j", i, counter[i].flips, machine[i].getState() == Toggle.ON);
      }
      check("stateless4j", total);
    }
  }

  /** Hand-written, as arrays: a state byte and a count per machine. */
  @State(Scope.Thread)
  public static class ArraysState extends Many {
    byte[] state;
    long[] count;

    @Setup(Level.Trial)
    public void setUp() {
      prepare();
      state = new byte[machines];
      count = new long[machines];
      for (int i = 0; i < machines; i++) {
        for (int k = 0; k < warmSteps; k++) {
          count[i]++;
          state[i] ^= 1;
        }
      }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
      long total = 0;
      for (int i = 0; i < machines; i++) {
        total += count[i];
        checkParity("handArrays", i, count[i], state[i] == 1);
      }
      check("handArrays", total);
    }
  }

  /** A hand-written machine as an object: its state and its own context. */
  static final class HandMachine {
    Toggle state = Toggle.OFF;
    /** The state as a byte, 0 OFF and 1 ON, for {@code handObjectsNoBranch} only. */
    byte on;
    final Counter counter;

    HandMachine(Counter counter) {
      this.counter = counter;
    }

    void fire(Event event) {
      switch (state) {
        case OFF -> {
          if (event == Event.FLIP) {
            counter.flip();
            state = Toggle.ON;
          }
        }
        case ON -> {
          if (event == Event.FLIP) {
            counter.flip();
            state = Toggle.OFF;
          }
        }
        default -> throw new IllegalStateException("unknown state " + state);
      }
    }
  }

  /** Hand-written, one object per machine. */
  @State(Scope.Thread)
  public static class ObjectsState extends Many {
    HandMachine[] machine;

    @Setup(Level.Trial)
    public void setUp() {
      prepare();
      machine = new HandMachine[machines];
      for (int i = 0; i < machines; i++) {
        machine[i] = new HandMachine(new Counter());
        for (int k = 0; k < warmSteps; k++) {
          machine[i].fire(Event.FLIP);
        }
      }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
      long total = 0;
      for (int i = 0; i < machines; i++) {
        total += machine[i].counter.flips;
        HandMachine m = machine[i];
        checkParity("handObjects", i, m.counter.flips, m.state == Toggle.ON ^ m.on == 1);
      }
      check("handObjects", total);
    }
  }

  /** Stator: one loop task sending the batch, each event to the next machine of the order. */
  @Benchmark
  @OperationsPerInvocation(BATCH)
  public long stator(StatorState s) {
    s.loop.execute(s.sendBatch);
    return ++s.batches;
  }

  /** stateless4j; the score is per event. */
  @Benchmark
  @OperationsPerInvocation(BATCH)
  public long stateless4j(Stateless4jState s) {
    var machines = s.machine;
    Counter[] counters = s.counter;
    for (int i = 0; i < BATCH; i++) {
      int target = s.next();
      s.current = counters[target];
      machines[target].fire(Event.FLIP);
    }
    return ++s.batches;
  }

  /** Hand-written arrays; the score is per event. */
  @Benchmark
  @OperationsPerInvocation(BATCH)
  public long handArrays(ArraysState s) {
    byte[] state = s.state;
    long[] count = s.count;
    for (int i = 0; i < BATCH; i++) {
      int target = s.next();
      count[target]++;
      state[target] ^= 1;
    }
    return ++s.batches;
  }

  /** Hand-written objects without the switch: the state flipped arithmetically. */
  @Benchmark
  @OperationsPerInvocation(BATCH)
  public long handObjectsNoBranch(ObjectsState s) {
    HandMachine[] machines = s.machine;
    for (int i = 0; i < BATCH; i++) {
      HandMachine m = machines[s.next()];
      m.counter.flips++;
      m.on ^= 1;
    }
    return ++s.batches;
  }

  /** Hand-written objects; the score is per event. */
  @Benchmark
  @OperationsPerInvocation(BATCH)
  public long handObjects(ObjectsState s) {
    HandMachine[] machines = s.machine;
    for (int i = 0; i < BATCH; i++) {
      machines[s.next()].fire(Event.FLIP);
    }
    return ++s.batches;
  }
}
