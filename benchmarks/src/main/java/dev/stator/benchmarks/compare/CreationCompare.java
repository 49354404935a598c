package dev.stator.benchmarks.compare;

import static dev.stator.benchmarks.compare.CompareSupport.expect;
import static dev.stator.benchmarks.compare.CompareSupport.expectPositive;

import com.github.oxo42.stateless4j.StateMachineConfig;
import dev.stator.Machine;
import dev.stator.Status;
import dev.stator.benchmarks.compare.ToggleCompare.Counter;
import dev.stator.benchmarks.compare.ToggleCompare.Event;
import dev.stator.benchmarks.compare.ToggleCompare.SquirrelToggle;
import dev.stator.benchmarks.compare.ToggleCompare.Toggle;
import dev.stator.testing.TestLoop;
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
import org.springframework.statemachine.config.StateMachineBuilder;
import org.springframework.statemachine.config.StateMachineFactory;

/**
 * The cost of a new machine: each benchmark creates one instance of the toggle machine of {@link
 * ToggleCompare} from what was built once (a definition, a factory, a builder, a configuration)
 * and starts it, as a server creating a machine per connection or per request would. The score is
 * nanoseconds per machine; {@code -prof gc} gives the bytes allocated per machine
 * ({@code gc.alloc.rate.norm}).
 *
 * <p>All instances share one context object, so the figures leave out the context, which is the
 * user's and the same for every library. Each new machine is returned to JMH and otherwise
 * dropped, never stopped, as a caller that lets an idle machine go would do; what it costs to keep
 * one alive is measured by {@link RetainedPerMachine}.
 *
 * <ul>
 *   <li>{@code stator}: {@code loop.start(definition, context)} on a {@link TestLoop} driven from
 *       the benchmark thread, which enters the initial state at once, so the machine is RUNNING
 *       when {@code start} returns. A loop keeps every live machine registered, so a loop that
 *       started millions would hold them all; instead the benchmark replaces its loop with a
 *       fresh {@code TestLoop} every {@value #MACHINES_PER_LOOP} machines and drops the old one
 *       (a test loop has no thread, so dropping it frees it and its machines). The score therefore
 *       includes a {@value #MACHINES_PER_LOOP}th of creating a test loop, and no stop. The id is
 *       the generated one ({@code "toggle-<n>"}), built per machine.
 *   <li>{@code handWritten}: a new object holding the state enum and the context.
 *   <li>{@code spring}: {@code factory.getStateMachine()} then {@code startReactively().block()},
 *       from a {@code StateMachineFactory} made once by {@code StateMachineBuilder.Builder
 *       .createFactory()}; that is lighter than a builder per instance, which would also rebuild
 *       the model every time. Spring gives each machine a random UUID.
 *   <li>{@code squirrel}: {@code builder.newStateMachine(OFF)} then {@code start(context)}, the
 *       builder prepared by the warm-up's first call. squirrel gives each machine a random
 *       10-character identifier and instantiates the machine class reflectively.
 *   <li>{@code stateless4j}: {@code new StateMachine<>(OFF, config)}. A stateless4j machine is
 *       usable as soon as it is constructed; {@code fireInitialTransition()}, which only runs the
 *       initial state's entry actions, is not called because OFF has none. Its actions take no
 *       context, so they reach the shared context through the configuration: one configuration
 *       serves every instance only because the context is shared here; per-instance contexts
 *       would need a configuration per instance, or actions that look the context up elsewhere.
 * </ul>
 *
 * <p>Each tear-down checks that machines were created and that the last one is started and in
 * OFF.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class CreationCompare {

  /** How many machines one Stator test loop starts before the benchmark replaces it. */
  static final int MACHINES_PER_LOOP = 10_000;

  /** Stator: new machines on a test loop, replaced every {@value #MACHINES_PER_LOOP} machines. */
  @State(Scope.Thread)
  public static class StatorState {
    final Counter shared = new Counter();
    TestLoop loop;
    int onThisLoop;
    long created;
    Machine<Counter> last;

    @Setup(Level.Trial)
    public void setUp() {
      loop = TestLoop.create();
    }

    Machine<Counter> create() {
      if (onThisLoop == MACHINES_PER_LOOP) {
        loop = TestLoop.create();   // the old loop and its machines become garbage
        onThisLoop = 0;
      }
      onThisLoop++;
      created++;
      Machine<Counter> machine = loop.start(ToggleCompare.STATOR, shared);
      last = machine;
      return machine;
    }

    @TearDown(Level.Trial)
    public void tearDown() {
      loop.checkFailures();
      expectPositive("stator machines", created);
      expect("stator status", last.state().status(), Status.RUNNING);
      expect("stator state", last.state().path(), "OFF");
      loop.close();
    }
  }

  /** The hand-written machine: an object with a state field and its context. */
  public static final class HandToggle {
    Toggle state = Toggle.OFF;
    final Counter counter;

    HandToggle(Counter counter) {
      this.counter = counter;
    }
  }

  /** The hand-written machine. */
  @State(Scope.Thread)
  public static class HandState {
    final Counter shared = new Counter();
    long created;
    HandToggle last;

    @TearDown(Level.Trial)
    public void tearDown() {
      expectPositive("handWritten machines", created);
      expect("handWritten state", last.state, Toggle.OFF);
    }
  }

  /** Spring Statemachine: a factory made once from the builder. */
  @State(Scope.Thread)
  public static class SpringState {
    final Counter shared = new Counter();
    StateMachineFactory<Toggle, Event> factory;
    long created;
    org.springframework.statemachine.StateMachine<Toggle, Event> last;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
      factory = ToggleCompare.springToggle(shared).createFactory();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
      expectPositive("spring machines", created);
      expect("spring state", last.getState().getId(), Toggle.OFF);
    }
  }

  /** squirrel-foundation: one builder. */
  @State(Scope.Thread)
  public static class SquirrelState {
    final Counter shared = new Counter();
    org.squirrelframework.foundation.fsm.StateMachineBuilder<SquirrelToggle, Toggle, Event,
        Counter> builder;
    long created;
    SquirrelToggle last;

    @Setup(Level.Trial)
    public void setUp() {
      builder = ToggleCompare.squirrelToggle();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
      expectPositive("squirrel machines", created);
      expect("squirrel started", last.isStarted(), true);
      expect("squirrel state", last.getCurrentState(), Toggle.OFF);
    }
  }

  /** stateless4j: one configuration. */
  @State(Scope.Thread)
  public static class Stateless4jState {
    final Counter shared = new Counter();
    StateMachineConfig<Toggle, Event> config;
    long created;
    com.github.oxo42.stateless4j.StateMachine<Toggle, Event> last;

    @Setup(Level.Trial)
    public void setUp() {
      config = ToggleCompare.stateless4jToggle(shared);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
      expectPositive("stateless4j machines", created);
      expect("stateless4j state", last.getState(), Toggle.OFF);
    }
  }

  /** Stator: a machine started on a test loop; the score is per machine. */
  @Benchmark
  public Machine<Counter> stator(StatorState s) {
    return s.create();
  }

  /** A hand-written machine object; the score is per machine. */
  @Benchmark
  public HandToggle handWritten(HandState s) {
    HandToggle machine = new HandToggle(s.shared);
    s.created++;
    s.last = machine;
    return machine;
  }

  /** Spring Statemachine: from the factory, started; the score is per machine. */
  @Benchmark
  public org.springframework.statemachine.StateMachine<Toggle, Event> spring(SpringState s) {
    org.springframework.statemachine.StateMachine<Toggle, Event> machine =
        s.factory.getStateMachine();
    machine.startReactively().block();
    s.created++;
    s.last = machine;
    return machine;
  }

  /** squirrel-foundation: from the builder, started; the score is per machine. */
  @Benchmark
  public SquirrelToggle squirrel(SquirrelState s) {
    SquirrelToggle machine = s.builder.newStateMachine(Toggle.OFF);
    machine.start(s.shared);
    s.created++;
    s.last = machine;
    return machine;
  }

  /** stateless4j: a machine over the shared configuration; the score is per machine. */
  @Benchmark
  public com.github.oxo42.stateless4j.StateMachine<Toggle, Event> stateless4j(
      Stateless4jState s) {
    com.github.oxo42.stateless4j.StateMachine<Toggle, Event> machine =
        new com.github.oxo42.stateless4j.StateMachine<>(Toggle.OFF, s.config);
    s.created++;
    s.last = machine;
    return machine;
  }
}
