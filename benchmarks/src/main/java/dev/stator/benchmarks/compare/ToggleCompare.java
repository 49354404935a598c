package dev.stator.benchmarks.compare;

import static dev.stator.benchmarks.compare.CompareSupport.BATCH;
import static dev.stator.benchmarks.compare.CompareSupport.expect;
import static dev.stator.benchmarks.compare.CompareSupport.expectPositive;
import static dev.stator.benchmarks.compare.CompareSupport.squirrelAction;

import com.github.oxo42.stateless4j.StateMachineConfig;
import dev.stator.Machine;
import dev.stator.MachineDefinition;
import dev.stator.dsl.Stator;
import dev.stator.testing.TestLoop;
import java.util.EnumSet;
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
import org.springframework.messaging.Message;
import org.springframework.statemachine.config.StateMachineBuilder;
import org.squirrelframework.foundation.fsm.StateMachineBuilderFactory;
import org.squirrelframework.foundation.fsm.impl.AbstractStateMachine;
import reactor.core.publisher.Mono;

/**
 * The toggle machine written five ways: states OFF and ON, the event FLIP moving between them,
 * the transition's action counting flips in the context. The smallest machine there is, so the
 * score is mostly what each implementation spends to dispatch one event.
 *
 * <ul>
 *   <li>{@code stator}: a {@link TestLoop} on the benchmark thread; each invocation runs one loop
 *       task that sends {@value CompareSupport#BATCH} events with {@code machine.send}. Sent from a
 *       loop task to a machine with nothing queued, each event is delivered at once: the path an
 *       I/O handler or an adapter driving a machine takes.
 *   <li>{@code handWritten}: an enum field and a switch.
 *   <li>{@code spring}: Spring Statemachine built with {@code StateMachineBuilder} (no Spring
 *       context, no bean factory), started with {@code startReactively().block()}. Its API is
 *       reactive: each event is {@code sendEvent(Mono<Message>)}, and the caller waits with
 *       {@code blockLast()} for the result, which is what a caller must wait for before it can
 *       rely on the transition having run. The {@code Mono<Message>} is built once and reused
 *       (see {@link CompareSupport#springEvent}).
 *   <li>{@code squirrel}: squirrel-foundation's fluent builder on a small {@code
 *       AbstractStateMachine} subclass; the context travels with each {@code fire(event,
 *       context)}. Debug mode is off (the default), so nothing logs per event.
 *   <li>{@code stateless4j}: one {@code StateMachineConfig}, one {@code StateMachine}.
 *       stateless4j's actions take no context argument, so the action captures the counter
 *       when the configuration is built.
 * </ul>
 *
 * <p>Every tear-down checks that flips equal the events fired and that the machine is back in
 * OFF (a batch is an even number of flips), so an implementation that drops events fails the run.
 * Scores are per event; run with {@code -prof gc} for bytes allocated per event.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class ToggleCompare {

  /** The states. */
  public enum Toggle { OFF, ON }

  /** The one event. */
  public enum Event { FLIP }

  /** The context: the count the transition action increments. */
  public static final class Counter {
    long flips;

    void flip() {
      flips++;
    }

    /** Returns how many flips the machine made. */
    public long flips() {
      return flips;
    }
  }

  /** Stator's toggle, also measured in parts by {@code ToggleBenchmark}. */
  public static final MachineDefinition<Counter> STATOR = Stator.<Toggle, Counter>machine("toggle")
      .initial(Toggle.OFF)
      .state(Toggle.OFF, s -> s.on(Event.FLIP).then(Counter::flip).goTo(Toggle.ON))
      .state(Toggle.ON, s -> s.on(Event.FLIP).then(Counter::flip).goTo(Toggle.OFF))
      .build();

  /** Stator on the deterministic loop, driven from the benchmark thread. */
  @State(Scope.Thread)
  public static class StatorState {
    TestLoop loop;
    Machine<Counter> machine;
    final Counter counter = new Counter();
    Runnable sendBatch;
    long batches;

    @Setup(Level.Trial)
    public void setUp() {
      loop = TestLoop.create();
      machine = loop.start(STATOR, counter);
      Machine<Counter> target = machine;
      sendBatch = () -> {
        for (int i = 0; i < BATCH; i++) {
          target.send(Event.FLIP);
        }
      };
    }

    @TearDown(Level.Trial)
    public void tearDown() {
      loop.checkFailures();
      expectPositive("stator flips", counter.flips);
      expect("stator flips", counter.flips, batches * BATCH);
      expect("stator state", machine.state().path(), "OFF");
      loop.close();
    }
  }

  /** The machine written by hand. */
  @State(Scope.Thread)
  public static class HandState {
    Toggle state = Toggle.OFF;
    final Counter counter = new Counter();
    long batches;

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

    @TearDown(Level.Trial)
    public void tearDown() {
      expectPositive("handWritten flips", counter.flips);
      expect("handWritten flips", counter.flips, batches * BATCH);
      expect("handWritten state", state, Toggle.OFF);
    }
  }

  /** Spring Statemachine, built without a Spring context. */
  @State(Scope.Thread)
  public static class SpringState {
    org.springframework.statemachine.StateMachine<Toggle, Event> machine;
    final Counter counter = new Counter();
    final Mono<Message<Event>> flip = CompareSupport.springEvent(Event.FLIP);
    long batches;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
      machine = springToggle(counter).build();
      machine.startReactively().block();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
      expectPositive("spring flips", counter.flips);
      expect("spring flips", counter.flips, batches * BATCH);
      expect("spring state", machine.getState().getId(), Toggle.OFF);
      machine.stopReactively().block();
    }
  }

  /** The squirrel machine class: squirrel instantiates it reflectively, so public and static. */
  public static class SquirrelToggle
      extends AbstractStateMachine<SquirrelToggle, Toggle, Event, Counter> {
  }

  /** squirrel-foundation with its fluent builder. */
  @State(Scope.Thread)
  public static class SquirrelState {
    SquirrelToggle machine;
    final Counter counter = new Counter();
    long batches;

    @Setup(Level.Trial)
    public void setUp() {
      machine = squirrelToggle().newStateMachine(Toggle.OFF);
      machine.start(counter);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
      expectPositive("squirrel flips", counter.flips);
      expect("squirrel flips", counter.flips, batches * BATCH);
      expect("squirrel state", machine.getCurrentState(), Toggle.OFF);
    }
  }

  /** stateless4j. */
  @State(Scope.Thread)
  public static class Stateless4jState {
    com.github.oxo42.stateless4j.StateMachine<Toggle, Event> machine;
    final Counter counter = new Counter();
    long batches;

    @Setup(Level.Trial)
    public void setUp() {
      machine = new com.github.oxo42.stateless4j.StateMachine<>(Toggle.OFF,
          stateless4jToggle(counter));
    }

    @TearDown(Level.Trial)
    public void tearDown() {
      expectPositive("stateless4j flips", counter.flips);
      expect("stateless4j flips", counter.flips, batches * BATCH);
      expect("stateless4j state", machine.getState(), Toggle.OFF);
    }
  }

  /** Stator: one loop task sending the batch; the score is per event. */
  @Benchmark
  @OperationsPerInvocation(BATCH)
  public long stator(StatorState s) {
    s.loop.execute(s.sendBatch);
    return ++s.batches;
  }

  /** The enum/switch machine; the score is per event. */
  @Benchmark
  @OperationsPerInvocation(BATCH)
  public long handWritten(HandState s) {
    for (int i = 0; i < BATCH; i++) {
      s.fire(Event.FLIP);
    }
    return ++s.batches;
  }

  /** Spring Statemachine, waiting for each event's results; the score is per event. */
  @Benchmark
  @OperationsPerInvocation(BATCH)
  public long spring(SpringState s) {
    for (int i = 0; i < BATCH; i++) {
      s.machine.sendEvent(s.flip).blockLast();
    }
    return ++s.batches;
  }

  /** squirrel-foundation; the score is per event. */
  @Benchmark
  @OperationsPerInvocation(BATCH)
  public long squirrel(SquirrelState s) {
    for (int i = 0; i < BATCH; i++) {
      s.machine.fire(Event.FLIP, s.counter);
    }
    return ++s.batches;
  }

  /** stateless4j; the score is per event. */
  @Benchmark
  @OperationsPerInvocation(BATCH)
  public long stateless4j(Stateless4jState s) {
    for (int i = 0; i < BATCH; i++) {
      s.machine.fire(Event.FLIP);
    }
    return ++s.batches;
  }
  // ------------------------------------------------------------------ the libraries' toggles,
  // configured once here for this class, CreationCompare and RetainedPerMachine

  /** Spring Statemachine's toggle, counting into {@code counter}; build or make a factory. */
  static StateMachineBuilder.Builder<Toggle, Event> springToggle(Counter counter) throws Exception {
    StateMachineBuilder.Builder<Toggle, Event> builder = StateMachineBuilder.builder();
    builder.configureConfiguration().withConfiguration().autoStartup(false);
    builder.configureStates().withStates()
        .initial(Toggle.OFF)
        .states(EnumSet.allOf(Toggle.class));
    builder.configureTransitions()
        .withExternal().source(Toggle.OFF).target(Toggle.ON).event(Event.FLIP)
            .action(context -> counter.flip())
        .and()
        .withExternal().source(Toggle.ON).target(Toggle.OFF).event(Event.FLIP)
            .action(context -> counter.flip());
    return builder;
  }

  /** squirrel-foundation's toggle; its machines count into the context they are started with. */
  static org.squirrelframework.foundation.fsm.StateMachineBuilder<SquirrelToggle, Toggle, Event,
      Counter> squirrelToggle() {
    org.squirrelframework.foundation.fsm.StateMachineBuilder<SquirrelToggle, Toggle, Event,
        Counter> builder = StateMachineBuilderFactory.create(SquirrelToggle.class,
            Toggle.class, Event.class, Counter.class);
    builder.externalTransition().from(Toggle.OFF).to(Toggle.ON).on(Event.FLIP)
        .perform(squirrelAction(Counter::flip));
    builder.externalTransition().from(Toggle.ON).to(Toggle.OFF).on(Event.FLIP)
        .perform(squirrelAction(Counter::flip));
    return builder;
  }

  /** stateless4j's toggle configuration, counting into {@code counter} (its actions take no context). */
  static StateMachineConfig<Toggle, Event> stateless4jToggle(Counter counter) {
    StateMachineConfig<Toggle, Event> config = new StateMachineConfig<>();
    config.configure(Toggle.OFF).permit(Event.FLIP, Toggle.ON, counter::flip);
    config.configure(Toggle.ON).permit(Event.FLIP, Toggle.OFF, counter::flip);
    return config;
  }
}
