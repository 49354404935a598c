package dev.stator.dsl.property;

import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;

/**
 * The data of one fault storm, drawn up front by jqwik so that a run is a pure function of it: the
 * machine definitions, which callback invocation throws what, the recovery policies, the machines
 * and the script of sends and clock moves. Everything is plain values, so that jqwik can shrink a
 * failing storm to a small one.
 */
final class Storm {
  private Storm() {}

  // ------------------------------------------------------------------ the data

  /**
   * {@code ERROR} is {@code onError(Expected.class)}, or {@code onError(Throwable.class)} when the
   * shape's event is 4 (a handler that would take an {@code Error} if the engine offered one);
   * {@code CHILD} is {@code on(ChildTerminated.class)}.
   */
  enum Kind { EVENT, ALWAYS, AFTER, ERROR, CHILD }

  /** How a transition's guard decides, besides recording that it ran. */
  enum GuardKind {
    /**
     * Holds. Per machine, a delayed transition holds at most {@link #AFTER_TRUE_BUDGET} times (so
     * that a cycle of timers ends), and an eventless one at most {@link #ALWAYS_TRUE_BUDGET} times
     * unless its budget is 1: then it holds until the machine has had {@link #ENDLESS_CHAINS}
     * step-limit faults, so that a cycle of them runs into the loop's micro-step bound (a
     * {@code StepLimitException} fault) a few times, not at every restart for ever.
     */
    TRUE,
    /** Holds for the first {@code budget} evaluations per machine. */
    BUDGET,
    /** Alternates, per machine. */
    TOGGLE,
    FALSE
  }

  static final int AFTER_TRUE_BUDGET = 6;
  static final int ALWAYS_TRUE_BUDGET = 3;
  static final int ENDLESS_CHAINS = 3;

  /** What a transition's action does besides recording that it ran. */
  enum Extra { NONE, RAISE, SEND_SELF, TIMER, STOP_SELF, SPAWN }

  /**
   * An {@code Error} a callback throws. All but {@code INTERNAL} are ordinary faults of the machine
   * (recovery.md, "JVM errors"); {@code INTERNAL} is a {@code VirtualMachineError}: the loop's fatal
   * path, which ends the storm, so it is drawn rarely.
   */
  enum ErrorKind { ASSERTION, STACK_OVERFLOW, LINKAGE, NO_CLASS_DEF, INTERNAL }

  record ErrorAt(int at, ErrorKind kind) {}

  /** What code that is not a machine's step does wrong: listeners, handlers, tasks, dependents. */
  enum Misdeed { BOOM, ASSERTION, STACK_OVERFLOW, NO_CLASS_DEF, INTERRUPT, INTERNAL }

  /** Who misbehaves: the machine listeners, the loop's handlers, lifecycle dependents. */
  enum Outsider {
    ON_TRANSITION, ON_RESET, ON_TERMINATED, DEAD_LETTER, UNOBSERVED, FATAL_HANDLER, DEPENDENT
  }

  /** The {@code at}-th call (per run, from 0) of {@code who} does {@code misdeed}. */
  record Callout(Outsider who, int at, Misdeed misdeed) {}

  enum LinkSite { ENTRY, POKE, EXIT }

  /**
   * A fault of the supervision tree: the first call of {@code site} in a link at
   * {@code permille}/1000 of the depth throws {@code kind} ({@code INTERRUPT} throws a plain
   * exception instead).
   */
  record LinkFault(int permille, LinkSite site, Misdeed kind) {}

  /**
   * A supervision tree: a chain of {@code depth} links, each started by its parent's entry, and at
   * {@code widePermille}/1000 of the depth a link with {@code width} extra leaf children. Links
   * exit on failure, or reset once first when {@code reset}.
   */
  record TreeGen(int depth, int width, int widePermille, boolean reset, List<LinkFault> faults) {}

  /** How the test observes a machine: it decides whether a final failure is "unobserved". */
  enum Observation {
    LISTENER_AND_FUTURE, LISTENER, FUTURE, NONE;

    boolean listens() {
      return this == LISTENER_AND_FUTURE || this == LISTENER;
    }

    boolean awaits() {
      return this == LISTENER_AND_FUTURE || this == FUTURE;
    }
  }

  enum ShutdownKind {
    /** {@code shutdown(hook)}: done when the hook returns. */
    SYNC,
    /** {@code shutdownAsync}: the hook returns null. */
    ASYNC_NULL,
    /** The hook returns a completed stage. */
    ASYNC_DONE,
    /** The hook returns a failed stage. */
    ASYNC_FAILED,
    /** The hook returns a stage that the script may complete later, or never (the deadline). */
    ASYNC_PENDING
  }

