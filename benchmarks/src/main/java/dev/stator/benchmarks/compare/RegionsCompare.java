package dev.stator.benchmarks.compare;

import static dev.stator.benchmarks.compare.CompareSupport.BATCH;
import static dev.stator.benchmarks.compare.CompareSupport.expect;
import static dev.stator.benchmarks.compare.CompareSupport.expectPositive;

import dev.stator.Machine;
import dev.stator.MachineDefinition;
import dev.stator.RecoveryPolicy;
import dev.stator.UnhandledEventPolicy;
import dev.stator.model.Action;
import dev.stator.model.MachineSpec;
import dev.stator.model.StateSpec;
import dev.stator.model.TransitionSpec;
import dev.stator.model.Trigger;
import dev.stator.testing.TestLoop;
import java.util.List;
import java.util.Set;
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
import reactor.core.publisher.Mono;

/**
 * Two regions, each reacting to an event of its own, written three ways. A parallel state P has
 * two regions, L (states L1 and L2) and R (states R1 and R2); the event LEFT moves L between L1
 * and L2, the event RIGHT moves R between R1 and R2, and the two events alternate. An event is
 * offered to the whole configuration and one region takes it. Every one of the four leaves has an
 * entry and an exit action, each counting in the context: one event costs one exit and one
 * entry.
 *
 * <ul>
 *   <li>{@code stator}: the parallel state written in the engine's model (a {@code MachineSpec}),
 *       driven as in {@link ToggleCompare}: a loop task sends the batch.
 *   <li>{@code handWritten}: a pair of switches, one per region, calling the actions in the
 *       order Stator does (exits in reverse document order, then entries in document order).
 *   <li>{@code spring}: Spring Statemachine's regions ({@code withStates().parent(P).region(…)}).
 * </ul>
 *
 * <p>squirrel-foundation has parallel states too, but through a different event model (events go
 * to every region through its own dispatch); stateless4j has no regions. Every tear-down checks
 * that entries and exits each equal two per event and that both regions are back where they
 * started (a batch is an even number of events). Scores are per event.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class RegionsCompare {

  /** The states: the parallel state, its two regions, and their leaves. */
  public enum Node { P, L, L1, L2, R, R1, R2 }

  /** The events: one per region. */
  public enum Flip { LEFT, RIGHT }

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

  /** Entries and exits per event: one leaf left and one entered. */
  static final int PER_EVENT = 1;

  static final MachineDefinition<Ctx> STATOR = MachineDefinition.compile(new MachineSpec<>(
      "regions", "P", List.of(new StateSpec<>("P", null, StateSpec.Type.PARALLEL, null,
          List.of(region("L", "L1", "L2", Flip.LEFT), region("R", "R1", "R2", Flip.RIGHT)),
          List.of(), List.of(),
          List.of(), List.of(), null, null)),
      UnhandledEventPolicy.IGNORE, RecoveryPolicy.exit()));

  private static StateSpec<Ctx> region(String name, String first, String second, Flip event) {
    return new StateSpec<>(name, false, first,
        List.of(leaf(first, second, event), leaf(second, first, event)), List.of(), List.of(),
        List.of(), List.of(), null);
  }

  private static StateSpec<Ctx> leaf(String name, String next, Flip event) {
    Action<Ctx, Object> entry = (ctx, step) -> ctx.entered();
    Action<Ctx, Object> exit = (ctx, step) -> ctx.exited();
    return new StateSpec<>(name, false, null, List.of(), List.of(entry), List.of(exit),
        List.of(new TransitionSpec<>(new Trigger.OnEvent(event), null, next, false,
            List.of())), List.of(), null);
  }

  /** Checks shared by every implementation. */
  static void check(String who, Ctx ctx, long batches, Object state, Object initial) {
    expectPositive(who + " entries", ctx.entries);
    expect(who + " entries", ctx.entries, batches * BATCH * PER_EVENT);
    expect(who + " exits", ctx.exits, batches * BATCH * PER_EVENT);
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
        for (int i = 0; i < BATCH; i += 2) {
          target.send(Flip.LEFT);
          target.send(Flip.RIGHT);
        }
      };
    }

    @TearDown(Level.Trial)
    public void tearDown() {
      loop.checkFailures();
      check("stator", ctx, batches, machine.state().activeStates(), List.of("P/L/L1", "P/R/R1"));
      loop.close();
    }
  }

  /** A pair of switches, one per region, the exits and entries spelt out. */
  @State(Scope.Thread)
  public static class HandState {
    Node left = Node.L1;
    Node right = Node.R1;
    final Ctx ctx = new Ctx();
    long batches;

    void fire(Flip event) {
      switch (event) {
        case LEFT -> {
          ctx.exited();
          left = left == Node.L1 ? Node.L2 : Node.L1;
          ctx.entered();
        }
        case RIGHT -> {
          ctx.exited();
          right = right == Node.R1 ? Node.R2 : Node.R1;
          ctx.entered();
        }
      }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
      check("handWritten", ctx, batches, List.of(left, right), List.of(Node.L1, Node.R1));
    }
  }

  /** Spring Statemachine's regions, built without a Spring context. */
  @State(Scope.Thread)
  public static class SpringState {
    org.springframework.statemachine.StateMachine<Node, Flip> machine;
    final Ctx ctx = new Ctx();
    final Mono<Message<Flip>> left = CompareSupport.springEvent(Flip.LEFT);
    final Mono<Message<Flip>> right = CompareSupport.springEvent(Flip.RIGHT);
    long batches;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
      org.springframework.statemachine.action.Action<Node, Flip> entry = context -> ctx.entered();
      org.springframework.statemachine.action.Action<Node, Flip> exit = context -> ctx.exited();
      StateMachineBuilder.Builder<Node, Flip> builder = StateMachineBuilder.builder();
      builder.configureConfiguration().withConfiguration().autoStartup(false);
      builder.configureStates()
          .withStates()
              .initial(Node.P)
              .and()
          .withStates()
              .parent(Node.P)
              .region("L")
              .initial(Node.L1)
              .state(Node.L1, entry, exit)
              .state(Node.L2, entry, exit)
              .and()
          .withStates()
              .parent(Node.P)
              .region("R")
              .initial(Node.R1)
              .state(Node.R1, entry, exit)
              .state(Node.R2, entry, exit);
      builder.configureTransitions()
          .withExternal().source(Node.L1).target(Node.L2).event(Flip.LEFT)
          .and()
          .withExternal().source(Node.L2).target(Node.L1).event(Flip.LEFT)
          .and()
          .withExternal().source(Node.R1).target(Node.R2).event(Flip.RIGHT)
          .and()
          .withExternal().source(Node.R2).target(Node.R1).event(Flip.RIGHT);
      machine = builder.build();
      machine.startReactively().block();
      ctx.reset();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
      check("spring", ctx, batches, Set.copyOf(machine.getState().getIds()),
          Set.of(Node.P, Node.L1, Node.R1));
      machine.stopReactively().block();
    }
  }

  /** Stator: one loop task sending the batch; the score is per event. */
  @Benchmark
  @OperationsPerInvocation(BATCH)
  public long stator(StatorState s) {
    s.loop.execute(s.sendBatch);
    return ++s.batches;
  }

  /** The pair of switches; the score is per event. */
  @Benchmark
  @OperationsPerInvocation(BATCH)
  public long handWritten(HandState s) {
    for (int i = 0; i < BATCH; i += 2) {
      s.fire(Flip.LEFT);
      s.fire(Flip.RIGHT);
    }
    return ++s.batches;
  }

  /** Spring Statemachine, waiting for each event's results; the score is per event. */
  @Benchmark
  @OperationsPerInvocation(BATCH)
  public long spring(SpringState s) {
    for (int i = 0; i < BATCH; i += 2) {
      s.machine.sendEvent(s.left).blockLast();
      s.machine.sendEvent(s.right).blockLast();
    }
    return ++s.batches;
  }
}
