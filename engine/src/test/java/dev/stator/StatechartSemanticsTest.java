package dev.stator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stator.model.Guard;
import dev.stator.model.MachineSpec;
import dev.stator.model.StateSpec;
import dev.stator.model.TransitionSpec;
import dev.stator.model.Trigger;
import dev.stator.reference.Ctx;
import dev.stator.reference.ReferenceInterpreter;
import dev.stator.testing.TestLoop;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The statechart rules of the W3C SCXML recommendation (section 3 and Appendix D), one test each,
 * with the expected actions derived by hand from the rule. Every test runs the engine and, as a
 * check of the oracle of {@code StatechartReferenceProperties}, the reference interpreter, which
 * must show the same.
 *
 * <p>Each state logs {@code enter:<name>} and {@code exit:<name>}; each transition its label.
 */
class StatechartSemanticsTest {

  private static final int LIMIT = 50;

  private TestLoop loop;

  @AfterEach
  void close() {
    if (loop != null) {
      loop.close();
    }
  }

  // ------------------------------------------------------------------ selection and conflicts

  @Test
  void selection_acrossRegions_takesTheTransitionsOfTheAtomicStatesInDocumentOrder() {
    Run run = run("p",
        parallel("p",
            compound("r1", atomic("a1").on("e", "t1")),
            compound("r2", atomic("a2").on("e", "t2")),
            compound("r3", atomic("a3").on("e", "t3"))));

    assertThat(run.send("e")).containsExactly("t1", "t2", "t3");
  }

  @Test
  void conflict_aLaterTransitionWhoseSourceIsADescendant_preemptsTheEarlierOne() {
    // a1 selects p's transition (its nearest enabled one), a2 its own: both exit a2; a2 is a
    // descendant of p, so a2's transition wins and p stays active
    Run run = run("p",
        parallel("p",
            compound("r1", atomic("a1")),
            compound("r2", atomic("a2").on("e", "tA2", "b2"), atomic("b2")))
            .on("e", "tP", "out"),
        atomic("out"));

    assertThat(run.send("e")).containsExactly("exit:a2", "tA2", "enter:b2");
    assertThat(run.active()).containsExactly("p/r1/a1", "p/r2/b2");
  }

  @Test
  void conflict_otherwise_theFirstInDocumentOrderWins() {
    Run run = run("p",
        parallel("p",
            compound("r1", atomic("a1").on("e", "t1", "x")),
            compound("r2", atomic("a2").on("e", "t2", "y"))),
        atomic("x"), atomic("y"));

    assertThat(run.send("e")).containsExactly("exit:a2", "exit:r2", "exit:a1", "exit:r1",
        "exit:p", "t1", "enter:x");
    assertThat(run.active()).containsExactly("x");
  }

  @Test
  void conflict_aTargetlessTransitionExitsNothing_soItRunsBesideOneLeavingTheParallelState() {
    Run run = run("p",
        parallel("p",
            compound("r1", atomic("a1").on("e", "t1", "x")),
            compound("r2", atomic("a2").on("e", "t2"))),
        atomic("x"));

    assertThat(run.send("e")).containsExactly("exit:a2", "exit:r2", "exit:a1", "exit:r1",
        "exit:p", "t1", "t2", "enter:x");
  }

  // ------------------------------------------------------------------ order of exits, actions, entries

  @Test
  void exitsInReverseDocumentOrder_entriesInDocumentOrder_acrossRegions() {
    Run run = run("out",
        atomic("out").on("go", "in", "p"),
        parallel("p",
            compound("r1", compound("c1", atomic("a1"))),
            compound("r2", atomic("a2")))
            .on("leave", "back", "out"));

    assertThat(run.send("go")).containsExactly("exit:out", "in", "enter:p", "enter:r1",
        "enter:c1", "enter:a1", "enter:r2", "enter:a2");
    assertThat(run.send("leave")).containsExactly("exit:a2", "exit:r2", "exit:a1", "exit:c1",
        "exit:r1", "exit:p", "back", "enter:out");
  }