  /**
   * The invocations (counted per machine and callback site, from 0, across incarnations) at which a
   * callback throws an unexpected {@code Boom} or a declared-expected {@code Expected}.
   */
  record ThrowPlan(List<Integer> boomAt, List<Integer> expectedAt, List<ErrorAt> errorAt) {
    static final ThrowPlan NONE = new ThrowPlan(List.of(), List.of(), List.of());

    boolean isEmpty() {
      return boomAt.isEmpty() && expectedAt.isEmpty() && errorAt.isEmpty();
    }
  }

  record Shape(Kind kind, int event, int target, boolean internal) {}

  record Decision(GuardKind guard, int budget, int delayMillis) {}

  record Effects(ThrowPlan guardThrows, ThrowPlan actionThrows, Extra extra, int extraEvent,
      int extraDelayMillis) {}

  /**
   * A transition. {@code event} 0–3 is {@code "e0"}–{@code "e3"}, 4 is the done event of the
   * source state; {@code target} below zero is a targetless transition, else an index into the
   * machine's states, modulo their number.
   */
  record TransitionGen(Shape shape, Decision decision, Effects effects) {}

  /**
   * {@code spawn} at or above zero: the entry starts a child of that definition. {@code history}
   * is 0 (none), 1 (a shallow history child) or 2 (a deep one); it counts only for a compound
   * state of a definition with a {@link ChartGen}.
   */
  record StateGen(boolean isFinal, int initialChild, List<StateGen> children, ThrowPlan entry,
      ThrowPlan exit, List<TransitionGen> transitions, int spawn, int history) {}

  /**
   * A transition with two targets, one child each of two regions of the parallel state:
   * {@code source} is an index into the machine's states (a final or history state has none, and
   * then there is no such transition), {@code region} picks the first region (the second is the
   * next one), {@code first} and {@code second} the children; the shape's target and internal
   * flag are not used.
   */
  record ForkGen(int source, int region, int first, int second, TransitionGen transition) {}

  /**
   * The statechart part of a definition: a top-level parallel state (its children are the
   * regions, compound states of atomic children, some final), and maybe a two-target transition
   * into two of its regions. History children come from {@link StateGen#history()}.
   */
  record ChartGen(StateGen parallel, ForkGen fork, List<JumpGen> jumps) {}

  /**
   * A transition to a history state: {@code source} is an index into the machine's states (a
   * final or history state has none), {@code history} picks one of its history states (none when
   * it has none); the shape's target and internal flag are not used.
   */
  record JumpGen(int source, int history, TransitionGen transition) {}

  sealed interface PolicyGen permits ExitGen, ResetGen, ShutdownGen, ByCauseGen {}

  record ExitGen() implements PolicyGen {}

  /** {@code backoffMinMillis} zero means no backoff; {@code next} is an exit or a shutdown. */
  record ResetGen(int maxRestarts, int windowMillis, int backoffMinMillis, int backoffFactor,
      boolean jitter, PolicyGen next) implements PolicyGen {}

  record ShutdownGen(ShutdownKind kind, int deadlineMillis) implements PolicyGen {}

  /** Cases may be null (absent); the cases and the fallback are never {@code ByCauseGen}. */
  record ByCauseGen(PolicyGen onBoom, PolicyGen onExpected, PolicyGen onStepLimit,
      PolicyGen otherwise) implements PolicyGen {}

  /** {@code chart} is null for a definition without regions or history. */
  record DefGen(List<StateGen> top, int initial, PolicyGen recovery, boolean faultOnUnhandled,
      ChartGen chart) {}

  record MachineGen(int definition, Observation observation) {}

  sealed interface Op permits Send, Burst, Advance, Stop, FinishShutdown, Task, Poke, StopLink {}

  /** {@code event} 0–3 is {@code "e0"}–{@code "e3"}; 4 is {@code "zz"}, which nothing handles. */
  record Send(int machine, int event) implements Op {}

  /** Several sends queued from one loop task, so that they wait behind each other's faults. */
  record Burst(int machine, List<Integer> events) implements Op {}

  record Advance(int millis) implements Op {}

  record Stop(int machine) implements Op {}

  record FinishShutdown(int machine, boolean failed) implements Op {}

  /** A task run with {@code loop.execute}, which misbehaves (or, when null, does not). */
  record Task(Misdeed misdeed) implements Op {}

  /** Sends "poke" to the link at {@code permille}/1000 of the tree's depth. */
  record Poke(int permille) implements Op {}

  /** Stops the link at {@code permille}/1000 of the tree's depth. */
  record StopLink(int permille) implements Op {}

