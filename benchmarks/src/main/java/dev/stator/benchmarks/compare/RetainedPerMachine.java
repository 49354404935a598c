package dev.stator.benchmarks.compare;


import com.github.oxo42.stateless4j.StateMachineConfig;
import dev.stator.EventLoop;
import dev.stator.Machine;
import dev.stator.Status;
import dev.stator.benchmarks.compare.CreationCompare.HandToggle;
import dev.stator.benchmarks.compare.ToggleCompare.Counter;
import dev.stator.benchmarks.compare.ToggleCompare.Event;
import dev.stator.benchmarks.compare.ToggleCompare.SquirrelToggle;
import dev.stator.benchmarks.compare.ToggleCompare.Toggle;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.springframework.statemachine.config.StateMachineBuilder;
import org.springframework.statemachine.config.StateMachineFactory;

/**
 * Heap kept alive by an idle machine, for each of the five implementations of the toggle machine
 * of {@link ToggleCompare}. Not a JMH benchmark: a plain program that, per implementation, creates
 * N machines, starts them, sends them nothing, and holds them in an array. It reads the used heap
 * after repeated full collections before creating them and again while they are referenced, and
 * prints the difference divided by N.
 *
 * <p>Run it with {@code java -cp benchmarks/target/benchmarks.jar
 * dev.stator.benchmarks.compare.RetainedPerMachine}. The figures are per machine and exclude:
 *
 * <ul>
 *   <li>the context: every machine of every implementation shares one context object;
 *   <li>what is built once and shared: the definition, factory, builder or configuration, and for
 *       Stator the event loop;
 *   <li>the array holding the machines, allocated before the first reading.
 * </ul>
 *
 * <p>Before each measurement the same creation runs a few thousand times and is thrown away, so
 * that classes, lazily built tables and caches that every machine shares are in place.
 *
 * <p>Stator runs on a real {@link EventLoop} ({@code EventLoop.start("retained")}), not a test
 * loop: the machines are started from this thread with {@code loop.start(definition, context)},
 * through the loop's inbox, each with a generated id (whose string the engine builds only when
 * something asks for the id, so it is not part of an idle machine; an id a caller passes is the
 * caller's string, like the context), and the program waits
 * until the loop has run a task queued after the last start, by which time every machine has
 * entered OFF. The loop keeps each live machine in its registry, which is part of what is counted.
 *
 * <p>A second Stator row, {@code stator+100}, measures working machines: each machine, right
 * after its start, takes {@value #STEPS} steps (a loop task queued behind the start sends it
 * {@value #STEPS} FLIPs, an even number, so it is back in OFF). A machine keeps a ring of its last
 * steps for failure reports, which starts with room for one step and takes its full length,
 * {@code LoopOptions.traceLength()} (8 by default), at the machine's second step, so a machine
 * that has worked retains more than an idle one; 100 steps is well past that.
 *
 * <p>N is 1,000,000 for Stator, the hand-written machine and stateless4j. Spring Statemachine and
 * squirrel-foundation machines are too large for a million to fit in 1 GiB, so they use a smaller
 * N, printed beside them. Spring machines are started with {@code startReactively().block()} from
 * a factory ({@code StateMachineBuilder.Builder.createFactory()}); squirrel machines with
 * {@code builder.newStateMachine(OFF)} and {@code start(context)}; stateless4j machines are
 * {@code new StateMachine<>(OFF, config)}, usable at once.
 */
public final class RetainedPerMachine {

  private static final int WARM_UP = 5_000;
  /** Steps each machine of the working Stator row takes before the reading. */
  static final int STEPS = 100;
  private static final MemoryMXBean MEMORY = ManagementFactory.getMemoryMXBean();

  private RetainedPerMachine() {
  }

  /** One implementation: how to set it up, create a started machine, and check the last one. */
  private abstract static class Impl {
    final String name;
    final int count;
    final String note;

    Impl(String name, int count, String note) {
      this.name = name;
      this.count = count;
      this.note = note;
    }

    /** Builds what every machine shares; called before the baseline reading. */
    void prepare() throws Exception {
    }

    /** Creates and starts machine {@code index}. */
    abstract Object create(int index) throws Exception;