  @Test
  void transitionActions_runInDocumentOrder_betweenAllExitsAndAllEntries() {
    Run run = run("p",
        parallel("p",
            compound("r1", atomic("a1").on("e", "t1", "b1"), atomic("b1")),
            compound("r2", atomic("a2").on("e", "t2", "b2"), atomic("b2"))));

    assertThat(run.send("e")).containsExactly("exit:a2", "exit:a1", "t1", "t2", "enter:b1",
        "enter:b2");
  }

  // ------------------------------------------------------------------ history

  @Test
  void shallowHistory_restoresTheActiveChild_enteredByItsDefaultEntry() {
    Run run = historyChart(StateSpec.Type.SHALLOW_HISTORY, null);
    run.send("back");
    run.send("deeper");
    run.send("out");

    assertThat(run.send("back")).containsExactly("exit:out", "tBack", "enter:c", "enter:x",
        "enter:x1");
    assertThat(run.active()).containsExactly("c/x/x1");
  }

  @Test
  void deepHistory_restoresTheActiveAtomicDescendants() {
    Run run = historyChart(StateSpec.Type.DEEP_HISTORY, null);
    run.send("back");
    run.send("deeper");
    run.send("out");

    assertThat(run.send("back")).containsExactly("exit:out", "tBack", "enter:c", "enter:x",
        "enter:x2");
    assertThat(run.active()).containsExactly("c/x/x2");
  }

  @Test
  void history_neverExited_withoutDefault_entersTheParentsInitialChild() {
    Run run = historyChart(StateSpec.Type.DEEP_HISTORY, null);

    assertThat(run.send("back")).containsExactly("exit:out", "tBack", "enter:c", "enter:x",
        "enter:x1");
  }

  @Test
  void history_neverExited_withDefault_entersTheDefault() {
    Run run = historyChart(StateSpec.Type.SHALLOW_HISTORY, "y");

    assertThat(run.send("back")).containsExactly("exit:out", "tBack", "enter:c", "enter:y");
  }

  @Test
  void deepHistory_withADeepDefault_entersTheDefaultAndItsAncestors() {
    Run run = historyChart(StateSpec.Type.DEEP_HISTORY, "x2");

    assertThat(run.send("back")).containsExactly("exit:out", "tBack", "enter:c", "enter:x",
        "enter:x2");
  }

  @Test
  void transitionToItsOwnHistory_exitsFirst_soTheHistoryItRecordedIsRestored() {
    // the exit set is computed and the history recorded before the entry set is computed:
    // "early" leaves c (recording x/x2) and the history then restores x/x2, not c's default x/x1
    Run run = historyChart(StateSpec.Type.DEEP_HISTORY, null);
    run.send("back");
    assertThat(run.send("deeper")).containsExactly("exit:x1", "tDeeper", "enter:x2");

    assertThat(run.send("early")).containsExactly("exit:x2", "exit:x", "exit:c", "tEarly",
        "enter:c", "enter:x", "enter:x2");
  }

  @Test
  void historyTargetInsideTheDomain_doesNotEnterAnActiveStateAgain() {
    // Appendix D computes the domain of a -> h from h's effective target b (LCCA(a, b) = d, so d
    // stays active), then adds b's ancestors up to h's parent c, d included: it would run d's
    // entry again without its exit. Stator deviates: a state still active is not entered again
    Run run = run("c",
        compound("c",
            history("h", StateSpec.Type.DEEP_HISTORY, "b"),
            compound("d", atomic("a").on("e", "t", "h"), atomic("b"))));

    assertThat(run.send("e")).containsExactly("exit:a", "t", "enter:b");
    assertThat(run.active()).containsExactly("c/d/b");
  }

  @Test
  void deepHistory_ofAParallelState_restoresEveryRegion() {
    Run run = run("p",
        parallel("p",
            history("h", StateSpec.Type.DEEP_HISTORY, null),
            compound("r1", atomic("a1").on("e1", "t1", "b1"), atomic("b1")),
            compound("r2", atomic("a2"), atomic("b2").on("never", "tN", "a2")))
            .on("out", "tOut", "out"),
        atomic("out").on("back", "tBack", "p/h"));
    run.send("e1");
    run.send("out");

    assertThat(run.send("back")).containsExactly("exit:out", "tBack", "enter:p", "enter:r1",
        "enter:b1", "enter:r2", "enter:a2");
  }

