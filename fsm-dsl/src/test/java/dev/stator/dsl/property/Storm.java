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

  enum Kind { EVENT, ALWAYS, AFTER, ERROR }

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
  enum Extra { NONE, RAISE, SEND_SELF, TIMER, STOP_SELF }

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
  record ThrowPlan(List<Integer> boomAt, List<Integer> expectedAt) {
    static final ThrowPlan NONE = new ThrowPlan(List.of(), List.of());

    boolean isEmpty() {
      return boomAt.isEmpty() && expectedAt.isEmpty();
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

  record StateGen(boolean isFinal, int initialChild, List<StateGen> children, ThrowPlan entry,
      ThrowPlan exit, List<TransitionGen> transitions) {}

  sealed interface PolicyGen permits ExitGen, ResetGen, ShutdownGen, ByCauseGen {}

  record ExitGen() implements PolicyGen {}

  /** {@code backoffMinMillis} zero means no backoff; {@code next} is an exit or a shutdown. */
  record ResetGen(int maxRestarts, int windowMillis, int backoffMinMillis, int backoffFactor,
      boolean jitter, PolicyGen next) implements PolicyGen {}

  record ShutdownGen(ShutdownKind kind, int deadlineMillis) implements PolicyGen {}

  /** Cases may be null (absent); the cases and the fallback are never {@code ByCauseGen}. */
  record ByCauseGen(PolicyGen onBoom, PolicyGen onExpected, PolicyGen onStepLimit,
      PolicyGen otherwise) implements PolicyGen {}

  record DefGen(List<StateGen> top, int initial, PolicyGen recovery, boolean faultOnUnhandled) {}

  record MachineGen(int definition, Observation observation) {}

  sealed interface Op permits Send, Burst, Advance, Stop, FinishShutdown {}

  /** {@code event} 0–3 is {@code "e0"}–{@code "e3"}; 4 is {@code "zz"}, which nothing handles. */
  record Send(int machine, int event) implements Op {}

  /** Several sends queued from one loop task, so that they wait behind each other's faults. */
  record Burst(int machine, List<Integer> events) implements Op {}

  record Advance(int millis) implements Op {}

  record Stop(int machine) implements Op {}

  record FinishShutdown(int machine, boolean failed) implements Op {}

  record Options(long seed, int maxMicrosteps, int batchSize, int traceLength) {}

  record Scenario(Options options, List<DefGen> definitions, List<MachineGen> machines,
      List<Op> ops) {}

  // ------------------------------------------------------------------ the generators

  static Arbitrary<Scenario> scenarios() {
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
        ops().list().ofMaxSize(30))
        .as(Scenario::new);
  }

  static Arbitrary<ThrowPlan> throwPlans() {
    Arbitrary<List<Integer>> at = Arbitraries.integers().between(0, 11).list().ofMaxSize(2);
    return Arbitraries.frequencyOf(
        Tuple.of(85, Arbitraries.just(ThrowPlan.NONE)),
        Tuple.of(15, Combinators.combine(at, at).as(ThrowPlan::new)));
  }

  static Arbitrary<TransitionGen> transitions() {
    Arbitrary<Shape> shape = Combinators.combine(
        Arbitraries.frequencyOf(
            Tuple.of(48, Arbitraries.just(Kind.EVENT)),
            Tuple.of(20, Arbitraries.just(Kind.AFTER)),
            Tuple.of(12, Arbitraries.just(Kind.ALWAYS)),
            Tuple.of(20, Arbitraries.just(Kind.ERROR))),
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
            Tuple.of(2, Arbitraries.just(Extra.STOP_SELF))),
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
    return Combinators.combine(
        Arbitraries.integers().between(0, 9),
        Arbitraries.integers().between(0, 2),
        children,
        throwPlans(),
        throwPlans(),
        transitions().list().ofMaxSize(3))
        .as((finalDie, initial, kids, entry, exit, out) ->
            new StateGen(kids.isEmpty() && finalDie == 9, initial, kids, entry, exit, out));
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
        Arbitraries.integers().between(0, 9).map(i -> i == 9))
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
            .as(FinishShutdown::new)));
  }
}
