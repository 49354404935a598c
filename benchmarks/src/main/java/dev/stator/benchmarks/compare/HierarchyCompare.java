package dev.stator.benchmarks.compare;

import static dev.stator.benchmarks.compare.CompareSupport.BATCH;
import static dev.stator.benchmarks.compare.CompareSupport.expect;
import static dev.stator.benchmarks.compare.CompareSupport.expectPositive;
import static dev.stator.benchmarks.compare.CompareSupport.squirrelAction;

import com.github.oxo42.stateless4j.StateMachineConfig;
import dev.stator.Machine;
import dev.stator.MachineDefinition;
import dev.stator.dsl.StateBuilder;
import dev.stator.dsl.Stator;
import dev.stator.testing.TestLoop;
import java.util.List;
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
import org.springframework.statemachine.action.Action;
import org.springframework.statemachine.config.StateMachineBuilder;
import org.squirrelframework.foundation.fsm.StateMachineBuilderFactory;
import org.squirrelframework.foundation.fsm.impl.AbstractStateMachine;
import reactor.core.publisher.Mono;

/**
 * An event handled two levels above the active state, written five ways. Top-level states A and B
 * each hold a chain of two nested states: A contains A1, which contains the leaf A11; B contains
 * B1, which contains B11; each compound state's only child is its initial child. The event SWITCH
 * is declared only on A (to B) and only on B (to A). From A11 the transition is therefore found two
 * levels up, and taking it exits A11, A1 and A, then enters B, B1 and B11; the next SWITCH goes
 * back the same way. Every one of the six states has an entry and an exit action, each counting in
 * the context, so one event costs three exits and three entries.
 *
 * <p>How each implementation is driven is described on {@link ToggleCompare}. What differs here:
 *
 * <ul>
 *   <li>{@code handWritten} does the same exits and entries explicitly: a switch on the leaf that
 *       calls the six actions in order.
 *   <li>{@code spring} nests states with {@code withStates().parent(...)}, each level naming its
 *       initial state; Spring runs nested states as submachines.
 *   <li>{@code squirrel} nests states with {@code defineSequentialStatesOn(parent, child)}, whose
 *       first child is the initial one; an event not handled by the leaf is offered to its
 *       parents.
 *   <li>{@code stateless4j} cannot express the model as written: it has substates ({@code
 *       substateOf}) and looks up triggers in superstates, but it has <b>no initial substates</b>.
 *       A transition to B would leave the machine in B itself, not in B11. So its transitions
 *       target the leaves directly ({@code A permit SWITCH -> B11}, {@code B permit SWITCH ->
 *       A11}) and the machine starts in A11. stateless4j then exits A11, A1, A and enters B, B1,
 *       B11, the same actions in the same order, so the counts agree; but a user must keep the
 *       target leaf in step with the nesting by hand.
 * </ul>
 *
 * <p>Every tear-down checks that entries and exits each equal three per event (counted after the
 * machine has started) and that the machine is back in A11 (a batch is an even number of events).
 * Scores are per event.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class HierarchyCompare {

  /** The six states: two top-level states, each with a chain of two nested states. */
  public enum Node { A, A1, A11, B, B1, B11 }

  /** The one event. */
  public enum Flip { SWITCH }

  /** The context: counters of the entry and exit actions. */
  public static final class Ctx {
    long entries;
    long exits;

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

  /** Entries and exits per SWITCH: three states left, three entered. */
  static final int STATES_PER_SIDE = 3;

  static final MachineDefinition<Ctx> STATOR = Stator.<Node, Ctx>machine("hierarchy")
      .initial(Node.A)
      .state(Node.A, a -> counted(a)
          .initial(Node.A1)
          .on(Flip.SWITCH).goTo(Node.B)
          .state(Node.A1, a1 -> counted(a1)
              .initial(Node.A11)
              .state(Node.A11, HierarchyCompare::counted)))
      .state(Node.B, b -> counted(b)
          .initial(Node.B1)
          .on(Flip.SWITCH).goTo(Node.A)
          .state(Node.B1, b1 -> counted(b1)
              .initial(Node.B11)
              .state(Node.B11, HierarchyCompare::counted)))
      .build();

  private static StateBuilder<Node, Ctx> counted(StateBuilder<Node, Ctx> state) {
    return state.onEntry(Ctx::entered).onExit(Ctx::exited);
  }

  /** Checks shared by every implementation. */
  static void check(String who, Ctx ctx, long batches, Object state, Object initial) {
    expectPositive(who + " entries", ctx.entries);
    expect(who + " entries", ctx.entries, batches * BATCH * STATES_PER_SIDE);
    expect(who + " exits", ctx.exits, batches * BATCH * STATES_PER_SIDE);
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
          target.send(Flip.SWITCH);
        }
      };
    }

    @TearDown(Level.Trial)
    public void tearDown() {
      loop.checkFailures();
      check("stator", ctx, batches, machine.state().path(), "A/A1/A11");
      loop.close();
    }
  }

  /** The machine written by hand: a switch on the leaf, the exits and entries spelt out. */
  @State(Scope.Thread)
  public static class HandState {
    Node leaf = Node.A11;
    final Ctx ctx = new Ctx();
    long batches;

    void fire(Flip event) {
      if (event != Flip.SWITCH) {
        return;
      }
      switch (leaf) {
        case A11 -> {
          ctx.exited();   // A11
          ctx.exited();   // A1
          ctx.exited();   // A
          ctx.entered();  // B
          ctx.entered();  // B1
          ctx.entered();  // B11
          leaf = Node.B11;
        }
        case B11 -> {
          ctx.exited();   // B11
          ctx.exited();   // B1
          ctx.exited();   // B
          ctx.entered();  // A
          ctx.entered();  // A1
          ctx.entered();  // A11
          leaf = Node.A11;
        }
        default -> throw new IllegalStateException("not a leaf: " + leaf);
      }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
      check("handWritten", ctx, batches, leaf, Node.A11);
    }
  }

  /** Spring Statemachine, built without a Spring context. */
  @State(Scope.Thread)
  public static class SpringState {
    org.springframework.statemachine.StateMachine<Node, Flip> machine;
    final Ctx ctx = new Ctx();
    final Mono<Message<Flip>> flip = CompareSupport.springEvent(Flip.SWITCH);
    long batches;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
      Action<Node, Flip> entry = context -> ctx.entered();
      Action<Node, Flip> exit = context -> ctx.exited();
      StateMachineBuilder.Builder<Node, Flip> builder = StateMachineBuilder.builder();
      builder.configureConfiguration().withConfiguration().autoStartup(false);
      builder.configureStates()
          .withStates()
              .initial(Node.A)
              .state(Node.A, entry, exit)
              .state(Node.B, entry, exit)
              .and()
          .withStates()
              .parent(Node.A)
              .initial(Node.A1)
              .state(Node.A1, entry, exit)
              .and()
          .withStates()
              .parent(Node.A1)
              .initial(Node.A11)
              .state(Node.A11, entry, exit)
              .and()
          .withStates()
              .parent(Node.B)
              .initial(Node.B1)
              .state(Node.B1, entry, exit)
              .and()
          .withStates()
              .parent(Node.B1)
              .initial(Node.B11)
              .state(Node.B11, entry, exit);
      builder.configureTransitions()
          .withExternal().source(Node.A).target(Node.B).event(Flip.SWITCH)
          .and()
          .withExternal().source(Node.B).target(Node.A).event(Flip.SWITCH);
      machine = builder.build();
      machine.startReactively().block();
      ctx.reset();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
      check("spring", ctx, batches, List.copyOf(machine.getState().getIds()),
          List.of(Node.A, Node.A1, Node.A11));
      machine.stopReactively().block();
    }
  }

  /** The squirrel machine class: squirrel instantiates it reflectively, so public and static. */
  public static class SquirrelHierarchy
      extends AbstractStateMachine<SquirrelHierarchy, Node, Flip, Ctx> {
  }

  /** squirrel-foundation with its fluent builder. */
  @State(Scope.Thread)
  public static class SquirrelState {
    SquirrelHierarchy machine;
    final Ctx ctx = new Ctx();
    long batches;

    @Setup(Level.Trial)
    public void setUp() {
      org.squirrelframework.foundation.fsm.StateMachineBuilder<SquirrelHierarchy, Node, Flip, Ctx>
          builder = StateMachineBuilderFactory.create(SquirrelHierarchy.class, Node.class,
              Flip.class, Ctx.class);
      builder.defineSequentialStatesOn(Node.A, Node.A1);
      builder.defineSequentialStatesOn(Node.A1, Node.A11);
      builder.defineSequentialStatesOn(Node.B, Node.B1);
      builder.defineSequentialStatesOn(Node.B1, Node.B11);
      builder.externalTransition().from(Node.A).to(Node.B).on(Flip.SWITCH);
      builder.externalTransition().from(Node.B).to(Node.A).on(Flip.SWITCH);
      for (Node state : Node.values()) {
        builder.onEntry(state).perform(squirrelAction(Ctx::entered));
        builder.onExit(state).perform(squirrelAction(Ctx::exited));
      }
      machine = builder.newStateMachine(Node.A);
      machine.start(ctx);
      expect("squirrel initial leaf", machine.getCurrentState(), Node.A11);
      ctx.reset();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
      check("squirrel", ctx, batches, machine.getCurrentState(), Node.A11);
    }
  }

  /** stateless4j: substates, but transitions aimed at the leaves (no initial substates). */
  @State(Scope.Thread)
  public static class Stateless4jState {
    com.github.oxo42.stateless4j.StateMachine<Node, Flip> machine;
    final Ctx ctx = new Ctx();
    long batches;

    @Setup(Level.Trial)
    public void setUp() {
      StateMachineConfig<Node, Flip> config = new StateMachineConfig<>();
      for (Node state : Node.values()) {
        config.configure(state).onEntry(ctx::entered).onExit(ctx::exited);
      }
      config.configure(Node.A1).substateOf(Node.A);
      config.configure(Node.A11).substateOf(Node.A1);
      config.configure(Node.B1).substateOf(Node.B);
      config.configure(Node.B11).substateOf(Node.B1);
      config.configure(Node.A).permit(Flip.SWITCH, Node.B11);
      config.configure(Node.B).permit(Flip.SWITCH, Node.A11);
      machine = new com.github.oxo42.stateless4j.StateMachine<>(Node.A11, config);
      // enters A, A1 and A11, as the other implementations do when they start
      machine.fireInitialTransition();
      expect("stateless4j initial entries", ctx.entries, (long) STATES_PER_SIDE);
      ctx.reset();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
      check("stateless4j", ctx, batches, machine.getState(), Node.A11);
    }
  }

  /** Stator: one loop task sending the batch; the score is per event. */
  @Benchmark
  @OperationsPerInvocation(BATCH)
  public long stator(StatorState s) {
    s.loop.execute(s.sendBatch);
    return ++s.batches;
  }

  /** The hand-written machine; the score is per event. */
  @Benchmark
  @OperationsPerInvocation(BATCH)
  public long handWritten(HandState s) {
    for (int i = 0; i < BATCH; i++) {
      s.fire(Flip.SWITCH);
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
      s.machine.fire(Flip.SWITCH, s.ctx);
    }
    return ++s.batches;
  }

  /** stateless4j; the score is per event. */
  @Benchmark
  @OperationsPerInvocation(BATCH)
  public long stateless4j(Stateless4jState s) {
    for (int i = 0; i < BATCH; i++) {
      s.machine.fire(Flip.SWITCH);
    }
    return ++s.batches;
  }
}