  /** out, c { h, x { x1, x2 }, y }; the machine starts in out. */
  private Run historyChart(StateSpec.Type kind, String defaultTarget) {
    return run("out",
        compound("c",
            history("h", kind, defaultTarget),
            compound("x", atomic("x1").on("deeper", "tDeeper", "x2"), atomic("x2")),
            atomic("y"))
            .on("out", "tOut", "out")
            .on("early", "tEarly", "h"),
        atomic("out").on("back", "tBack", "c/h"));
  }

  // ------------------------------------------------------------------ done events

  @Test
  void doneEvent_ofAParallelState_onlyWhenEveryRegionIsInAFinalState() {
    Run run = run("p",
        parallel("p",
            compound("r1", atomic("a1").on("f1", "t1", "F1"), fin("F1")),
            compound("r2", atomic("a2").on("f2", "t2", "F2"), fin("F2")))
            .on("done.state.p/r1", "r1Done")
            .onDone("pDone", "after"),
        atomic("after"));

    assertThat(run.send("f1")).containsExactly("exit:a1", "t1", "enter:F1", "r1Done");
    assertThat(run.active()).containsExactly("p/r1/F1", "p/r2/a2");
    assertThat(run.send("f2")).containsExactly("exit:a2", "t2", "enter:F2",
        "exit:F2", "exit:r2", "exit:F1", "exit:r1", "exit:p", "pDone", "enter:after");
  }

  @Test
  void doneEvents_ofTwoRegionsAndOfTheirParallelState_inTheOrderTheFinalStatesWereEntered() {
    Run run = run("p",
        parallel("p",
            compound("r1", atomic("a1").on("f", "t1", "F1"), fin("F1"))
                .onDone("r1Done"),
            compound("r2", atomic("a2").on("f", "t2", "F2"), fin("F2"))
                .onDone("r2Done"))
            .onDone("pDone"));

    assertThat(run.send("f")).containsExactly("exit:a2", "exit:a1", "t1", "t2", "enter:F1",
        "enter:F2", "r1Done", "r2Done", "pDone");
  }

  // ------------------------------------------------------------------ run to completion

  @Test
  void eventlessChain_completesBeforeTheNextExternalEvent() {
    Run run = run("a",
        atomic("a").on("e", "tE", "b"),
        atomic("b")
            .always((c, s) -> c.n < 3, "count", true)
            .always((c, s) -> c.n == 3, "leave", false, "c")
            .on("f", "tooEarly", "a"),
        atomic("c").on("f", "tF", "a"));

    assertThat(run.send("e")).containsExactly("exit:a", "tE", "enter:b", "count", "count",
        "count", "exit:b", "leave", "enter:c");
    assertThat(run.send("f")).containsExactly("exit:c", "tF", "enter:a");
  }

  @Test
  void internalEvents_areProcessedBeforeExternalOnes() {
    // the action of "e" sends "x" from outside (the loop's queue) and enters c, whose final
    // initial child raises c's done event on the internal queue: the done event goes first
    StateSpec<Ctx> c = compound("c", fin("f")).on("x", "xInC", "g").onDone("cDone", "d").spec();
    MachineSpec<Ctx> spec = new MachineSpec<>("m", "a", List.of(
        new StateSpec<Ctx>("a", null, StateSpec.Type.NORMAL, null, List.of(), List.of(), List.of(),
            List.of(new TransitionSpec<>(new Trigger.OnEvent("e"), null, List.of("c"), false,
                List.of((ctx, step) -> {
                  ctx.log.add("tE");
                  step.machine().send("x");
                }))), List.of(), null, null),
        c,
        atomic("d").on("x", "xInD", "g").spec(),
        atomic("g").spec()), UnhandledEventPolicy.IGNORE, RecoveryPolicy.exit());
    loop = TestLoop.create(LoopOptions.DEFAULTS.withMaxMicrosteps(LIMIT), 0L);
    Ctx context = new Ctx();
    Machine<Ctx> machine = loop.start(MachineDefinition.compile(spec), context);
    context.log.clear();

    machine.send("e");

    assertThat(context.log).containsExactly("tE", "enter:c", "enter:f", "exit:f", "exit:c",
        "cDone", "enter:d", "exit:d", "xInD", "enter:g");
  }