    /** Waits until every machine created so far has started. */
    void settle() throws Exception {
    }

    /** Throws if the machine is not started and in OFF. */
    abstract void check(Object machine);

    /** Runs the creation a few times and drops the result, before the baseline reading. */
    void warmUp() throws Exception {
      Object[] scratch = new Object[WARM_UP];
      for (int i = 0; i < WARM_UP; i++) {
        scratch[i] = create(i);
      }
      settle();
      check(scratch[WARM_UP - 1]);
    }

    /** Releases what {@link #prepare} built. */
    void close() throws Exception {
    }
  }

  private record Row(String name, int count, double bytesPerMachine, String note) {
  }

  /**
   * Measures every implementation and prints the table.
   *
   * @param args not used
   * @throws Exception if an implementation fails
   */
  public static void main(String[] args) throws Exception {
    Counter shared = new Counter();
    List<Impl> impls = List.of(stator(shared, 0), stator(shared, STEPS), handWritten(shared),
        spring(shared), squirrel(shared), stateless4j(shared));
    List<Row> rows = new ArrayList<>();
    for (Impl impl : impls) {
      Row row = measure(impl);
      System.out.printf(Locale.ROOT, "  measured %-12s N=%,d: %,.1f bytes per machine%n",
          row.name(), row.count(), row.bytesPerMachine());
      rows.add(row);
    }
    System.out.println();
    StringBuilder collectors = new StringBuilder();
    for (var collector : ManagementFactory.getGarbageCollectorMXBeans()) {
      collectors.append(collectors.length() == 0 ? "" : ", ").append(collector.getName());
    }
    System.out.printf(Locale.ROOT, "Heap retained per idle machine (toggle machine; max heap %,d MiB;"
        + " %s)%n", Runtime.getRuntime().maxMemory() >> 20, collectors);
    System.out.printf(Locale.ROOT, "%-14s %11s %14s %17s  %s%n", "implementation", "N",
        "bytes/machine", "MiB per million", "notes");
    for (Row row : rows) {
      System.out.printf(Locale.ROOT, "%-14s %,11d %,14.1f %,17.0f  %s%n", row.name(),
          row.count(), row.bytesPerMachine(), row.bytesPerMachine() * 1e6 / (1 << 20),
          row.note());
    }
    System.exit(0);
  }

  private static Row measure(Impl impl) throws Exception {
    impl.warmUp();
    impl.prepare();
    Object[] machines = new Object[impl.count];
    long before = usedAfterGc();
    for (int i = 0; i < impl.count; i++) {
      machines[i] = impl.create(i);
    }
    impl.settle();
    long after = usedAfterGc();
    impl.check(machines[0]);
    impl.check(machines[impl.count - 1]);
    double perMachine = (double) (after - before) / impl.count;
    java.lang.ref.Reference.reachabilityFence(machines);
    impl.close();
    return new Row(impl.name, impl.count, perMachine, impl.note);
  }

  /** Used heap after full collections, once two readings in a row agree to within 64 KiB. */
  private static long usedAfterGc() throws InterruptedException {
    long previous = Long.MAX_VALUE;
    for (int i = 0; i < 20; i++) {
      System.gc();
      Thread.sleep(50);
      long used = MEMORY.getHeapMemoryUsage().getUsed();
      if (Math.abs(used - previous) < 64 * 1024) {
        return used;
      }
      previous = used;
    }
    return previous;
  }

  private static void fail(String name, Object what) {
    throw new IllegalStateException(name + ": machine not started in OFF: " + what);
  }

  // ------------------------------------------------------------------ the five implementations

