package dev.stator.benchmarks.compare;

import static dev.stator.benchmarks.compare.CompareSupport.BATCH;
import static dev.stator.benchmarks.compare.CompareSupport.expect;
import static dev.stator.benchmarks.compare.CompareSupport.expectPositive;
import static dev.stator.benchmarks.compare.CompareSupport.squirrelAction;
import static dev.stator.benchmarks.compare.CompareSupport.squirrelCondition;

import com.github.oxo42.stateless4j.StateMachineConfig;
import dev.stator.Machine;
import dev.stator.MachineDefinition;
import dev.stator.dsl.MachineBuilder;
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
import org.springframework.messaging.Message;
import org.springframework.statemachine.config.StateMachineBuilder;
import org.springframework.statemachine.config.configurers.StateConfigurer;
import org.springframework.statemachine.config.builders.StateMachineTransitionConfigurer;
import org.squirrelframework.foundation.fsm.StateMachineBuilderFactory;
import org.squirrelframework.foundation.fsm.impl.AbstractStateMachine;
import reactor.core.publisher.Mono;

/**
 * Eight states S0 to S7 in a ring, written five ways. The event NEXT moves Si to S(i+1 mod 8) if
 * a guard on the context holds ({@code enabled}, a boolean field that stays true); every state
 * has an entry action and an exit action, each counting in the context. One event therefore costs
 * a guard, an exit action and an entry action, and walks eight distinct states, so per-state
 * lookups are not the same cache line each time as in {@link ToggleCompare}.
 *
 * <p>How each implementation is driven is described on {@link ToggleCompare}: Stator from a loop
 * task on a {@code TestLoop}; Spring Statemachine with {@code sendEvent(Mono).blockLast()}, the
 * message prebuilt; squirrel with {@code fire(event, context)}; stateless4j with {@code fire},
 * its guard, entry and exit actions closing over the context because they take no context
 * argument. All five express the guard natively: Stator {@code when}, Spring {@code guard},
 * squirrel {@code when(Condition)}, stateless4j {@code permitIf}.
 *
 * <p>Every tear-down checks that entries and exits each equal the events fired (counted after the
 * machine has started, so the initial entry is not counted) and that the machine is back in S0
 * (a batch is a multiple of eight events). Scores are per event.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class GuardedRingCompare {

  /** The eight states of the ring. */
  public enum Ring {
    S0, S1, S2, S3, S4, S5, S6, S7;

    private static final Ring[] ALL = values();

    Ring next() {
      return ALL[(ordinal() + 1) % ALL.length];
    }
  }

  /** The one event. */
  public enum Tick { NEXT }

  /** The context: the guard's flag and the counters of the entry and exit actions. */
  public static final class Ctx {
    boolean enabled = true;
    long entries;
    long exits;

    boolean enabled() {
      return enabled;
    }

    void entered() {
      entries++;
    }

    void exited() {
      exits++;
    }

    void reset() {
      entries = 0;
      exits = 0;
    }
  }

  static final MachineDefinition<Ctx> STATOR = statorDefinition();

  private static MachineDefinition<Ctx> statorDefinition() {
    MachineBuilder<Ring, Ctx> builder = Stator.<Ring, Ctx>machine("ring").initial(Ring.S0);
    for (Ring state : Ring.values()) {
      builder.state(state, s -> s
          .onEntry(Ctx::entered)
          .onExit(Ctx::exited)
          .on(Tick.NEXT).when(Ctx::enabled).goTo(state.next()));
    }
    return builder.build();
  }

  /** Checks shared by every implementation. */
  static void check(String who, Ctx ctx, long batches, Object state, Object initial) {
    expectPositive(who + " entries", ctx.entries);
    expect(who + " entries", ctx.entries, batches * BATCH);
    expect(who + " exits", ctx.exits, batches * BATCH);
    expect(who + " state", state, initial);
  }

  /** Stator on the deterministic loop, driven from the benchmark thread. */
  @State(Scope.Thread)
  public static class StatorState {
    TestLoop loop;
    Machine<Ctx> machine;
    final Ctx ctx = new Ctx();
    Runnable sendBatch;
    long batches;

    @Setup(Level.Trial)
    public void setUp() {
      loop = TestLoop.create();
      machine = loop.start(STATOR, ctx);
      ctx.reset();
      Machine<Ctx> target = machine;
      sendBatch = () -> {
        for (int i = 0; i < BATCH; i++) {
          target.send(Tick.NEXT);
        }
      };
    }

    @TearDown(Level.Trial)
    public void tearDown() {
      loop.checkFailures();
      check("stator", ctx, batches, machine.state().path(), "S0");
      loop.close();
    }
  }

  /** The ring written by hand: a switch on the state, the guard, exit, move, entry. */
  @State(Scope.Thread)
  public static class HandState {
    Ring state = Ring.S0;
    final Ctx ctx = new Ctx();
    long batches;

    void fire(Tick event) {
      if (event != Tick.NEXT || !ctx.enabled()) {
        return;
      }
      switch (state) {
        case S0 -> move(Ring.S1);
        case S1 -> move(Ring.S2);
        case S2 -> move(Ring.S3);
        case S3 -> move(Ring.S4);
        case S4 -> move(Ring.S5);
        case S5 -> move(Ring.S6);
        case S6 -> move(Ring.S7);
        case S7 -> move(Ring.S0);
        default -> throw new IllegalStateException("unknown state " + state);
      }
    }

    private void move(Ring target) {
      ctx.exited();
      state = target;
      ctx.entered();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
      check("handWritten", ctx, batches, state, Ring.S0);
    }
  }

  /** Spring Statemachine, built without a Spring context. */
  @State(Scope.Thread)
  public static class SpringState {
    org.springframework.statemachine.StateMachine<Ring, Tick> machine;
    final Ctx ctx = new Ctx();
    final Mono<Message<Tick>> next = CompareSupport.springEvent(Tick.NEXT);
    long batches;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
      StateMachineBuilder.Builder<Ring, Tick> builder = StateMachineBuilder.builder();
      builder.configureConfiguration().withConfiguration().autoStartup(false);
      StateConfigurer<Ring, Tick> states = builder.configureStates().withStates()
          .initial(Ring.S0);
      StateMachineTransitionConfigurer<Ring, Tick> transitions = builder.configureTransitions();
      for (Ring state : Ring.values()) {
        states.state(state, context -> ctx.entered(), context -> ctx.exited());
        transitions.withExternal().source(state).target(state.next()).event(Tick.NEXT)
            .guard(context -> ctx.enabled());
      }
      machine = builder.build();
      machine.startReactively().block();
      ctx.reset();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
      check("spring", ctx, batches, machine.getState().getId(), Ring.S0);
      machine.stopReactively().block();
    }
  }

  /** The squirrel machine class: squirrel instantiates it reflectively, so public and static. */
  public static class SquirrelRing extends AbstractStateMachine<SquirrelRing, Ring, Tick, Ctx> {
  }

  /** squirrel-foundation with its fluent builder. */
  @State(Scope.Thread)
  public static class SquirrelState {
    SquirrelRing machine;
    final Ctx ctx = new Ctx();
    long batches;

    @Setup(Level.Trial)
    public void setUp() {
      org.squirrelframework.foundation.fsm.StateMachineBuilder<SquirrelRing, Ring, Tick, Ctx>
          builder = StateMachineBuilderFactory.create(SquirrelRing.class, Ring.class, Tick.class,
              Ctx.class);
      for (Ring state : Ring.values()) {
        builder.externalTransition().from(state).to(state.next()).on(Tick.NEXT)
            .when(squirrelCondition(Ctx::enabled));
        builder.onEntry(state).perform(squirrelAction(Ctx::entered));
        builder.onExit(state).perform(squirrelAction(Ctx::exited));
      }
      machine = builder.newStateMachine(Ring.S0);
      machine.start(ctx);
      ctx.reset();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
      check("squirrel", ctx, batches, machine.getCurrentState(), Ring.S0);
    }
  }

  /** stateless4j. */
  @State(Scope.Thread)
  public static class Stateless4jState {
    com.github.oxo42.stateless4j.StateMachine<Ring, Tick> machine;
    final Ctx ctx = new Ctx();
    long batches;

    @Setup(Level.Trial)
    public void setUp() {
      StateMachineConfig<Ring, Tick> config = new StateMachineConfig<>();
      for (Ring state : Ring.values()) {
        config.configure(state)
            .onEntry(ctx::entered)
            .onExit(ctx::exited)
            .permitIf(Tick.NEXT, state.next(), ctx::enabled);
      }
      machine = new com.github.oxo42.stateless4j.StateMachine<>(Ring.S0, config);
      // runs S0's entry action, as the other implementations do when they start
      machine.fireInitialTransition();
      ctx.reset();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
      check("stateless4j", ctx, batches, machine.getState(), Ring.S0);
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
      s.fire(Tick.NEXT);
    }
    return ++s.batches;
  }

  /** Spring Statemachine, waiting for each event's results; the score is per event. */
  @Benchmark
  @OperationsPerInvocation(BATCH)
  public long spring(SpringState s) {
    for (int i = 0; i < BATCH; i++) {
      s.machine.sendEvent(s.next).blockLast();
    }
    return ++s.batches;
  }

  /** squirrel-foundation; the score is per event. */
  @Benchmark
  @OperationsPerInvocation(BATCH)
  public long squirrel(SquirrelState s) {
    for (int i = 0; i < BATCH; i++) {
      s.machine.fire(Tick.NEXT, s.ctx);
    }
    return ++s.batches;
  }

  /** stateless4j; the score is per event. */
  @Benchmark
  @OperationsPerInvocation(BATCH)
  public long stateless4j(Stateless4jState s) {
    for (int i = 0; i < BATCH; i++) {
      s.machine.fire(Tick.NEXT);
    }
    return ++s.batches;
  }
}