  // ------------------------------------------------------------------ targets and domains

  @Test
  void twoTargets_enterTwoRegions_andTheOtherRegionsByDefault() {
    Run run = run("out",
        atomic("out").on("e", "t", "p/r1/b1", "p/r2/b2"),
        parallel("p",
            compound("r1", atomic("a1"), atomic("b1")),
            compound("r2", atomic("a2"), atomic("b2")),
            compound("r3", atomic("a3"))));

    assertThat(run.send("e")).containsExactly("exit:out", "t", "enter:p", "enter:r1",
        "enter:b1", "enter:r2", "enter:b2", "enter:r3", "enter:a3");
    assertThat(run.active()).containsExactly("p/r1/b1", "p/r2/b2", "p/r3/a3");
  }

  @Test
  void aParallelStateEnteredAgain_isDoneAgain_whenItsRegionsAreFinalAgain() {
    Run run = run("p",
        parallel("p",
            compound("r1", atomic("a1").on("e", "t1", "f1"), fin("f1")),
            compound("r2", atomic("a2").on("e", "t2", "f2"), fin("f2")))
            .onDone("pDone", "out"),
        atomic("out").on("back", "tBack", "p"));

    assertThat(run.send("e")).contains("pDone");
    run.send("back");
    assertThat(run.send("e")).contains("pDone");
    assertThat(run.active()).containsExactly("out");
  }

  @Test
  void anEventARegionTakes_isNotAlsoTakenByTheParallelState_asInXStateV5() {
    Run run = run("p",
        parallel("p",
            compound("r1", atomic("a1").on("e", "tRegion")),
            compound("r2", atomic("a2")))
            .on("e", "tParallel")
            .on("f", "tParallelOnly"));

    // SCXML would also take p's targetless transition, reached through r2's leaf
    assertThat(run.send("e")).containsExactly("tRegion");
    assertThat(run.send("f")).containsExactly("tParallelOnly");
  }

  @Test
  void anEventALaterRegionTakes_dropsTheParallelStatesTransition_reachedThroughAnEarlierOne() {
    Run run = run("p",
        parallel("p",
            compound("r1", atomic("a1")),
            compound("r2", atomic("a2").on("e", "tRegion")))
            .on("e", "tParallel"));

    assertThat(run.send("e")).containsExactly("tRegion");
  }

  @Test
  void transitionFromOneRegionIntoAnother_exitsTheRegions_notTheParallelState() {
    // as in XState v5, the domain is the least common ancestor of a1 and b2 of any kind: p (SCXML
    // would take the nearest compound ancestor, the root, and exit p too)
    Run run = run("p",
        parallel("p",
            compound("r1", atomic("a1").on("e", "t", "b2"), atomic("b1")),
            compound("r2", atomic("a2"), atomic("b2"))));

    assertThat(run.send("e")).containsExactly("exit:a2", "exit:r2", "exit:a1", "exit:r1",
        "t", "enter:r1", "enter:a1", "enter:r2", "enter:b2");
  }

  @Test
  void externalTransitionOfARegionToItsChild_exitsTheRegions_notTheParallelState() {
    Run run = run("p",
        parallel("p",
            compound("r1", atomic("a1"), atomic("b1")).on("e", "t", "b1"),
            compound("r2", atomic("a2").on("move", "tMove", "b2"), atomic("b2"))));
    run.send("move");

    assertThat(run.send("e")).containsExactly("exit:b2", "exit:r2", "exit:a1", "exit:r1",
        "t", "enter:r1", "enter:b1", "enter:r2", "enter:a2");
  }

  @Test
  void selfTransitionOfARegion_exitsAndReentersEveryRegion_notTheParallelState() {
    Run run = run("p",
        parallel("p",
            compound("r1", atomic("a1"), atomic("b1")).on("self", "t", "r1"),
            compound("r2", atomic("a2").on("move", "tMove", "b2"), atomic("b2"))));
    run.send("move");

    assertThat(run.send("self")).containsExactly("exit:b2", "exit:r2", "exit:a1", "exit:r1",
        "t", "enter:r1", "enter:a1", "enter:r2", "enter:a2");
    assertThat(run.active()).containsExactly("p/r1/a1", "p/r2/a2");
  }

