package dev.stator.dsl.property;

import dev.stator.DeadLetter;
import dev.stator.Failure;
import dev.stator.LifecycleEvent;
import dev.stator.LoopOptions;
import dev.stator.Machine;
import dev.stator.MachineDefinition;
import dev.stator.MachineFailedException;
import dev.stator.MachineListener;
import dev.stator.Phase;
import dev.stator.RecoveryPolicy;
import dev.stator.StateSnapshot;
import dev.stator.Status;
import dev.stator.Step;
import dev.stator.StepLimitException;
import dev.stator.Termination;
import dev.stator.Timeout;
import dev.stator.UnhandledEventException;
import dev.stator.UnhandledEventPolicy;
import dev.stator.dsl.MachineBuilder;
import dev.stator.dsl.StateBuilder;
import dev.stator.dsl.Stator;
import dev.stator.dsl.TransitionBuilder;
import dev.stator.dsl.property.Storm.ByCauseGen;
import dev.stator.dsl.property.Storm.DefGen;
import dev.stator.dsl.property.Storm.ExitGen;
import dev.stator.dsl.property.Storm.Kind;
import dev.stator.dsl.property.Storm.MachineGen;
import dev.stator.dsl.property.Storm.Observation;
import dev.stator.dsl.property.Storm.Op;
import dev.stator.dsl.property.Storm.PolicyGen;
import dev.stator.dsl.property.Storm.ResetGen;
import dev.stator.dsl.property.Storm.Scenario;
import dev.stator.dsl.property.Storm.ShutdownGen;
import dev.stator.dsl.property.Storm.StateGen;
import dev.stator.dsl.property.Storm.ThrowPlan;
import dev.stator.dsl.property.Storm.TransitionGen;
import dev.stator.testing.TestLoop;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * One run of a {@link Scenario} on a fresh {@link TestLoop}: builds the definitions with the DSL,
 * starts the machines, plays the script, closes the loop, and checks every guarantee. Callbacks
 * never assert (a throw from a callback would be a fault of the machine): they record violations,
 * and {@link #violations()} lists them after the run.
 */
final class StormRun {

  /** Thrown by a callback and never declared: always a fault. */
  static final class Boom extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Boom(String message) {
      super(message, null, true, false);
    }
  }

  /** Thrown by a callback and declared by some states with {@code onError}. */
  static final class Expected extends Exception {
    private static final long serialVersionUID = 1L;

    Expected(String message) {
      super(message, null, true, false);
    }
  }

  private static final String[] EVENTS = {"e0", "e1", "e2", "e3"};
  private static final int EXTRA_BUDGET = 6;

  // ------------------------------------------------------------------ the compiled scenario

  /** A state of a definition, flattened in document order. */
  static final class Node {
    final int index;
    final String name;
    final int parent;
    final List<Node> children = new ArrayList<>();
    final StateGen gen;
    final boolean isFinal;
    final List<Trans> after = new ArrayList<>();
    int entrySite = -1;
    int exitSite = -1;

    Node(int index, int parent, StateGen gen) {
      this.index = index;
      this.name = "S" + index;
      this.parent = parent;
      this.gen = gen;
      this.isFinal = gen.isFinal();
    }
  }

  /** A transition with its callback sites. */
  static final class Trans {
    final int id;
    final Node source;
    final TransitionGen gen;
    final Node target;
    final boolean internal;
    final long delayNanos;
    final int guardSite;
    final int actionSite;

    Trans(int id, Node source, TransitionGen gen, Node target, boolean internal, int guardSite,
        int actionSite) {
      this.id = id;
      this.source = source;
      this.gen = gen;
      this.target = target;
      this.internal = internal;
      this.delayNanos = Duration.ofMillis(gen.decision().delayMillis()).toNanos();
      this.guardSite = guardSite;
      this.actionSite = actionSite;
    }

    Kind kind() {
      return gen.shape().kind();
    }
  }

  /** One definition of the scenario, built with the DSL for this run. */
  final class Def {
    final int index;
    final DefGen gen;
    final List<Node> nodes = new ArrayList<>();
    final List<Trans> transitions = new ArrayList<>();
    final List<ThrowPlan> sites = new ArrayList<>();
    final MachineDefinition<Ctx> definition;

    Def(int index, DefGen gen) {
      this.index = index;
      this.gen = gen;
      for (StateGen top : gen.top()) {
        flatten(top, -1);
      }
      for (Node node : nodes) {
        wire(node);
      }
      MachineBuilder<String, Ctx> machine = Stator.<String, Ctx>machine("d" + index)
          .initial(topNodes().get(gen.initial() % gen.top().size()).name)
          .recovery(policy(gen.recovery()))
          .unhandledEvents(gen.faultOnUnhandled() ? UnhandledEventPolicy.FAULT
              : UnhandledEventPolicy.IGNORE);
      for (Node top : topNodes()) {
        if (top.isFinal) {
          machine.finalState(top.name, s -> s.onEntry((c, step) -> entry(c, step, top)));
        } else {
          machine.state(top.name, s -> describe(s, top));
        }
      }
      this.definition = machine.build();
    }

    private List<Node> topNodes() {
      List<Node> top = new ArrayList<>();
      for (Node node : nodes) {
        if (node.parent < 0) {
          top.add(node);
        }
      }
      return top;
    }

    private void flatten(StateGen state, int parent) {
      Node node = new Node(nodes.size(), parent, state);
      nodes.add(node);
      if (parent >= 0) {
        nodes.get(parent).children.add(node);
      }
      for (StateGen child : state.children()) {
        flatten(child, node.index);
      }
    }

    private void wire(Node node) {
      if (!node.isFinal || node.parent < 0) {
        node.entrySite = site(node.gen.entry());
      }
      if (node.isFinal) {
        return;
      }
      node.exitSite = site(node.gen.exit());
      for (TransitionGen t : node.gen.transitions()) {
        int target = t.shape().target();
        Node targetNode = target < 0 ? null : nodes.get(target % nodes.size());
        if (targetNode == null && t.shape().kind() == Kind.ERROR) {
          // an expected-error transition needs a target (the engine refuses one without)
          targetNode = node;
        }
        // the engine refuses internal expected-error transitions
        boolean internal = t.shape().internal() && targetNode != null
            && isDescendant(targetNode, node) && t.shape().kind() != Kind.ERROR;
        Trans trans = new Trans(transitions.size(), node, t, targetNode, internal,
            site(t.effects().guardThrows()), site(t.effects().actionThrows()));
        transitions.add(trans);
        if (trans.kind() == Kind.AFTER) {
          node.after.add(trans);
        }
      }
    }

    private int site(ThrowPlan plan) {
      sites.add(plan);
      return sites.size() - 1;
    }

    private boolean isDescendant(Node node, Node ancestor) {
      for (int p = node.parent; p >= 0; p = nodes.get(p).parent) {
        if (p == ancestor.index) {
          return true;
        }
      }
      return false;
    }

    /** A state's id, which its done event names: its path from the top. */
    private String pathOf(Node node) {
      StringBuilder path = new StringBuilder(node.name);
      for (int p = node.parent; p >= 0; p = nodes.get(p).parent) {
        path.insert(0, nodes.get(p).name + "/");
      }
      return path.toString();
    }

    private void describe(StateBuilder<String, Ctx> s, Node node) {
      s.onEntry((c, step) -> entry(c, step, node));
      s.onExit((c, step) -> exit(c, step, node));
      for (Trans t : transitions) {
        if (t.source == node) {
          switch (t.kind()) {
            case EVENT -> finish(s.on(t.gen.shape().event() < EVENTS.length
                ? EVENTS[t.gen.shape().event()] : "done.state." + pathOf(node)), t);
            case ALWAYS -> finish(s.always(), t);
            case AFTER -> finish(s.after(Duration.ofNanos(t.delayNanos)), t);
            case ERROR -> finish(s.onError(Expected.class), t);
          }
        }
      }
      if (!node.children.isEmpty()) {
        s.initial(node.children.get(node.gen.initialChild() % node.children.size()).name);
        for (Node child : node.children) {
          if (child.isFinal) {
            s.finalState(child.name);
          } else {
            s.state(child.name, c -> describe(c, child));
          }
        }
      }
    }

    private <E> void finish(TransitionBuilder<String, Ctx, E> builder, Trans t) {
      builder.when((c, step) -> guard(c, step, t)).then((c, step) -> action(c, step, t));
      if (t.internal) {
        builder.internal();
      }
      if (t.target == null) {
        builder.stay();
      } else {
        builder.goTo(t.target.name);
      }
    }

    private RecoveryPolicy<Ctx> policy(PolicyGen policy) {
      if (policy instanceof ExitGen) {
        return RecoveryPolicy.exit();
      }
      if (policy instanceof ResetGen reset) {
        RecoveryPolicy.Reset<Ctx> built = RecoveryPolicy.<Ctx>reset(StormRun.this::freshContext)
            .onReset(StormRun.this::resetHook)
            .atMost(reset.maxRestarts(), Duration.ofMillis(reset.windowMillis()));
        if (reset.backoffMinMillis() > 0) {
          built = built.backoff(Duration.ofMillis(reset.backoffMinMillis()),
              Duration.ofMillis((long) reset.backoffMinMillis() * reset.backoffFactor()));
          if (reset.jitter()) {
            built = built.jitter(0.5);
          }
        }
        return built.then(policy(reset.next()));
      }
      if (policy instanceof ShutdownGen shutdown) {
        Duration deadline = Duration.ofMillis(shutdown.deadlineMillis());
        if (shutdown.kind() == Storm.ShutdownKind.SYNC) {
          return RecoveryPolicy.shutdown((c, f) -> shutdownHook(c, f, shutdown), deadline);
        }
        return RecoveryPolicy.shutdownAsync((c, f) -> shutdownHook(c, f, shutdown), deadline);
      }
      ByCauseGen byCause = (ByCauseGen) policy;
      RecoveryPolicy.ByCause<Ctx> built = RecoveryPolicy.byCause();
      if (byCause.onBoom() != null) {
        built = built.on(Boom.class, policy(byCause.onBoom()));
      }
      if (byCause.onExpected() != null) {
        built = built.on(Expected.class, policy(byCause.onExpected()));
      }
      if (byCause.onStepLimit() != null) {
        built = built.on(StepLimitException.class, policy(byCause.onStepLimit()));
      }
      return built.otherwise(policy(byCause.otherwise()));
    }
  }

  // ------------------------------------------------------------------ per machine, per incarnation

  /** What the test knows about one machine across its incarnations. */
  final class Harness implements MachineListener<Ctx> {
    final int index;
    final String id;
    final Def def;
    final Observation observation;
    Machine<Ctx> machine;
    Ctx current;
    final int[] siteCalls;
    final int[] guardUses;
    final boolean[] toggles;
    int extrasUsed;
    /** Step-limit faults seen by the recovery hooks, which end the endless eventless chains. */
    int stepLimitFaults;
    final Set<Throwable> thrown = identitySet();
    final Set<Throwable> handled = identitySet();
    /** Throwables of expected-error guards, and the throwable each was thrown while handling. */
    final Map<Throwable, Throwable> guardThrows = new IdentityHashMap<>();
    final List<Failure> resetFailures = new ArrayList<>();
    final List<Failure> listenerResets = new ArrayList<>();
    final List<Failure> shutdownFailures = new ArrayList<>();
    final List<Object> refusedSends = new ArrayList<>();
    CompletableFuture<Void> pendingShutdown;
    /** The throwable a shutdown stage failed with, if it did. */
    Throwable shutdownStageError;
    int completions;
    Throwable completedWith;
    int terminations;
    StateSnapshot terminatedWith;

    Harness(int index, Def def, Observation observation) {
      this.index = index;
      this.id = "m" + index;
      this.def = def;
      this.observation = observation;
      this.siteCalls = new int[def.sites.size()];
      this.guardUses = new int[def.transitions.size()];
      this.toggles = new boolean[def.transitions.size()];
    }

    /** Set by onReset: the next transition heard must be the new incarnation's start. */
    boolean resetHeard;

    @Override
    public void onTransition(Machine<Ctx> m, String from, Object event, String to) {
      onTestThread("onTransition");
      if (terminations > 0) {
        violation(id + ": onTransition " + from + " -> " + to + " after onTerminated");
      }
      if (resetHeard && !(from.isEmpty() && event == LifecycleEvent.START)) {
        strictViolations.add(id + ": after onReset, the listener heard " + from + " -" + event
            + "-> " + to + ", a transition of the failed incarnation");
      }
      resetHeard = false;
      trace.append(id).append(' ').append(from).append(" -").append(event).append("-> ").append(to)
          .append('\n');
    }

    @Override
    public void onReset(Machine<Ctx> m, Failure failure) {
      onTestThread("onReset");
      listenerResets.add(failure);
      resetHeard = true;
      trace.append(id).append(" reset ").append(failure.summary()).append('\n');
    }

    @Override
    public void onTerminated(Machine<Ctx> m, StateSnapshot last) {
      onTestThread("onTerminated");
      terminations++;
      terminatedWith = last;
      trace.append(id).append(" terminated ").append(last).append('\n');
    }

    void completed(Termination<Ctx> termination, Throwable error) {
      onTestThread("whenComplete");
      completions++;
      completedWith = error;
      trace.append(id).append(" completed ").append(error == null ? termination : "exceptionally")
          .append('\n');
    }
  }

  /** The context of one incarnation: the states it has active, as its callbacks saw them. */
  static final class Ctx {
    final Harness harness;
    /** The failure whose reset created this incarnation; null for the first one. */
    final Failure birth;
    final boolean[] active;
    final int[] activation;
    final long[] enteredAt;
    final boolean[] entryIncomplete;
    /** Per delayed transition: the activation of its source in which its timer fired. */
    final int[] firedIn;
    int armed = -1;
    int armedActivation;

    Ctx(Harness harness, Failure birth) {
      this.harness = harness;
      this.birth = birth;
      int states = harness.def.nodes.size();
      this.active = new boolean[states];
      this.activation = new int[states];
      this.enteredAt = new long[states];
      this.entryIncomplete = new boolean[states];
      this.firedIn = new int[harness.def.transitions.size()];
    }
  }

  // ------------------------------------------------------------------ the run

  private final Scenario scenario;
  private final Thread testThread = Thread.currentThread();
  private final StringBuilder trace = new StringBuilder(4096);
  private final List<String> violations = new ArrayList<>();
  private final List<String> strictViolations = new ArrayList<>();
  private final Coverage coverage = new Coverage();
  private final List<Failure> unobserved = new ArrayList<>();
  private final List<Failure> escalated = new ArrayList<>();
  private final List<DeadLetter> deadLetters = new ArrayList<>();
  private final List<Def> defs = new ArrayList<>();
  private final List<Harness> harnesses = new ArrayList<>();
  private Harness resetting;
  private Failure resettingFrom;
  private TestLoop loop;
  private int throwsInjected;
  private int faults;

  StormRun(Scenario scenario) {
    this.scenario = scenario;
  }

  String trace() {
    return trace.toString();
  }

  List<String> violations() {
    return violations;
  }

  /**
   * Violations of two documented rules that the engine is known to break (see
   * {@link FaultStormProperties}): a listener hears of a reset only after the failed incarnation's
   * transitions; a running machine's leaf is atomic and its delayed transitions are armed.
   */
  List<String> strictViolations() {
    return strictViolations;
  }

  Coverage coverage() {
    return coverage;
  }

  /** How often the storm reached the situations the checks are about. */
  static final class Coverage {
    long resets;
    long backoffResets;
    long expectedHandled;
    long timersFired;
    long stepLimitFaults;
    long stopPhaseFaults;
    long unobservedReports;
    long closedWhileWaitingToRestart;
    long closedWhileShuttingDown;
    long completed;

    void add(Coverage other) {
      resets += other.resets;
      backoffResets += other.backoffResets;
      expectedHandled += other.expectedHandled;
      timersFired += other.timersFired;
      stepLimitFaults += other.stepLimitFaults;
      stopPhaseFaults += other.stopPhaseFaults;
      unobservedReports += other.unobservedReports;
      closedWhileWaitingToRestart += other.closedWhileWaitingToRestart;
      closedWhileShuttingDown += other.closedWhileShuttingDown;
      completed += other.completed;
    }

    @Override
    public String toString() {
      return "resets " + resets + " (" + backoffResets + " by a policy with backoff), expected errors handled "
          + expectedHandled + ", delayed transitions fired " + timersFired + ", step-limit faults "
          + stepLimitFaults + ", faults while stopping " + stopPhaseFaults + ", unobserved reports "
          + unobservedReports + ", closed while waiting to restart " + closedWhileWaitingToRestart
          + ", closed while shutting down " + closedWhileShuttingDown + ", completed " + completed;
    }
  }

  int machines() {
    return harnesses.size();
  }

  int throwsInjected() {
    return throwsInjected;
  }

  int faults() {
    return faults;
  }

  StormRun run() {
    Storm.Options options = scenario.options();
    loop = TestLoop.create(LoopOptions.DEFAULTS
        .withMaxMicrosteps(options.maxMicrosteps())
        .withBatchSize(options.batchSize())
        .withTraceLength(options.traceLength())
        .withUnobservedFailureHandler(f -> {
          onTestThread("unobserved-failure handler");
          unobserved.add(f);
          coverage.unobservedReports++;
          trace.append("unobserved ").append(f.summary()).append('\n');
        })
        .withFatalFailureHandler(f -> {
          onTestThread("fatal-failure handler");
          escalated.add(f);
          trace.append("escalated ").append(f.summary()).append('\n');
        })
        .withDeadLetterHandler(d -> {
          onTestThread("dead-letter handler");
          deadLetters.add(d);
          trace.append("dead ").append(d).append('\n');
        }), options.seed());
    try {
      for (int i = 0; i < scenario.definitions().size(); i++) {
        defs.add(new Def(i, scenario.definitions().get(i)));
      }
      for (int i = 0; i < scenario.machines().size(); i++) {
        MachineGen gen = scenario.machines().get(i);
        Harness h = new Harness(i, defs.get(gen.definition() % defs.size()), gen.observation());
        h.current = new Ctx(h, null);
        harnesses.add(h);
      }
      // one task starts them all, so that listeners and dependents are in place before any entry
      loop.execute(() -> {
        for (Harness h : harnesses) {
          h.machine = loop.start(h.def.definition, h.id, h.current);
          if (h.observation.listens()) {
            h.machine.addListener(h);
          }
          if (h.observation.awaits()) {
            h.machine.lifecycle().whenComplete(h::completed);
          }
        }
      });
      checkRunningLeaves();
      for (Op op : scenario.ops()) {
        play(op);
        checkRunningLeaves();
      }
      checkLoopStillWorks();
    } finally {
      loop.close();
    }
    checkAfterClose();
    return this;
  }

  private Harness harness(int machine) {
    return harnesses.get(machine % harnesses.size());
  }

  private void play(Op op) {
    trace.append("op ").append(op).append(" at ").append(loop.elapsed().toNanos()).append('\n');
    if (op instanceof Storm.Send send) {
      send(harness(send.machine()), send.event());
    } else if (op instanceof Storm.Burst burst) {
      Harness h = harness(burst.machine());
      loop.execute(() -> {
        for (int event : burst.events()) {
          send(h, event);
        }
      });
    } else if (op instanceof Storm.Advance advance) {
      loop.advance(Duration.ofMillis(advance.millis()));
    } else if (op instanceof Storm.Stop stop) {
      harness(stop.machine()).machine.stop();
    } else if (op instanceof Storm.FinishShutdown finish) {
      Harness h = harness(finish.machine());
      CompletableFuture<Void> pending = h.pendingShutdown;
      if (pending != null && !pending.isDone()) {
        if (finish.failed()) {
          h.shutdownStageError = new IllegalStateException("goodbye failed late");
          pending.completeExceptionally(h.shutdownStageError);
        } else {
          pending.complete(null);
        }
      }
    }
  }

  private void send(Harness h, int event) {
    Object value = event < EVENTS.length ? EVENTS[event] : "zz";
    if (!h.machine.send(value)) {
      h.refusedSends.add(value);
    }
  }

  /** A running machine's leaf is an atomic state (concepts.md, "States"). */
  private void checkRunningLeaves() {
    for (Harness h : harnesses) {
      StateSnapshot state = h.machine.state();
      if (state.status() == Status.RUNNING) {
        for (Node node : h.def.nodes) {
          if (node.name.equals(state.leaf()) && !node.children.isEmpty()) {
            strictViolations.add(h.id + ": running with the compound state " + node.name
                + " as its leaf (" + state.path() + ")");
          }
        }
      }
    }
  }

  // ------------------------------------------------------------------ callbacks

  private void violation(String what) {
    violations.add(what);
  }

  private void onTestThread(String what) {
    if (Thread.currentThread() != testThread) {
      violation(what + " ran on thread " + Thread.currentThread().getName());
    }
  }

  /** Checks that a callback of {@code c} may run at all now. */
  private void check(Ctx c, String where) {
    onTestThread(where);
    Harness h = c.harness;
    if (c != h.current) {
      violation(h.id + ": " + where + " ran for an incarnation that was replaced");
    }
    if (h.machine == null) {
      violation(h.id + ": " + where + " ran before start returned");
      return;
    }
    if (h.machine.lifecycle().isDone()) {
      violation(h.id + ": " + where + " ran after the machine ended");
    }
    StateSnapshot state = h.machine.state();
    if (state.status() == Status.FAILED && state.failure() != c.birth) {
      violation(h.id + ": " + where + " ran after its incarnation failed (" + state + ")");
    }
  }

  private void maybeThrow(Ctx c, int site, String where) throws Exception {
    Harness h = c.harness;
    int n = h.siteCalls[site]++;
    ThrowPlan plan = h.def.sites.get(site);
    if (plan.isEmpty()) {
      return;
    }
    if (plan.boomAt().contains(n)) {
      Boom boom = new Boom(h.id + " " + where + " #" + n);
      h.thrown.add(boom);
      throwsInjected++;
      throw boom;
    }
    if (plan.expectedAt().contains(n)) {
      Expected expected = new Expected(h.id + " " + where + " #" + n);
      h.thrown.add(expected);
      throwsInjected++;
      throw expected;
    }
  }

  private void entry(Ctx c, Step<Object> step, Node n) throws Exception {
    String where = "entry of " + n.name;
    check(c, where);
    trace.append(c.harness.id).append(" +").append(n.name).append('\n');
    if (c.active[n.index]) {
      violation(c.harness.id + ": " + where + " while it was active");
    }
    if (n.parent >= 0 && !c.active[n.parent]) {
      violation(c.harness.id + ": " + where + " while its parent was inactive");
    }
    for (Node child : n.children) {
      if (c.active[child.index]) {
        violation(c.harness.id + ": " + where + " while its child " + child.name + " was active");
      }
    }
    c.active[n.index] = true;
    c.activation[n.index]++;
    c.enteredAt[n.index] = step.nanoTime();
    c.entryIncomplete[n.index] = true;
    maybeThrow(c, n.entrySite, where);
    c.entryIncomplete[n.index] = false;
  }

  private void exit(Ctx c, Step<Object> step, Node n) throws Exception {
    String where = "exit of " + n.name;
    check(c, where);
    trace.append(c.harness.id).append(" -").append(n.name).append('\n');
    if (!c.active[n.index]) {
      violation(c.harness.id + ": " + where + " while it was not active");
    }
    for (Node child : n.children) {
      if (c.active[child.index]) {
        violation(c.harness.id + ": " + where + " before its child " + child.name);
      }
    }
    if (c.active[n.index]) {
      long stayed = step.nanoTime() - c.enteredAt[n.index];
      for (Trans t : n.after) {
        if (stayed > t.delayNanos && c.firedIn[t.id] != c.activation[n.index]) {
          (c.entryIncomplete[n.index] ? strictViolations : violations).add(c.harness.id + ": "
              + n.name + " stayed " + stayed + " ns but its delayed transition after "
              + t.delayNanos + " ns never fired" + (c.entryIncomplete[n.index]
              ? " (its entry had thrown and a targetless handler kept it)" : ""));
        }
      }
    }
    maybeThrow(c, n.exitSite, where);
    c.active[n.index] = false;
  }

  private boolean guard(Ctx c, Step<?> step, Trans t) throws Exception {
    Harness h = c.harness;
    Node s = t.source;
    String where = "guard of " + s.name + "#" + t.id;
    check(c, where);
    if (!c.active[s.index]) {
      violation(h.id + ": " + where + " ran while " + s.name + " was not active");
    }
    Object event = step.event();
    if (t.kind() == Kind.AFTER) {
      long stayed = step.nanoTime() - c.enteredAt[s.index];
      if (c.entryIncomplete[s.index]) {
        violation(h.id + ": stale timer: " + where + " fired in an activation whose entry"
            + " never finished (no timer was started)");
      }
      if (stayed != t.delayNanos) {
        violation(h.id + ": stale or mistimed timer: " + where + " fired " + stayed
            + " ns after the entry, not " + t.delayNanos);
      }
      if (c.firedIn[t.id] == c.activation[s.index]) {
        violation(h.id + ": " + where + " fired twice in one activation");
      }
      c.firedIn[t.id] = c.activation[s.index];
      coverage.timersFired++;
      if (!(event instanceof Timeout timeout) || !timeout.state().equals(s.name)) {
        violation(h.id + ": " + where + " saw event " + event);
      }
    }
    if (t.kind() == Kind.ERROR && !(event instanceof Expected && h.thrown.contains(event))) {
      violation(h.id + ": " + where + " saw an error it did not throw: " + event);
    }
    try {
      maybeThrow(c, t.guardSite, where);
    } catch (Exception thrown) {
      if (t.kind() == Kind.ERROR) {
        h.guardThrows.put(thrown, (Throwable) event);
      }
      throw thrown;
    }
    boolean holds = switch (t.gen.decision().guard()) {
      case TRUE -> switch (t.kind()) {
        case AFTER -> h.guardUses[t.id]++ < Storm.AFTER_TRUE_BUDGET;
        case ALWAYS -> t.gen.decision().budget() == 1
            ? h.stepLimitFaults < Storm.ENDLESS_CHAINS
            : h.guardUses[t.id]++ < Storm.ALWAYS_TRUE_BUDGET;
        default -> true;
      };
      case BUDGET -> h.guardUses[t.id]++ < t.gen.decision().budget();
      case TOGGLE -> h.toggles[t.id] = !h.toggles[t.id];
      case FALSE -> false;
    };
    trace.append(h.id).append(" ?").append(t.id).append(holds ? "+" : "-").append('\n');
    if (holds) {
      c.armed = t.id;
      c.armedActivation = c.activation[s.index];
      if (t.kind() == Kind.ERROR) {
        h.handled.add((Throwable) event);
      }
    }
    return holds;
  }

  private void action(Ctx c, Step<?> step, Trans t) throws Exception {
    Harness h = c.harness;
    Node s = t.source;
    String where = "action of " + s.name + "#" + t.id;
    check(c, where);
    trace.append(h.id).append(" !").append(t.id).append('\n');
    if (c.armed != t.id) {
      violation(h.id + ": " + where + " ran but its transition was not the one selected"
          + " (armed: " + c.armed + ")");
    } else if (c.armedActivation != c.activation[s.index]) {
      violation(h.id + ": " + where + " ran after " + s.name + " was entered again");
    }
    if (t.target == null && !c.active[s.index]) {
      violation(h.id + ": targetless " + where + " ran while " + s.name + " was not active");
    }
    c.armed = -1;
    maybeThrow(c, t.actionSite, where);
    Storm.Effects effects = t.gen.effects();
    String event = EVENTS[effects.extraEvent()];
    switch (effects.extra()) {
      case NONE -> { }
      case RAISE -> step.raise(event);
      case SEND_SELF -> {
        if (h.extrasUsed++ < EXTRA_BUDGET && !step.machine().send(event)) {
          h.refusedSends.add(event);
        }
      }
      case TIMER -> {
        if (h.extrasUsed++ < EXTRA_BUDGET) {
          step.startTimer(Duration.ofMillis(effects.extraDelayMillis()), event);
        }
      }
      case STOP_SELF -> step.machine().stop();
    }
  }

  private Ctx freshContext() {
    onTestThread("fresh context");
    Harness h = resetting;
    if (h == null) {
      violation("the engine asked for a fresh context without running the reset hook first");
      throw new IllegalStateException("a fresh context was asked for without a reset hook");
    }
    resetting = null;
    Ctx fresh = new Ctx(h, resettingFrom);
    h.current = fresh;
    return fresh;
  }

  private void resetHook(Ctx c, Failure failure) {
    onTestThread("reset hook");
    Harness h = c.harness;
    if (c != h.current) {
      violation(h.id + ": the reset hook got an old incarnation's context");
    }
    h.resetFailures.add(failure);
    if (failure.cause() instanceof StepLimitException) {
      h.stepLimitFaults++;
    }
    if (h.def.gen.recovery() instanceof ResetGen reset && reset.backoffMinMillis() > 0) {
      coverage.backoffResets++;
    }
    resetting = h;
    resettingFrom = failure;
    trace.append(h.id).append(" reset hook ").append(failure.summary()).append('\n');
  }

  private CompletionStage<?> shutdownHook(Ctx c, Failure failure, ShutdownGen shutdown) {
    onTestThread("shutdown hook");
    Harness h = c.harness;
    h.shutdownFailures.add(failure);
    if (failure.cause() instanceof StepLimitException) {
      h.stepLimitFaults++;
    }
    trace.append(h.id).append(" shutdown hook ").append(shutdown.kind()).append('\n');
    return switch (shutdown.kind()) {
      case SYNC, ASYNC_NULL -> null;
      case ASYNC_DONE -> CompletableFuture.completedFuture(null);
      case ASYNC_FAILED -> CompletableFuture.failedFuture(
          h.shutdownStageError = new IllegalStateException("no goodbye"));
      case ASYNC_PENDING -> h.pendingShutdown = new CompletableFuture<>();
    };
  }

  // ------------------------------------------------------------------ the checks

  private static final MachineDefinition<Object> FRESH = Stator.<String, Object>machine("fresh")
      .initial("A")
      .state("A", s -> s.on("ping").goTo("B"))
      .state("B")
      .build();

  private void checkLoopStillWorks() {
    if (loop.isClosed()) {
      violation("the loop closed itself during the storm");
      return;
    }
    Machine<Object> fresh = loop.start(FRESH, "fresh", new Object());
    fresh.send("ping");
    if (!fresh.state().path().equals("B") || fresh.state().status() != Status.RUNNING) {
      violation("a machine started after the storm did not process its event: " + fresh.state());
    }
  }

  private void checkAfterClose() {
    if (loop.liveMachines() != 0) {
      violation("after close, liveMachines() = " + loop.liveMachines());
    }
    if (loop.pendingTimers() != 0) {
      violation("after close, pendingTimers() = " + loop.pendingTimers());
    }
    Map<String, List<Failure>> finals = new java.util.HashMap<>();
    for (Failure f : loop.failures()) {
      finals.computeIfAbsent(f.machineId(), k -> new ArrayList<>()).add(f);
    }
    Map<String, Integer> unobservedById = countById(unobserved);
    Map<String, Integer> escalatedById = countById(escalated);
    for (Failure f : escalated) {
      if (!finals.getOrDefault(f.machineId(), List.of()).contains(f)) {
        violation(f.machineId() + ": escalated a failure that did not end the machine: " + f);
      }
    }
    for (Harness h : harnesses) {
      checkMachine(h, finals.getOrDefault(h.id, List.of()), unobservedById.getOrDefault(h.id, 0),
          escalatedById.getOrDefault(h.id, 0));
    }
    if (unobservedById.containsKey("fresh") || finals.containsKey("fresh")) {
      violation("the fresh machine failed");
    }
  }

  private static Map<String, Integer> countById(List<Failure> failures) {
    Map<String, Integer> counts = new java.util.HashMap<>();
    for (Failure f : failures) {
      counts.merge(f.machineId(), 1, Integer::sum);
    }
    return counts;
  }

  private void checkMachine(Harness h, List<Failure> finals, int unobservedCount,
      int escalatedCount) {
    String id = h.id;
    if (finals.size() > 1) {
      violation(id + ": " + finals.size() + " final failures: " + finals);
    }
    boolean failedForGood = !finals.isEmpty();
    // the lifecycle: done, once, and agreeing with the final snapshot
    if (!h.machine.lifecycle().isDone()) {
      violation(id + ": lifecycle not done after close");
    } else if (h.machine.lifecycle().isCompletedExceptionally() != failedForGood) {
      violation(id + ": lifecycle " + h.machine.lifecycle() + " but final failures " + finals);
    }
    StateSnapshot last = h.machine.state();
    if (!last.isTerminal() || (last.status() == Status.FAILED) != failedForGood) {
      violation(id + ": final snapshot " + last + " but final failures " + finals);
    }
    if (failedForGood && last.failure() != finals.get(0)) {
      violation(id + ": final snapshot's failure is not the final failure");
    }
    if (h.observation.awaits()) {
      if (h.completions != 1) {
        violation(id + ": lifecycle dependents ran " + h.completions + " times");
      } else if ((h.completedWith != null) != failedForGood) {
        violation(id + ": lifecycle completed with " + h.completedWith + " but final failures "
            + finals);
      } else if (failedForGood && !(h.completedWith instanceof MachineFailedException mfe
          && mfe.failure() == finals.get(0))) {
        violation(id + ": lifecycle failed with " + h.completedWith);
      }
    }
    if (h.observation.listens()) {
      if (h.terminations != 1) {
        violation(id + ": onTerminated ran " + h.terminations + " times");
      } else if (h.terminatedWith.status() != last.status()) {
        violation(id + ": onTerminated saw " + h.terminatedWith + ", the end was " + last);
      }
      if (!sameElements(h.listenerResets, h.resetFailures)) {
        violation(id + ": onReset saw " + h.listenerResets.size() + " resets, the policy made "
            + h.resetFailures.size());
      }
    }
    // unobserved failures: reported once exactly when nobody could observe them
    int expectedUnobserved = failedForGood && h.observation == Observation.NONE ? 1 : 0;
    if (unobservedCount != expectedUnobserved) {
      violation(id + " (" + h.observation + "): reported as unobserved " + unobservedCount
          + " times; failed for good: " + failedForGood);
    }
    if (escalatedCount > 1) {
      violation(id + ": escalated " + escalatedCount + " times");
    }
    // faults: one recovery per fault, and exactly the throws nobody handled
    Set<Failure> resets = identitySet();
    for (int i = 0; i < h.resetFailures.size(); i++) {
      Failure f = h.resetFailures.get(i);
      if (!resets.add(f)) {
        violation(id + ": the policy reset one fault twice: " + f);
      }
      if (f.restartCount() != i) {
        violation(id + ": reset " + i + " reports restartCount " + f.restartCount());
      }
    }
    Set<Failure> distinct = identitySet();
    distinct.addAll(h.resetFailures);
    distinct.addAll(finals);
    if (h.shutdownFailures.size() > 1
        || (h.shutdownFailures.size() == 1 && !finals.contains(h.shutdownFailures.get(0)))) {
      violation(id + ": shutdown hooks ran for " + h.shutdownFailures + ", final " + finals);
    }
    for (Failure f : finals) {
      if (resets.contains(f) && f.phase() == Phase.STOP) {
        violation(id + ": a reset fault ended in phase STOP: " + f);
      }
      boolean escalates = escalationExpected(h, f, resets);
      boolean wasEscalated = false;
      for (Failure e : escalated) {
        wasEscalated |= e == f;
      }
      if (escalates != wasEscalated) {
        violation(id + ": the failure " + (wasEscalated ? "was" : "was not")
            + " escalated to the loop, but recovery.md says it " + (escalates ? "is" : "is not")
            + ": " + f + ", suppressed " + List.of(f.cause().getSuppressed()));
      }
    }
    Map<Throwable, Failure> byCause = new IdentityHashMap<>();
    for (Failure f : distinct) {
      Failure earlier = byCause.put(f.cause(), f);
      if (earlier != null) {
        violation(id + ": one throwable made two faults: " + earlier + " / " + f);
      }
    }
    Set<Throwable> unhandled = identitySet();
    unhandled.addAll(h.thrown);
    unhandled.removeAll(h.handled);
    unhandled.removeAll(h.guardThrows.keySet());
    Set<Throwable> ours = identitySet();
    for (Throwable cause : byCause.keySet()) {
      if (h.thrown.contains(cause)) {
        ours.add(cause);
      } else if (!(cause instanceof StepLimitException)
          && !(cause instanceof UnhandledEventException && h.def.gen.faultOnUnhandled())) {
        violation(id + ": a fault with a cause nobody threw: " + cause);
      }
    }
    if (!ours.equals(unhandled)) {
      List<String> missing = new ArrayList<>();
      for (Throwable t : unhandled) {
        if (!ours.contains(t)) {
          missing.add(t.getMessage());
        }
      }
      List<String> extra = new ArrayList<>();
      for (Throwable t : ours) {
        if (!unhandled.contains(t)) {
          extra.add(t.getMessage());
        }
      }
      violation(id + ": unhandled throws without a recovery " + missing
          + "; recoveries of handled throws " + extra);
    }
    for (Map.Entry<Throwable, Throwable> e : h.guardThrows.entrySet()) {
      if (!List.of(e.getValue().getSuppressed()).contains(e.getKey())) {
        violation(id + ": the throw of an expected-error guard was not kept as suppressed");
      }
    }
    for (Object refused : h.refusedSends) {
      boolean lettered = false;
      for (DeadLetter letter : deadLetters) {
        lettered |= letter.event() == refused && letter.machineId().equals(id);
      }
      if (!lettered) {
        violation(id + ": a refused send of " + refused + " never reached the dead letters");
      }
    }
    faults += distinct.size();
    coverage.resets += h.resetFailures.size();
    coverage.expectedHandled += h.handled.size();
    for (Failure f : distinct) {
      if (f.cause() instanceof StepLimitException) {
        coverage.stepLimitFaults++;
      }
      if (f.phase() == Phase.STOP) {
        coverage.stopPhaseFaults++;
      }
    }
    for (Failure f : finals) {
      if (resets.contains(f)) {
        coverage.closedWhileWaitingToRestart++;
      }
      for (Throwable suppressed : f.cause().getSuppressed()) {
        if (suppressed.getMessage() != null
            && suppressed.getMessage().contains("closed before the shutdown hook")) {
          coverage.closedWhileShuttingDown++;
        }
      }
    }
    if (last.status() == Status.COMPLETED) {
      coverage.completed++;
    }
  }

  /**
   * Whether recovery.md says a final failure reaches the fatal-failure handler: not when the
   * machine was stopped or closed while waiting to restart, nor after a shutdown that succeeded or
   * that the loop's close cut short; yes for a fault while stopping, for exit, and for a shutdown
   * whose stage failed or overran its deadline.
   */
  private static boolean escalationExpected(Harness h, Failure f, Set<Failure> resets) {
    if (resets.contains(f)) {
      return false;
    }
    if (f.phase() == Phase.STOP) {
      return true;
    }
    boolean shutDown = false;
    for (Failure s : h.shutdownFailures) {
      shutDown |= s == f;
    }
    if (!shutDown) {
      return true;
    }
    for (Throwable suppressed : f.cause().getSuppressed()) {
      if (suppressed instanceof java.util.concurrent.TimeoutException
          || suppressed == h.shutdownStageError) {
        return true;
      }
    }
    return false;
  }

  private static boolean sameElements(List<Failure> a, List<Failure> b) {
    if (a.size() != b.size()) {
      return false;
    }
    for (int i = 0; i < a.size(); i++) {
      if (a.get(i) != b.get(i)) {
        return false;
      }
    }
    return true;
  }

  private static <T> Set<T> identitySet() {
    return Collections.newSetFromMap(new IdentityHashMap<>());
  }
}