  record Options(long seed, int maxMicrosteps, int batchSize, int traceLength) {}

  record Scenario(Options options, List<DefGen> definitions, List<MachineGen> machines,
      List<Op> ops, List<Callout> callouts, List<TreeGen> trees) {}

  // ------------------------------------------------------------------ the generators

  /**
   * The storms; with {@code trees}, some have a supervision tree too (only the main property asks
   * for them: the two properties of single rules check nothing about trees, and deep trees cost).
   */
  static Arbitrary<Scenario> scenarios(boolean trees) {
    Arbitrary<Options> options = Combinators.combine(
        Arbitraries.longs(),
        Arbitraries.of(16, 64),
        Arbitraries.of(1024, 1),
        Arbitraries.of(16, 4, 0))
        .as(Options::new);
    return Combinators.combine(
        options,
        definitions().list().ofMinSize(1).ofMaxSize(3),
        machines().list().ofMinSize(1).ofMaxSize(20),
        ops().list().ofMaxSize(30),
        Arbitraries.frequencyOf(
            Tuple.of(75, Arbitraries.just(List.<Callout>of())),
            Tuple.of(25, callouts().list().ofMinSize(1).ofMaxSize(3))),
        trees
            ? Arbitraries.frequencyOf(
                Tuple.of(92, Arbitraries.just(List.<TreeGen>of())),
                Tuple.of(8, trees().map(List::of)))
            : Arbitraries.just(List.<TreeGen>of()))
        .as(Scenario::new);
  }

  static Arbitrary<ErrorKind> errorKinds() {
    return Arbitraries.frequencyOf(
        Tuple.of(30, Arbitraries.just(ErrorKind.ASSERTION)),
        Tuple.of(25, Arbitraries.just(ErrorKind.STACK_OVERFLOW)),
        Tuple.of(15, Arbitraries.just(ErrorKind.LINKAGE)),
        Tuple.of(25, Arbitraries.just(ErrorKind.NO_CLASS_DEF)),
        Tuple.of(2, Arbitraries.just(ErrorKind.INTERNAL)));
  }

  static Arbitrary<Misdeed> misdeeds() {
    return Arbitraries.frequencyOf(
        Tuple.of(30, Arbitraries.just(Misdeed.BOOM)),
        Tuple.of(15, Arbitraries.just(Misdeed.ASSERTION)),
        Tuple.of(10, Arbitraries.just(Misdeed.STACK_OVERFLOW)),
        Tuple.of(10, Arbitraries.just(Misdeed.NO_CLASS_DEF)),
        Tuple.of(30, Arbitraries.just(Misdeed.INTERRUPT)),
        Tuple.of(2, Arbitraries.just(Misdeed.INTERNAL)));
  }

  static Arbitrary<Callout> callouts() {
    return Combinators.combine(
        Arbitraries.of(Outsider.class),
        Arbitraries.integers().between(0, 7),
        misdeeds())
        .as(Callout::new);
  }

  /**
   * Mostly chains of a few links, often of hundreds to a few thousand, rarely tens of thousands
   * and very rarely 100,000 (the engine stops them iteratively); edge cases are left out so that
   * jqwik does not pick the deepest one in a tenth of the tries.
   */
  static Arbitrary<TreeGen> trees() {
    Arbitrary<Integer> depth = Arbitraries.frequencyOf(
        Tuple.of(600, Arbitraries.integers().between(1, 12)),
        Tuple.of(380, Arbitraries.integers().between(100, 1500)),
        Tuple.of(19, Arbitraries.integers().between(1501, 20_000)),
        Tuple.of(1, Arbitraries.just(100_000)));
    Arbitrary<Integer> width = Arbitraries.frequencyOf(
        Tuple.of(60, Arbitraries.just(0)),
        Tuple.of(30, Arbitraries.integers().between(2, 20)),
        Tuple.of(10, Arbitraries.integers().between(100, 500)));
    Arbitrary<LinkFault> fault = Combinators.combine(
        Arbitraries.integers().between(0, 1000),
        Arbitraries.of(LinkSite.class),
        misdeeds())
        .as(LinkFault::new);
    return Combinators.combine(depth, width, Arbitraries.integers().between(0, 1000),
        Arbitraries.of(false, true), fault.list().ofMaxSize(3))
        .as(TreeGen::new)
        .withoutEdgeCases();
  }