  @Test
  void internalTransitionOfARegion_staysInsideTheRegion() {
    Run run = run("p",
        parallel("p",
            compound("r1", atomic("a1"), atomic("b1")).onInternal("e", "t", "b1"),
            compound("r2", atomic("a2"))));

    assertThat(run.send("e")).containsExactly("exit:a1", "t", "enter:b1");
  }

  @Test
  void internalTransitionOfAParallelState_keepsItActive_asInXStateV5() {
    // SCXML 3.13 makes only a compound source the domain, so there an internal transition of a
    // parallel state is external; Stator follows XState v5: the parallel source stays active,
    // every region below it is exited, and the regions no target enters are entered by default
    Run run = run("p",
        parallel("p",
            compound("r1", atomic("a1"), atomic("b1")),
            compound("r2", atomic("a2")))
            .onInternal("e", "t", "b1"));

    assertThat(run.send("e")).containsExactly("exit:a2", "exit:r2", "exit:a1", "exit:r1",
        "t", "enter:r1", "enter:b1", "enter:r2", "enter:a2");
  }

  // ------------------------------------------------------------------ completion, and Stator's deviations

  @Test
  void topLevelFinalState_completesTheMachine_andExitsIt() {
    // SCXML's exitInterpreter and XState both exit the states still active as the machine ends
    Run run = run("a", atomic("a").on("e", "t", "end"), fin("end"));

    assertThat(run.send("e")).containsExactly("exit:a", "t", "enter:end", "exit:end");
    assertThat(run.machine.state().status()).isEqualTo(Status.COMPLETED);
    assertThat(run.reference.status()).isEqualTo(ReferenceInterpreter.Status.COMPLETED);
  }

  @Test
  void stepLimit_exactlyTheLimitOfEventlessMicrosteps_isAllowed() {
    Run run = run("a", atomic("a").on("e", "t", "b"),
        atomic("b").always((c, s) -> c.n < LIMIT, "count", true));

    run.send("e");

    assertThat(run.machine.state().status()).isEqualTo(Status.RUNNING);
    assertThat(run.context.n).isEqualTo(LIMIT);
  }

  @Test
  void stepLimit_oneEventlessMicrostepMore_failsTheMachine() {
    Run run = run("a", atomic("a").on("e", "t", "b"),
        atomic("b").always((c, s) -> c.n < LIMIT + 1, "count", true));

    run.machine.send("e");

    assertThat(run.machine.state().status()).isEqualTo(Status.FAILED);
    assertThat(run.machine.state().failure().cause()).isInstanceOf(StepLimitException.class);
    run.reference.send("e");
    assertThat(run.reference.status()).isEqualTo(ReferenceInterpreter.Status.STEP_LIMIT);
  }

  @Test
  void historyAsItsParentsInitialChild_withoutDefault_isRefused() {
    // SCXML gives every history state a default transition; Stator's null default means "the
    // parent's default entry", which for the parent's own initial child is circular. Found while
    // writing the generator: the compiler accepts it, and the machine then runs with an empty
    // configuration (state "", no active state). Expected: a DefinitionException.
    MachineSpec<Ctx> spec = new MachineSpec<>("m", "c",
        List.of(compound("c", history("h", StateSpec.Type.SHALLOW_HISTORY, null), atomic("a"))
            .initial("h").spec()),
        UnhandledEventPolicy.IGNORE, RecoveryPolicy.exit());

    assertThatThrownBy(() -> MachineDefinition.compile(spec))
        .isInstanceOf(DefinitionException.class);
  }

  // ------------------------------------------------------------------ fixture

  /** The engine, on a loop of the caller's, and the reference side by side. */
  static final class Run {
    final Machine<Ctx> machine;
    final Ctx context = new Ctx();
    final ReferenceInterpreter<Ctx> reference;
    final Ctx referenceContext = new Ctx();
    /** What the start logged. */
    final List<String> started;

    Run(TestLoop loop, MachineSpec<Ctx> spec) {
      machine = loop.start(MachineDefinition.compile(spec), context);
      reference = new ReferenceInterpreter<>(spec, LIMIT);
      reference.start(referenceContext);
      started = check();
    }