  private static Impl stator(Counter shared, int steps) {
    return new Impl(steps == 0 ? "stator" : "stator+" + steps, 1_000_000, steps == 0
        ? "real EventLoop; generated ids (a string only once asked for); includes the loop's"
            + " registry links"
        : "as stator, after " + steps + " steps each (" + steps + " FLIPs sent from a loop task"
            + " right after its start): the failure trace ring has grown to its full length") {
      EventLoop loop;

      @Override
      void warmUp() throws Exception {
        prepare();
        super.warmUp();
        close();
      }

      @Override
      void prepare() {
        loop = EventLoop.start("retained");
      }

      @Override
      Object create(int index) {
        Machine<Counter> machine = loop.start(ToggleCompare.STATOR, shared);
        if (steps > 0) {
          // queued behind the start in the inbox: the machine runs when the task does
          loop.execute(() -> {
            for (int i = 0; i < steps; i++) {
              machine.send(Event.FLIP);
            }
          });
        }
        return machine;
      }

      @Override
      void settle() throws InterruptedException {
        CountDownLatch done = new CountDownLatch(1);
        loop.execute(done::countDown);
        if (!done.await(5, TimeUnit.MINUTES)) {
          throw new IllegalStateException("the loop did not start the machines in time");
        }
      }

      @Override
      void check(Object machine) {
        Machine<?> m = (Machine<?>) machine;
        if (m.state().status() != Status.RUNNING || !m.state().path().equals("OFF")) {
          fail(name, m.state());
        }
      }

      @Override
      void close() {
        loop.close();
      }
    };
  }

  private static Impl handWritten(Counter shared) {
    return new Impl("handWritten", 1_000_000, "an object with a state field and the context") {
      @Override
      Object create(int index) {
        return new HandToggle(shared);
      }

      @Override
      void check(Object machine) {
        if (((HandToggle) machine).state != Toggle.OFF) {
          fail(name, machine);
        }
      }
    };
  }

  private static Impl spring(Counter shared) {
    return new Impl("spring", 10_000, "smaller N: too large for a million in 1 GiB;"
        + " from a factory, started") {
      StateMachineFactory<Toggle, Event> factory;

      @Override
      void warmUp() throws Exception {
        prepare();
        super.warmUp();
      }

      @Override
      void prepare() throws Exception {
        factory = ToggleCompare.springToggle(shared).createFactory();
      }

      @Override
      Object create(int index) {
        org.springframework.statemachine.StateMachine<Toggle, Event> machine =
            factory.getStateMachine();
        machine.startReactively().block();
        return machine;
      }

      @Override
      @SuppressWarnings("unchecked")
      void check(Object machine) {
        var m = (org.springframework.statemachine.StateMachine<Toggle, Event>) machine;
        if (m.getState() == null || m.getState().getId() != Toggle.OFF) {
          fail(name, m.getState());
        }
      }
    };
  }

  private static Impl squirrel(Counter shared) {
    return new Impl("squirrel", 100_000, "smaller N: a million would about fill 1 GiB;"
        + " started") {
      org.squirrelframework.foundation.fsm.StateMachineBuilder<SquirrelToggle, Toggle, Event,
          Counter> builder;

      @Override
      void warmUp() throws Exception {
        prepare();
        super.warmUp();
      }

      @Override
      void prepare() {
        builder = ToggleCompare.squirrelToggle();
        // the first machine prepares the builder (reflection over the machine class); keep
        // that out of the measurement
        builder.newStateMachine(Toggle.OFF);
      }

      @Override
      Object create(int index) {
        SquirrelToggle machine = builder.newStateMachine(Toggle.OFF);
        machine.start(shared);
        return machine;
      }

      @Override
      void check(Object machine) {
        SquirrelToggle m = (SquirrelToggle) machine;
        if (!m.isStarted() || m.getCurrentState() != Toggle.OFF) {
          fail(name, m.getCurrentState());
        }
      }
    };
  }

  private static Impl stateless4j(Counter shared) {
    return new Impl("stateless4j", 1_000_000, "shared configuration (actions take no context)") {
      StateMachineConfig<Toggle, Event> config;

      @Override
      void warmUp() throws Exception {
        prepare();
        super.warmUp();
      }

      @Override
      void prepare() {
        config = ToggleCompare.stateless4jToggle(shared);
      }

      @Override
      Object create(int index) {
        return new com.github.oxo42.stateless4j.StateMachine<>(Toggle.OFF, config);
      }

      @Override
      @SuppressWarnings("unchecked")
      void check(Object machine) {
        var m = (com.github.oxo42.stateless4j.StateMachine<Toggle, Event>) machine;
        if (m.getState() != Toggle.OFF) {
          fail(name, m.getState());
        }
      }
    };
  }
}