  static Arbitrary<ThrowPlan> throwPlans() {
    Arbitrary<List<Integer>> at = Arbitraries.integers().between(0, 11).list().ofMaxSize(2);
    Arbitrary<List<ErrorAt>> errors = Arbitraries.frequencyOf(
        Tuple.of(60, Arbitraries.just(List.<ErrorAt>of())),
        Tuple.of(40, Combinators.combine(Arbitraries.integers().between(0, 11), errorKinds())
            .as(ErrorAt::new).list().ofMinSize(1).ofMaxSize(1)));
    return Arbitraries.frequencyOf(
        Tuple.of(85, Arbitraries.just(ThrowPlan.NONE)),
        Tuple.of(15, Combinators.combine(at, at, errors).as(ThrowPlan::new)));
  }

  static Arbitrary<TransitionGen> transitions() {
    Arbitrary<Shape> shape = Combinators.combine(
        Arbitraries.frequencyOf(
            Tuple.of(48, Arbitraries.just(Kind.EVENT)),
            Tuple.of(20, Arbitraries.just(Kind.AFTER)),
            Tuple.of(12, Arbitraries.just(Kind.ALWAYS)),
            Tuple.of(18, Arbitraries.just(Kind.ERROR)),
            Tuple.of(6, Arbitraries.just(Kind.CHILD))),
        Arbitraries.integers().between(0, 4),
        Arbitraries.frequencyOf(
            Tuple.of(80, Arbitraries.integers().between(0, 29)),
            Tuple.of(20, Arbitraries.just(-1))),
        Arbitraries.integers().between(0, 5).map(i -> i == 5))
        .as(Shape::new);
    Arbitrary<Decision> decision = Combinators.combine(
        Arbitraries.frequencyOf(
            Tuple.of(60, Arbitraries.just(GuardKind.TRUE)),
            Tuple.of(20, Arbitraries.just(GuardKind.BUDGET)),
            Tuple.of(12, Arbitraries.just(GuardKind.TOGGLE)),
            Tuple.of(8, Arbitraries.just(GuardKind.FALSE))),
        Arbitraries.integers().between(1, 3),
        Arbitraries.of(10, 0, 1, 2, 5, 50, 100, 1000, 5000))
        .as(Decision::new);
    Arbitrary<Effects> effects = Combinators.combine(
        throwPlans(),
        throwPlans(),
        Arbitraries.frequencyOf(
            Tuple.of(70, Arbitraries.just(Extra.NONE)),
            Tuple.of(10, Arbitraries.just(Extra.RAISE)),
            Tuple.of(8, Arbitraries.just(Extra.SEND_SELF)),
            Tuple.of(10, Arbitraries.just(Extra.TIMER)),
            Tuple.of(2, Arbitraries.just(Extra.STOP_SELF)),
            Tuple.of(4, Arbitraries.just(Extra.SPAWN))),
        Arbitraries.integers().between(0, 3),
        Arbitraries.of(0, 1, 10, 100))
        .as(Effects::new);
    return Combinators.combine(shape, decision, effects).as(TransitionGen::new);
  }

  static Arbitrary<StateGen> states(int depth) {
    Arbitrary<List<StateGen>> children = depth >= 2
        ? Arbitraries.just(List.of())
        : Arbitraries.frequencyOf(
            Tuple.of(65, Arbitraries.just(List.<StateGen>of())),
            Tuple.of(35, Arbitraries.lazy(() -> states(depth + 1)).list().ofMinSize(1)
                .ofMaxSize(3)));
    return states(children, 9, transitions().list().ofMaxSize(3));
  }

  /**
   * States with {@code children}, final when they have none and a die of ten shows at least
   * {@code finalFrom}.
   */
  private static Arbitrary<StateGen> states(Arbitrary<List<StateGen>> children, int finalFrom,
      Arbitrary<List<TransitionGen>> transitions) {
    return Combinators.combine(
        Arbitraries.integers().between(0, 9),
        Arbitraries.integers().between(0, 2),
        children,
        throwPlans(),
        throwPlans(),
        transitions,
        Arbitraries.frequencyOf(
            Tuple.of(92, Arbitraries.just(-1)),
            Tuple.of(8, Arbitraries.integers().between(0, 2))),
        Arbitraries.frequencyOf(
            Tuple.of(60, Arbitraries.just(0)),
            Tuple.of(20, Arbitraries.just(1)),
            Tuple.of(20, Arbitraries.just(2))))
        .as((finalDie, initial, kids, entry, exit, out, spawn, history) ->
            new StateGen(kids.isEmpty() && finalDie >= finalFrom, initial, kids, entry, exit, out,
                spawn, history));
  }