    /** Sends the event to both; returns what the engine logged, checked against the reference. */
    List<String> send(String event) {
      machine.send(event);
      reference.send(event);
      return check();
    }

    private List<String> check() {
      List<String> logged = List.copyOf(context.log);
      assertThat(referenceContext.log).as("the reference's log").isEqualTo(logged);
      assertThat(reference.activeStates()).as("the reference's active states")
          .isEqualTo(machine.state().activeStates());
      context.log.clear();
      referenceContext.log.clear();
      return logged;
    }

    List<String> active() {
      return machine.state().activeStates();
    }
  }

  private Run run(MachineSpec<Ctx> spec) {
    loop = TestLoop.create(LoopOptions.DEFAULTS.withMaxMicrosteps(LIMIT)
        .withUnobservedFailureHandler(f -> { }), 0L);
    return new Run(loop, spec);
  }

  private Run run(String initial, St... states) {
    return run(new MachineSpec<>("m", initial,
        Arrays.stream(states).map(s -> s.spec()).toList(), UnhandledEventPolicy.IGNORE,
        RecoveryPolicy.exit()));
  }

  /** A state under construction: each logs its entries and exits, each transition its label. */
  static final class St {
    final String name;
    final StateSpec.Type type;
    final List<St> children = new ArrayList<>();
    final List<TransitionSpec<Ctx>> transitions = new ArrayList<>();
    String initial;

    St(String name, StateSpec.Type type) {
      this.name = name;
      this.type = type;
    }

    St on(String event, String label, String... targets) {
      transitions.add(new TransitionSpec<>(new Trigger.OnEvent(event), null, List.of(targets),
          false, List.of((c, step) -> c.log.add(label))));
      return this;
    }

    St onInternal(String event, String label, String... targets) {
      transitions.add(new TransitionSpec<>(new Trigger.OnEvent(event), null, List.of(targets),
          true, List.of((c, step) -> c.log.add(label))));
      return this;
    }

    St initial(String child) {
      initial = child;
      return this;
    }

    St onDone(String label, String... targets) {
      transitions.add(new TransitionSpec<>(new Trigger.OnStateDone(), null, List.of(targets),
          false, List.of((c, step) -> c.log.add(label))));
      return this;
    }

    St always(Guard<Ctx, Object> guard, String label, boolean increment, String... targets) {
      transitions.add(new TransitionSpec<>(new Trigger.Always(), guard, List.of(targets), false,
          List.of((c, step) -> {
            c.log.add(label);
            if (increment) {
              c.n++;
            }
          })));
      return this;
    }

    StateSpec<Ctx> spec() {
      boolean history = type == StateSpec.Type.SHALLOW_HISTORY
          || type == StateSpec.Type.DEEP_HISTORY;
      String first = type == StateSpec.Type.NORMAL ? children.stream()
          .filter(c -> c.type != StateSpec.Type.SHALLOW_HISTORY
              && c.type != StateSpec.Type.DEEP_HISTORY)
          .map(c -> c.name).findFirst().orElse(null) : null;
      return new StateSpec<>(name, null, type, history || initial != null ? initial : first,
          children.stream().map(c -> c.spec()).toList(),
          history ? List.of() : List.of((c, step) -> c.log.add("enter:" + name)),
          history ? List.of() : List.of((c, step) -> c.log.add("exit:" + name)),
          transitions, List.of(), null, null);
    }
  }

  static St atomic(String name) {
    return new St(name, StateSpec.Type.NORMAL);
  }

  static St fin(String name) {
    return new St(name, StateSpec.Type.FINAL);
  }

  static St compound(String name, St... children) {
    St s = new St(name, StateSpec.Type.NORMAL);
    s.children.addAll(Arrays.asList(children));
    return s;
  }

  static St parallel(String name, St... regions) {
    St s = new St(name, StateSpec.Type.PARALLEL);
    s.children.addAll(Arrays.asList(regions));
    return s;
  }

  static St history(String name, StateSpec.Type kind, String defaultTarget) {
    St s = new St(name, kind);
    s.initial = defaultTarget;
    return s;
  }
}