  /**
   * A parallel state of two or three regions, each a compound state of two atomic children, 30%
   * of them final (a region whose children are all final is left as drawn: its
   * initial child is final, and the region is done on entry).
   */
  static Arbitrary<ChartGen> charts() {
    Arbitrary<List<TransitionGen>> few = transitions().list().ofMaxSize(2);
    Arbitrary<StateGen> leaf = states(Arbitraries.just(List.of()), 7, few);
    Arbitrary<StateGen> region = states(leaf.list().ofSize(2), 10, few);
    Arbitrary<StateGen> parallel = states(region.list().ofMinSize(2).ofMaxSize(3), 10, few)
        .map(p -> new StateGen(false, 0, p.children(), p.entry(), p.exit(), p.transitions(), -1,
            0));
    Arbitrary<ForkGen> fork = Combinators.combine(
        Arbitraries.integers().between(0, 39),
        Arbitraries.integers().between(0, 2),
        Arbitraries.integers().between(0, 2),
        Arbitraries.integers().between(0, 2),
        transitions())
        .as(ForkGen::new);
    Arbitrary<JumpGen> jump = Combinators.combine(
        Arbitraries.integers().between(0, 39),
        Arbitraries.integers().between(0, 5),
        transitions())
        .as(JumpGen::new);
    return Combinators.combine(parallel, fork.injectNull(0.5), jump.list().ofMaxSize(1))
        .as(ChartGen::new);
  }

  static Arbitrary<PolicyGen> leafPolicies() {
    Arbitrary<PolicyGen> exit = Arbitraries.just(new ExitGen());
    Arbitrary<PolicyGen> shutdown = Combinators.combine(
        Arbitraries.of(ShutdownKind.class),
        Arbitraries.of(1, 10, 1000))
        .as(ShutdownGen::new);
    Arbitrary<PolicyGen> afterReset = Arbitraries.frequencyOf(
        Tuple.of(70, exit),
        Tuple.of(30, shutdown));
    Arbitrary<PolicyGen> reset = Combinators.combine(
        Arbitraries.integers().between(0, 4),
        Arbitraries.of(10, 1, 100, 1000, 60_000),
        Arbitraries.frequencyOf(
            Tuple.of(60, Arbitraries.just(0)),
            Tuple.of(40, Arbitraries.of(1, 10, 100))),
        Arbitraries.of(1, 4, 16),
        Arbitraries.integers().between(0, 3).map(i -> i == 3),
        afterReset)
        .as(ResetGen::new);
    return Arbitraries.frequencyOf(
        Tuple.of(20, exit),
        Tuple.of(55, reset),
        Tuple.of(25, shutdown));
  }

  static Arbitrary<PolicyGen> policies() {
    Arbitrary<PolicyGen> byCause = Combinators.combine(
        leafPolicies().injectNull(0.4),
        leafPolicies().injectNull(0.4),
        leafPolicies().injectNull(0.4),
        leafPolicies())
        .as(ByCauseGen::new);
    return Arbitraries.frequencyOf(
        Tuple.of(80, leafPolicies()),
        Tuple.of(20, byCause));
  }

  static Arbitrary<DefGen> definitions() {
    return Combinators.combine(
        states(0).list().ofMinSize(1).ofMaxSize(6),
        Arbitraries.integers().between(0, 5),
        policies(),
        Arbitraries.integers().between(0, 9).map(i -> i == 9),
        charts().injectNull(0.75))
        .as(DefGen::new);
  }

  static Arbitrary<MachineGen> machines() {
    return Combinators.combine(
        Arbitraries.integers().between(0, 2),
        Arbitraries.of(Observation.class))
        .as(MachineGen::new);
  }

  static Arbitrary<Op> ops() {
    Arbitrary<Integer> machine = Arbitraries.integers().between(0, 19);
    Arbitrary<Integer> event = Arbitraries.integers().between(0, 4);
    return Arbitraries.frequencyOf(
        Tuple.of(45, Combinators.combine(machine, event).as(Send::new)),
        Tuple.of(10, Combinators.combine(machine, event.list().ofMinSize(2).ofMaxSize(4))
            .as(Burst::new)),
        Tuple.of(30, Arbitraries.of(0, 1, 2, 5, 10, 50, 100, 500, 1000, 5000).map(Advance::new)),
        Tuple.of(5, machine.map(Stop::new)),
        Tuple.of(10, Combinators.combine(machine, Arbitraries.of(false, true))
            .as(FinishShutdown::new)),
        Tuple.of(4, misdeeds().injectNull(0.3).map(Task::new)),
        Tuple.of(5, Arbitraries.integers().between(0, 1000).map(Poke::new)),
        Tuple.of(4, Arbitraries.integers().between(0, 1000).map(StopLink::new)));
  }
}
