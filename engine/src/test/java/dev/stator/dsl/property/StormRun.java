package dev.stator.dsl.property;

import dev.stator.ChildTerminated;
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
import dev.stator.dsl.property.Storm.ErrorAt;
import dev.stator.dsl.property.Storm.ErrorKind;
import dev.stator.dsl.property.Storm.ExitGen;
import dev.stator.dsl.property.Storm.Kind;
import dev.stator.dsl.property.Storm.MachineGen;
import dev.stator.dsl.property.Storm.Observation;
import dev.stator.dsl.property.Storm.LinkFault;
import dev.stator.dsl.property.Storm.LinkSite;
import dev.stator.dsl.property.Storm.Misdeed;
import dev.stator.dsl.property.Storm.Op;
import dev.stator.dsl.property.Storm.Outsider;
import dev.stator.dsl.property.Storm.PolicyGen;
import dev.stator.dsl.property.Storm.ResetGen;
import dev.stator.dsl.property.Storm.Scenario;
import dev.stator.dsl.property.Storm.ShutdownGen;
import dev.stator.dsl.property.Storm.StateGen;
import dev.stator.dsl.property.Storm.ThrowPlan;
import dev.stator.dsl.property.Storm.TransitionGen;
import dev.stator.dsl.property.Storm.TreeGen;
import dev.stator.testing.TestLoop;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
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

  /**
   * The {@code VirtualMachineError} the storm throws: an {@code InternalError}, so that the engine
   * takes its fatal path, of a class of its own, so that the checks know it is the storm's.
   */
  static final class Fatal extends InternalError {
    private static final long serialVersionUID = 1L;

    Fatal(String message) {
      super(message);
    }
  }

  private static final String[] EVENTS = {"e0", "e1", "e2", "e3"};
  /** Storm machines started as children in one run, and how deep their tree may grow. */
  private static final int MAX_CHILDREN = 40;
  private static final int MAX_CHILD_DEPTH = 3;
  private static final int SUPERVISOR_EVERY = 1_000;
  private static final int EXTRA_BUDGET = 6;

  // ------------------------------------------------------------------ the compiled scenario

  /** What a node is: a state, a parallel state, or a history pseudo-state. */
  enum NodeKind { STATE, PARALLEL, SHALLOW, DEEP }

  private static final StateGen PSEUDO =
      new StateGen(false, 0, List.of(), ThrowPlan.NONE, ThrowPlan.NONE, List.of(), -1, 0);

  /**
   * A state of a definition, flattened in document order. A history state is a node (transitions
   * may target it) but not among its parent's {@link #children}, and has no callbacks.
   */
  static final class Node {
    final int index;
    final String name;
    final int parent;
    final List<Node> children = new ArrayList<>();
    final StateGen gen;
    final boolean isFinal;
    final NodeKind kind;
    final List<Trans> after = new ArrayList<>();
    /** This compound state's history child, or null. */
    Node history;
    int entrySite = -1;
    int exitSite = -1;

    Node(int index, int parent, StateGen gen, NodeKind kind) {
      this.index = index;
      this.name = "S" + index;
      this.parent = parent;
      this.gen = gen;
      this.isFinal = gen.isFinal();
      this.kind = kind;
    }

    boolean isPseudo() {
      return kind == NodeKind.SHALLOW || kind == NodeKind.DEEP;
    }

    boolean isCompound() {
      return kind == NodeKind.STATE && !children.isEmpty();
    }

    boolean isAtomic() {
      return kind == NodeKind.STATE && children.isEmpty();
    }

    Node initialChild() {
      return children.get(gen.initialChild() % children.size());
    }
  }

  /** A transition with its callback sites. */
  static final class Trans {
    final int id;
    final Node source;
    final TransitionGen gen;
    final Node target;
    /** The second target of a transition into two regions, or null. */
    final Node target2;
    final boolean internal;
    final long delayNanos;
    final int guardSite;
    final int actionSite;

    Trans(int id, Node source, TransitionGen gen, Node target, Node target2, boolean internal,
        int guardSite, int actionSite) {
      this.id = id;
      this.source = source;
      this.gen = gen;
      this.target = target;
      this.target2 = target2;
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
    final Map<String, Node> byName = new java.util.HashMap<>();
    /** Whether it has a parallel state, and history states. */
    final boolean chart;
    boolean hasHistory;
    final MachineDefinition<Ctx> definition;

    Def(int index, DefGen gen) {
      this.index = index;
      this.gen = gen;
      this.chart = gen.chart() != null;
      for (StateGen top : gen.top()) {
        flatten(top, -1, NodeKind.STATE);
      }
      if (chart) {
        flatten(gen.chart().parallel(), -1, NodeKind.PARALLEL);
      }
      for (Node node : nodes) {
        byName.put(node.name, node);
        if (!node.isPseudo()) {
          wire(node);
        }
      }
      if (chart && gen.chart().fork() != null) {
        wireFork(gen.chart().fork());
      }
      if (chart) {
        List<Node> histories = nodes.stream().filter(Node::isPseudo).toList();
        for (Storm.JumpGen jump : gen.chart().jumps()) {
          Node source = nodes.get(jump.source() % nodes.size());
          if (!histories.isEmpty() && !source.isFinal && !source.isPseudo()) {
            TransitionGen t = jump.transition();
            Trans trans = new Trans(transitions.size(), source, t,
                histories.get(jump.history() % histories.size()), null, false,
                site(t.effects().guardThrows()), site(t.effects().actionThrows()));
            transitions.add(trans);
            if (trans.kind() == Kind.AFTER) {
              source.after.add(trans);
            }
          }
        }
      }
      List<Node> tops = topNodes();
      MachineBuilder<String, Ctx> machine = Stator.<String, Ctx>machine("d" + index)
          .initial(tops.get(gen.initial() % tops.size()).name)
          .recovery(policy(gen.recovery()))
          .unhandledEvents(gen.faultOnUnhandled() ? UnhandledEventPolicy.FAULT
              : UnhandledEventPolicy.IGNORE);
      for (Node top : tops) {
        if (top.isFinal) {
          machine.finalState(top.name, s -> s.onEntry((c, step) -> entry(c, step, top)));
        } else if (top.kind == NodeKind.PARALLEL) {
          machine.parallel(top.name, s -> describe(s, top));
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

    private void flatten(StateGen state, int parent, NodeKind kind) {
      Node node = new Node(nodes.size(), parent, state, kind);
      nodes.add(node);
      if (parent >= 0) {
        nodes.get(parent).children.add(node);
      }
      for (StateGen child : state.children()) {
        flatten(child, node.index, NodeKind.STATE);
      }
      if (chart && node.isCompound() && state.history() != 0) {
        node.history = new Node(nodes.size(), node.index, PSEUDO,
            state.history() == 1 ? NodeKind.SHALLOW : NodeKind.DEEP);
        nodes.add(node.history);
        hasHistory = true;
      }
    }

    /** The transition into two regions of the parallel state, from a state that may have one. */
    private void wireFork(Storm.ForkGen fork) {
      Node source = nodes.get(fork.source() % nodes.size());
      if (source.isFinal || source.isPseudo()) {
        return;
      }
      Node parallel = nodes.get(nodes.size() - 1);
      while (parallel.kind != NodeKind.PARALLEL) {
        parallel = nodes.get(parallel.index - 1);
      }
      List<Node> regions = parallel.children;
      Node a = regions.get(fork.region() % regions.size());
      Node b = regions.get((fork.region() + 1) % regions.size());
      TransitionGen t = fork.transition();
      Trans trans = new Trans(transitions.size(), source, t,
          a.children.get(fork.first() % a.children.size()),
          b.children.get(fork.second() % b.children.size()), false,
          site(t.effects().guardThrows()), site(t.effects().actionThrows()));
      transitions.add(trans);
      if (trans.kind() == Kind.AFTER) {
        source.after.add(trans);
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
        boolean internal = t.shape().internal() && targetNode != null && !targetNode.isPseudo()
            && isDescendant(targetNode, node) && t.shape().kind() != Kind.ERROR;
        Trans trans = new Trans(transitions.size(), node, t, targetNode, null, internal,
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
            case ERROR -> {
              if (t.gen.shape().event() == 4) {
                finish(s.onError(Throwable.class), t);
              } else {
                finish(s.onError(Expected.class), t);
              }
            }
            case CHILD -> finish(s.on(ChildTerminated.class), t);
          }
        }
      }
      if (!node.children.isEmpty()) {
        if (node.kind != NodeKind.PARALLEL) {
          s.initial(node.initialChild().name);
        }
        for (Node child : node.children) {
          if (child.isFinal) {
            // its exit is tracked too: a region's final child stays active until something exits
            // it, and while it is active its parent has a child for its history to remember
            s.finalState(child.name, f -> f.onEntry((c, step) -> finalEntry(c, child))
                .onExit((c, step) -> finalExit(c, child)));
          } else {
            s.state(child.name, c -> describe(c, child));
          }
        }
        if (node.history != null) {
          if (node.history.kind == NodeKind.SHALLOW) {
            s.history(node.history.name);
          } else {
            s.deepHistory(node.history.name);
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
      } else if (t.target2 != null) {
        builder.goTo(t.target.name, t.target2.name);
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
    /** The machine's id: {@code m<index>} for the storm's own, the engine's for a child. */
    String id;
    /** The machine's parent and the parent's incarnation that started it; null at top level. */
    Harness parent;
    Ctx spawner;
    int depth;
    /** Every child it started, across incarnations. */
    final List<Harness> children = new ArrayList<>();
    /** For a child: whether its parent's incarnation that started it was still alive at its end. */
    boolean parentAliveAtEnd;
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
      afterFatal(id, "listener onTransition");
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
      misbehave(Outsider.ON_TRANSITION);
    }

    @Override
    public void onReset(Machine<Ctx> m, Failure failure) {
      onTestThread("onReset");
      afterFatal(id, "listener onReset");
      listenerResets.add(failure);
      resetHeard = true;
      trace.append(id).append(" reset ").append(failure.summary()).append('\n');
      misbehave(Outsider.ON_RESET);
    }

    @Override
    public void onTerminated(Machine<Ctx> m, StateSnapshot last) {
      onTestThread("onTerminated");
      afterFatal(id, "listener onTerminated");
      terminations++;
      terminatedWith = last;
      trace.append(id).append(" terminated ").append(last).append('\n');
      childrenEndedFirst(this, "onTerminated");
      misbehave(Outsider.ON_TERMINATED);
    }

    void completed(Termination<Ctx> termination, Throwable error) {
      onTestThread("whenComplete");
      completions++;
      completedWith = error;
      trace.append(id).append(" completed ").append(error == null ? termination : "exceptionally")
          .append('\n');
      if (parent != null) {
        parentAliveAtEnd = !parent.machine.lifecycle().isDone() && parent.current == spawner
            && parent.machine.state().status() == Status.RUNNING;
      }
      childrenEndedFirst(this, "its lifecycle completing");
      misbehave(Outsider.DEPENDENT);
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
    /**
     * Per transition: the activation of its source in which its guard held, 0 when it is not
     * selected. With regions several transitions are selected for one event, each guard before any
     * action.
     */
    final int[] armedIn;
    /** Per compound state: its child entered last (its active child while it is active), or -1. */
    final int[] lastChild;
    /**
     * Per compound state with a history child: {@link #lastChild} as it was when it was last
     * exited (what its history remembers), or null when it was not exited in this incarnation.
     */
    final int[][] memory;
    /**
     * Per compound state: the child that the entries under way must enter, because a transition
     * targeted a history state (what it remembers, or the default), or -1.
     */
    final int[] expect;
    boolean expecting;
    /** The children this incarnation started. */
    final List<Harness> children = new ArrayList<>(0);

    Ctx(Harness harness, Failure birth) {
      this.harness = harness;
      this.birth = birth;
      int states = harness.def.nodes.size();
      this.active = new boolean[states];
      this.activation = new int[states];
      this.enteredAt = new long[states];
      this.entryIncomplete = new boolean[states];
      this.firedIn = new int[harness.def.transitions.size()];
      this.armedIn = new int[harness.def.transitions.size()];
      this.lastChild = new int[states];
      this.memory = new int[states][];
      this.expect = new int[states];
      java.util.Arrays.fill(lastChild, -1);
      java.util.Arrays.fill(expect, -1);
    }
  }

  // ------------------------------------------------------------------ the run

  private final Scenario scenario;
  private final Thread testThread = Thread.currentThread();
  private final Trace trace = new Trace();
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
  /** Errors thrown, by kind: by callbacks, by the supervision tree, by listeners and handlers. */
  private final Map<ErrorKind, Integer> errorsInjected = new EnumMap<>(ErrorKind.class);
  /** Throws, errors and interrupt flags left by code that is not a machine's step. */
  private int outsiderMisdeeds;
  private final int[] outsiderCalls = new int[Outsider.values().length];
  /**
   * Set when the storm throws its {@link Fatal} where the engine must take the fatal path: from
   * then on no user code but lifecycle dependents and the loop's handlers may run.
   */
  private boolean fatalThrown;
  private boolean fatalTaken;
  private int childrenStarted;
  // the supervision tree
  private TreeGen tree;
  private MachineDefinition<LinkCtx> linkDefinition;
  private final List<LinkRec> links = new ArrayList<>();
  /** The latest link at each level of the chain, which the script pokes and stops. */
  private LinkRec[] chain;
  private boolean[] linkFaultFired;
  private int linkCap;
  private int deepestLink = -1;
  private LinkRec linkResetting;

  StormRun(Scenario scenario) {
    this.scenario = scenario;
  }

  String trace() {
    return trace.toString();
  }

  /**
   * What a run did, for the replay check: its first {@value #KEPT} characters kept verbatim, to
   * show where two runs part, and everything folded into a digest, so that a storm of any length
   * holds bounded memory (a deep supervision chain once made the whole text outgrow the heap).
   */
  static final class Trace {
    static final int KEPT = 1 << 20;
    private final StringBuilder head = new StringBuilder(4096);
    private long digest = 17;
    private long length;

    Trace append(String text) {
      digest = 31 * digest + text.hashCode();
      length += text.length();
      if (head.length() < KEPT) {
        head.append(text);
      }
      return this;
    }

    Trace append(Object value) {
      return append(String.valueOf(value));
    }

    Trace append(char c) {
      return append(String.valueOf(c));
    }

    Trace append(long n) {
      return append(Long.toString(n));
    }

    /** The kept text, then the digest and the length of the whole. */
    @Override
    public String toString() {
      return head + "\n[" + length + " characters in all, digest " + Long.toHexString(digest) + "]";
    }
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
    long childFailures;
    long fatalPaths;
    long linkResets;
    long linkChildFailuresTaken;
    long fatalEscapedToCaller;
    long chartMachines;
    long halfEnteredFaults;
    long historyMachines;
    long historyAfterError;
    long severalLeavesSeen;
    long twoTargetsTaken;
    long historyRestores;
    long historyDefaults;
    long historyDefaultsAfterReset;
    long faultsWithSeveralLeaves;
    long resetsWithSeveralLeaves;

    void add(Coverage other) {
      chartMachines += other.chartMachines;
      halfEnteredFaults += other.halfEnteredFaults;
      historyMachines += other.historyMachines;
      historyAfterError += other.historyAfterError;
      severalLeavesSeen += other.severalLeavesSeen;
      twoTargetsTaken += other.twoTargetsTaken;
      historyRestores += other.historyRestores;
      historyDefaults += other.historyDefaults;
      historyDefaultsAfterReset += other.historyDefaultsAfterReset;
      faultsWithSeveralLeaves += other.faultsWithSeveralLeaves;
      resetsWithSeveralLeaves += other.resetsWithSeveralLeaves;
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
      childFailures += other.childFailures;
      fatalPaths += other.fatalPaths;
      linkResets += other.linkResets;
      linkChildFailuresTaken += other.linkChildFailuresTaken;
      fatalEscapedToCaller += other.fatalEscapedToCaller;
    }

    @Override
    public String toString() {
      return "resets " + resets + " (" + backoffResets + " by a policy with backoff), expected errors handled "
          + expectedHandled + ", delayed transitions fired " + timersFired + ", step-limit faults "
          + stepLimitFaults + ", faults while stopping " + stopPhaseFaults + ", unobserved reports "
          + unobservedReports + ", closed while waiting to restart " + closedWhileWaitingToRestart
          + ", closed while shutting down " + closedWhileShuttingDown + ", completed " + completed
          + ", children failed for good " + childFailures + ", supervision-tree resets "
          + linkResets + ", failed links taken by their parent " + linkChildFailuresTaken
          + ", fatal paths taken " + fatalPaths + " (of which the error went on up to the"
          + " test's own send or stop " + fatalEscapedToCaller + "); machines with a parallel"
          + " state " + chartMachines + " (with history states " + historyMachines + "), running"
          + " snapshots with several active leaves " + severalLeavesSeen + ", two-target"
          + " transitions taken " + twoTargetsTaken + ", transitions to history restoring "
          + historyRestores + " and entering the default " + historyDefaults + " (in an"
          + " incarnation born of a reset " + historyDefaultsAfterReset + "), faults with several"
          + " active leaves " + faultsWithSeveralLeaves + " (reset " + resetsWithSeveralLeaves
          + "), faults of an expected-error transition that left regions half entered "
          + halfEnteredFaults + ", history entries checked in a machine that had handled an"
          + " expected error " + historyAfterError;
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

  Map<ErrorKind, Integer> errorsInjected() {
    return errorsInjected;
  }

  int outsiderMisdeeds() {
    return outsiderMisdeeds;
  }

  boolean fatalTaken() {
    return fatalTaken;
  }

  int childrenStarted() {
    return childrenStarted;
  }

  int linksStarted() {
    return links.size();
  }

  /** The deepest level of the supervision tree whose entry ran (the root is level 0), or -1. */
  int deepestLink() {
    return deepestLink;
  }

  StormRun run() {
    Storm.Options options = scenario.options();
    loop = TestLoop.create(LoopOptions.DEFAULTS
        .withMaxMicrosteps(options.maxMicrosteps())
        .withBatchSize(options.batchSize())
        .withTraceLength(options.traceLength())
        .withUnobservedFailureHandler(f -> {
          onTestThread("unobserved-failure handler");
          afterFatal("the unobserved-failure handler");
          unobserved.add(f);
          coverage.unobservedReports++;
          trace.append("unobserved ").append(f.summary()).append('\n');
          misbehave(Outsider.UNOBSERVED);
        })
        .withFatalFailureHandler(f -> {
          onTestThread("fatal-failure handler");
          escalated.add(f);
          trace.append("escalated ").append(f.summary()).append('\n');
          misbehave(Outsider.FATAL_HANDLER);
        })
        .withDeadLetterHandler(d -> {
          // recovery.md: the fatal path hands what was queued to the dead-letter handler
          onTestThread("dead-letter handler");
          deadLetters.add(d);
          trace.append("dead ").append(d).append('\n');
          misbehave(Outsider.DEAD_LETTER);
        }), options.seed());
    try {
      if (!scenario.trees().isEmpty()) {
        buildTree(scenario.trees().get(0));
      }
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
        if (tree != null) {
          LinkRec root = new LinkRec(0, null, false);
          root.machine = loop.start(linkDefinition, "link", new LinkCtx(root));
          watch(root);
        }
      });
      checkInterruptCleared("starting the machines");
      checkRunningLeaves();
      for (Op op : scenario.ops()) {
        if (loop.isClosed()) {
          break;
        }
        try {
          play(op);
        } catch (Fatal escaped) {
          // a handler's VirtualMachineError goes on up to the test's own call (send, stop) on the
          // test loop, once the loop took its fatal path, which is checked after close
          coverage.fatalEscapedToCaller++;
          trace.append("escaped ").append(escaped.getMessage()).append('\n');
        }
        checkInterruptCleared("op " + op);
        checkRunningLeaves();
      }
      if (!fatalThrown) {
        checkLoopStillWorks();
      }
    } finally {
      try {
        loop.close();
      } catch (Fatal escaped) {
        violation("a VirtualMachineError escaped close(); the loop's close takes the fatal path: "
            + escaped.getMessage());
      }
      // the test loop runs on the test thread: nothing of this try may reach the next one
      if (Thread.interrupted()) {
        violation("the interrupt flag was set on the test thread after close");
      }
    }
    fatalTaken = escalated.stream().anyMatch(f -> f.cause() instanceof Fatal);
    if (fatalTaken) {
      checkFatalPath();
    } else {
      if (fatalThrown) {
        violation("a VirtualMachineError was thrown where the fatal path must follow, but the"
            + " fatal-failure handler never heard of it");
      }
      checkAfterClose();
      checkTree();
    }
    return this;
  }

  /** The engine clears a flag that code it ran left set, so the test thread never sees one. */
  private void checkInterruptCleared(String after) {
    if (Thread.interrupted()) {
      violation("the interrupt flag was still set after " + after);
    }
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
    } else if (op instanceof Storm.Task task) {
      loop.execute(() -> {
        afterFatal("a task");
        trace.append("task ").append(task.misdeed()).append('\n');
        if (task.misdeed() != null) {
          misbehave("task", task.misdeed(), true);
        }
      });
    } else if (op instanceof Storm.Poke poke) {
      LinkRec link = linkAt(poke.permille());
      if (link != null) {
        link.machine.send("poke");
      }
    } else if (op instanceof Storm.StopLink stop) {
      LinkRec link = linkAt(stop.permille());
      if (link != null) {
        link.machine.stop();
      }
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

  /**
   * A running machine's active leaves are atomic states (concepts.md, "States"), one in each
   * region of an active parallel state, each one active as its callbacks saw it, and the delayed
   * transitions of every active leaf and its ancestors are armed: none is overdue.
   */
  private void checkRunningLeaves() {
    long now = loop.elapsed().toNanos();
    for (Harness h : harnesses) {
      StateSnapshot state = h.machine.state();
      if (state.status() != Status.RUNNING) {
        continue;
      }
      Ctx c = h.current;
      List<String> leaves = state.activeStates();
      if (leaves.size() > 1) {
        coverage.severalLeavesSeen++;
      }
      Set<Node> seen = identitySet();
      for (String path : leaves) {
        Node node = h.def.byName.get(path.substring(path.lastIndexOf('/') + 1));
        if (node == null || !node.isAtomic()) {
          strictViolations.add(h.id + ": running with " + path + " as an active leaf, which is"
              + " not an atomic state (" + state.path() + ")");
          continue;
        }
        for (Node at = node; at != null; at = at.parent < 0 ? null : h.def.nodes.get(at.parent)) {
          if (!seen.add(at)) {
            break;
          }
          if (!at.isFinal && !c.active[at.index]) {
            model(c, h.id + ": the snapshot has " + path + " active, but " + at.name
                + " was not entered (or was exited) as its callbacks saw it");
            continue;
          }
          if (at.kind == NodeKind.PARALLEL) {
            for (Node region : at.children) {
              if (!leaves.stream().anyMatch(l -> l.contains(region.name + "/"))) {
                strictViolations.add(h.id + ": " + at.name + " is active but its region "
                    + region.name + " has no active leaf (" + state.path() + ")");
              }
            }
          }
          for (Trans t : at.after) {
            if (!at.isFinal && !c.entryIncomplete[at.index]
                && now - c.enteredAt[at.index] > t.delayNanos
                && c.firedIn[t.id] != c.activation[at.index]) {
              strictViolations.add(h.id + ": " + at.name + " has been active "
                  + (now - c.enteredAt[at.index]) + " ns, but its delayed transition after "
                  + t.delayNanos + " ns has not fired (" + state.path() + ")");
            }
          }
        }
      }
    }
  }

  // ------------------------------------------------------------------ callbacks

  private void violation(String what) {
    violations.add(what);
  }

  /** A violation found against the configuration the callbacks saw. */
  private void model(Ctx c, String what) {
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
    afterFatal(h.id, where);
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
    for (ErrorAt e : plan.errorAt()) {
      if (e.at() == n) {
        Error error = error(e.kind(), h.id + " " + where + " #" + n);
        h.thrown.add(error);
        throwsInjected++;
        throw error;
      }
    }
  }

  /** Makes (and counts) the error a callback throws; a {@link Fatal} marks the fatal path. */
  private Error error(ErrorKind kind, String message) {
    errorsInjected.merge(kind, 1, Integer::sum);
    return switch (kind) {
      case ASSERTION -> new AssertionError(message);
      // made, not provoked: a real overflow would cost the run its time, and the engine sees the same
      case STACK_OVERFLOW -> new StackOverflowError(message);
      case LINKAGE -> new LinkageError(message);
      case NO_CLASS_DEF -> new NoClassDefFoundError(message);
      case INTERNAL -> {
        fatalThrown = true;
        yield new Fatal(message);
      }
    };
  }

  /** Code that is not a machine's step misbehaving at its planned call, if any. */
  private void misbehave(Outsider who) {
    int n = outsiderCalls[who.ordinal()]++;
    for (Storm.Callout callout : scenario.callouts()) {
      if (callout.who() == who && callout.at() == n) {
        // a dependent's throwable stays in the dependent's own future: it reaches no machine
        misbehave(who + " #" + n, callout.misdeed(), who != Outsider.DEPENDENT);
      }
    }
  }

  private void misbehave(String who, Misdeed misdeed, boolean fatalIfInternal) {
    outsiderMisdeeds++;
    trace.append("misdeed of ").append(who).append(": ").append(misdeed).append('\n');
    switch (misdeed) {
      case BOOM -> throw new Boom(who);
      case ASSERTION -> throw error(ErrorKind.ASSERTION, who);
      case STACK_OVERFLOW -> throw error(ErrorKind.STACK_OVERFLOW, who);
      case NO_CLASS_DEF -> throw error(ErrorKind.NO_CLASS_DEF, who);
      case INTERRUPT -> Thread.currentThread().interrupt();
      case INTERNAL -> {
        boolean already = fatalThrown;
        Error fatal = error(ErrorKind.INTERNAL, who);
        fatalThrown = already || fatalIfInternal;
        throw fatal;
      }
    }
  }

  /** After the storm threw its fatal error, no user code of any machine may run. */
  private void afterFatal(String who) {
    afterFatal(who, "");
  }

  /** The same, naming the code only when it has to: this runs for every callback. */
  private void afterFatal(String who, String what) {
    if (fatalThrown) {
      violation(who + (what.isEmpty() ? "" : ": " + what)
          + " ran after a VirtualMachineError started the fatal path");
    }
  }

  /**
   * A machine ends only after its children (recovery.md, "Supervision": a parent's end stops its
   * children first), unless a child was in a shutdown, which a stop does not cut short.
   */
  private void childrenEndedFirst(Harness h, String when) {
    if (fatalThrown) {
      return;
    }
    for (Harness child : h.children) {
      if (!child.machine.lifecycle().isDone() && child.shutdownFailures.isEmpty()) {
        violation(h.id + ": " + when + " came while its child " + child.id + " was "
            + child.machine.state());
      } else if (child.observation.listens() && child.terminations == 0
          && child.shutdownFailures.isEmpty()) {
        violation(h.id + ": " + when + " came before its child " + child.id + "'s onTerminated");
      }
    }
  }

  /** Starts a storm machine as a child, within the run's bounds. */
  private void spawn(Ctx c, Step<?> step, int definition) {
    Harness parent = c.harness;
    if (parent.depth >= MAX_CHILD_DEPTH || childrenStarted >= MAX_CHILDREN) {
      return;
    }
    childrenStarted++;
    Def def = defs.get(definition % defs.size());
    Harness child = new Harness(harnesses.size(), def,
        childrenStarted % 2 == 0 ? Observation.LISTENER_AND_FUTURE : Observation.FUTURE);
    child.parent = parent;
    child.spawner = c;
    child.depth = parent.depth + 1;
    child.current = new Ctx(child, null);
    harnesses.add(child);
    child.machine = step.startChild(def.definition, child.current);
    child.id = child.machine.id();
    parent.children.add(child);
    c.children.add(child);
    // before its START runs: the child's first step is queued, not run, by startChild
    if (child.observation.listens()) {
      child.machine.addListener(child);
    }
    child.machine.lifecycle().whenComplete(child::completed);
    trace.append(parent.id).append(" started ").append(child.id).append('\n');
  }

  private void entry(Ctx c, Step<Object> step, Node n) throws Exception {
    String where = "entry of " + n.name;
    check(c, where);
    trace.append(c.harness.id).append(" +").append(n.name).append('\n');
    if (c.active[n.index]) {
      model(c, c.harness.id + ": " + where + " while it was active");
    }
    if (n.parent >= 0 && !c.active[n.parent]) {
      model(c, c.harness.id + ": " + where + " while its parent was inactive");
    }
    for (Node child : n.children) {
      if (c.active[child.index]) {
        model(c, c.harness.id + ": " + where + " while its child " + child.name + " was active");
      }
    }
    entered(c, n);
    c.active[n.index] = true;
    c.activation[n.index]++;
    c.enteredAt[n.index] = step.nanoTime();
    c.entryIncomplete[n.index] = true;
    if (n.gen.spawn() >= 0) {
      spawn(c, step, n.gen.spawn());
    }
    maybeThrow(c, n.entrySite, where);
    c.entryIncomplete[n.index] = false;
  }

  /**
   * A nested final state's entry, which throws nothing: it only keeps the test's view of the
   * configuration, which history states remember, up to date.
   */
  private void finalEntry(Ctx c, Node n) {
    check(c, "entry of the final " + n.name);
    entered(c, n);
    c.active[n.index] = true;
  }

  /** A final child of a compound state is exited: its parent no longer has it active. */
  private void finalExit(Ctx c, Node n) {
    check(c, "exit of the final " + n.name);
    c.active[n.index] = false;
  }

  /**
   * Notes that {@code n} is entered: its parent's active child, which must be the one a history
   * state restores (what it remembers, or its default) when a transition to it is under way.
   */
  private void entered(Ctx c, Node n) {
    // none of its children entered yet in this activation
    c.lastChild[n.index] = -1;
    if (n.parent < 0) {
      return;
    }
    c.lastChild[n.parent] = n.index;
    if (c.expecting && c.expect[n.parent] >= 0) {
      int expected = c.expect[n.parent];
      c.expect[n.parent] = -1;
      if (!c.harness.handled.isEmpty()) {
        coverage.historyAfterError++;
      }
      if (expected != n.index) {
        Node parent = c.harness.def.nodes.get(n.parent);
        model(c, c.harness.id + ": a transition to the history of " + parent.name
            + " entered " + n.name + ", not " + c.harness.def.nodes.get(expected).name + " ("
            + (c.memory[n.parent] == null && c.birth != null
                ? "its default: nothing was remembered since the reset"
                : c.memory[n.parent] == null ? "its default" : "what it remembered") + ")");
      }
    }
  }

  /**
   * A transition targets a history state: notes which children the entries must take
   * (concepts.md, "The statechart step": history states enter what they remember, else their
   * default, the parent's initial child; a reset forgets, RELIABILITY 35).
   */
  private void expectHistory(Ctx c, Node history) {
    Node parent = c.harness.def.nodes.get(history.parent);
    int[] remembered = c.memory[parent.index];
    if (remembered == null) {
      coverage.historyDefaults++;
      if (c.birth != null) {
        coverage.historyDefaultsAfterReset++;
      }
      c.expect[parent.index] = parent.initialChild().index;
    } else {
      coverage.historyRestores++;
      List<Node> nodes = c.harness.def.nodes;
      for (Node at = parent; at != null && at.isCompound(); ) {
        int child = remembered[at.index];
        if (child < 0) {
          break;
        }
        c.expect[at.index] = child;
        at = history.kind == NodeKind.DEEP ? nodes.get(child) : null;
      }
    }
    c.expecting = true;
  }

  private void exit(Ctx c, Step<Object> step, Node n) throws Exception {
    String where = "exit of " + n.name;
    check(c, where);
    if (n.history != null) {
      // recorded before any exit runs: the children's exits have not changed lastChild; a state
      // left before any child was entered (an expected error in its entry) keeps what it
      // remembered (docs/concepts.md)
      if (c.lastChild[n.index] >= 0) {
        c.memory[n.index] = c.lastChild.clone();
      }
    }
    trace.append(c.harness.id).append(" -").append(n.name).append('\n');
    if (!c.active[n.index]) {
      model(c, c.harness.id + ": " + where + " while it was not active");
    }
    for (Node child : n.children) {
      if (c.active[child.index]) {
        model(c, c.harness.id + ": " + where + " before its child " + child.name);
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
    if (c.expecting) {
      // the entries of the transition to a history state are over
      c.expecting = false;
      java.util.Arrays.fill(c.expect, -1);
    }
    if (!c.active[s.index]) {
      model(c, h.id + ": " + where + " ran while " + s.name + " was not active");
    }
    Object event = step.event();
    if (t.kind() == Kind.AFTER) {
      long stayed = step.nanoTime() - c.enteredAt[s.index];
      if (c.entryIncomplete[s.index]) {
        model(c, h.id + ": stale timer: " + where + " fired in an activation whose entry"
            + " never finished (no timer was started)");
      }
      if (stayed != t.delayNanos) {
        model(c, h.id + ": stale or mistimed timer: " + where + " fired " + stayed
            + " ns after the entry, not " + t.delayNanos);
      }
      if (c.firedIn[t.id] == c.activation[s.index]) {
        model(c, h.id + ": " + where + " fired twice in one activation");
      }
      c.firedIn[t.id] = c.activation[s.index];
      coverage.timersFired++;
      if (!(event instanceof Timeout timeout) || !timeout.state().equals(s.name)) {
        model(c, h.id + ": " + where + " saw event " + event);
      }
    }
    if (t.kind() == Kind.ERROR) {
      // recovery.md: Errors, StepLimitException and UnhandledEventException are never expected;
      // a catch-all handler may take a failed child's MachineFailedException
      boolean ours = (event instanceof Expected || event instanceof Boom) && h.thrown.contains(event);
      boolean child = event instanceof MachineFailedException mfe && isChildFailure(h, mfe);
      // the engine's own IllegalStateException of a half-entered configuration (halfEntered) is an
      // exception like any other for a catch-all handler
      boolean half = h.def.chart && event instanceof IllegalStateException ise
          && (String.valueOf(ise.getMessage()).startsWith("after an expected-error transition,")
              || "timer is already scheduled".equals(ise.getMessage()));
      if (!(ours && (event instanceof Expected || t.gen.shape().event() == 4))
          && !((child || half) && t.gen.shape().event() == 4)) {
        model(c, h.id + ": " + where + " was offered " + event);
      }
    }
    if (t.kind() == Kind.CHILD && !(event instanceof ChildTerminated ended
        && isChild(h, ended.childId()))) {
      model(c, h.id + ": " + where + " saw " + event + ", not the end of one of its children");
    }
    try {
      maybeThrow(c, t.guardSite, where);
    } catch (Throwable thrown) {
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
      c.armedIn[t.id] = c.activation[s.index];
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
    if (c.armedIn[t.id] == 0) {
      model(c, h.id + ": " + where + " ran but its transition was not selected");
    } else if (c.armedIn[t.id] != c.activation[s.index]) {
      model(c, h.id + ": " + where + " ran after " + s.name + " was entered again");
    }
    if (t.target == null && !c.active[s.index] && !h.def.chart) {
      // with regions, another transition selected for the same event may have exited the source:
      // a targetless transition exits nothing, so it conflicts with none (SCXML, Appendix D)
      model(c, h.id + ": targetless " + where + " ran while " + s.name + " was not active");
    }
    c.armedIn[t.id] = 0;
    if (t.target2 != null) {
      coverage.twoTargetsTaken++;
    }
    if (t.target != null && t.target.isPseudo()) {
      expectHistory(c, t.target);
    }
    forgetLeftChildren(c);
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
      case SPAWN -> spawn(c, step, effects.extraEvent());
    }
  }

  /**
   * The exits of the step are over when its transition actions run: a compound state they left
   * with no active child has no child to remember until one is entered, so that an expected error
   * thrown now leaves its history with what it remembered before (the engine records history from
   * the active states, docs/concepts.md).
   */
  private static void forgetLeftChildren(Ctx c) {
    for (Node n : c.harness.def.nodes) {
      if (n.isCompound() && c.active[n.index] && c.lastChild[n.index] >= 0
          && !c.active[c.lastChild[n.index]]) {
        c.lastChild[n.index] = -1;
      }
    }
  }

  private static boolean isChild(Harness h, String id) {
    for (Harness child : h.children) {
      if (child.id.equals(id)) {
        return true;
      }
    }
    return false;
  }

  private static boolean isChildFailure(Harness h, MachineFailedException mfe) {
    return isChild(h, mfe.failure().machineId());
  }

  private Ctx freshContext() {
    onTestThread("fresh context");
    afterFatal("a fresh-context supplier");
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
    afterFatal(h.id, "the reset hook");
    // recovery.md: a fault stops the children before the policy runs
    for (Harness child : c.children) {
      if (!child.machine.lifecycle().isDone() && child.shutdownFailures.isEmpty()) {
        violation(h.id + ": reset while its child " + child.id + " was " + child.machine.state());
      }
    }
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
    afterFatal(h.id, "the shutdown hook");
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

  // ------------------------------------------------------------------ the supervision tree

  /** What the test knows about one link of the supervision tree, across its incarnations. */
  final class LinkRec implements MachineListener<LinkCtx> {
    final int level;
    final LinkRec parent;
    /** A leaf of a wide link: starts no child of its own. */
    final boolean leaf;
    Machine<LinkCtx> machine;
    /** The children of the current incarnation. */
    final List<LinkRec> children = new ArrayList<>(1);
    boolean ended;
    int completions;
    int terminations;

    private final String id;

    LinkRec(int level, LinkRec parent, boolean leaf) {
      this.level = level;
      this.parent = parent;
      this.leaf = leaf;
      this.id = (leaf ? "leaf" : "L") + level;
    }

    String id() {
      return id;
    }

    // the future completes before the listeners hear of the last transition (recovery.md): a
    // listener is late only after onTerminated
    @Override
    public void onTransition(Machine<LinkCtx> m, String from, Object event, String to) {
      listenerCall("onTransition");
    }

    @Override
    public void onReset(Machine<LinkCtx> m, Failure failure) {
      listenerCall("onReset");
    }

    private void listenerCall(String what) {
      onTestThread(what + " of a link");
      afterFatal(id(), what);
      if (terminations > 0) {
        violation(id() + ": listener " + what + " after onTerminated");
      }
    }

    @Override
    public void onTerminated(Machine<LinkCtx> m, StateSnapshot last) {
      onTestThread("onTerminated of a link");
      afterFatal(id(), "listener onTerminated");
      terminations++;
      for (LinkRec child : children) {
        if (child.terminations == 0) {
          violation(id() + ": onTerminated before its child " + child.id() + "'s");
        }
      }
    }

    void completed(Termination<LinkCtx> termination, Throwable error) {
      onTestThread("whenComplete of a link");
      completions++;
      ended = true;
      trace.append(id()).append(" end ").append(machine.state().status()).append('\n');
      if (!fatalThrown) {
        for (LinkRec child : children) {
          if (!child.ended) {
            violation(id() + ": ended before its child " + child.id());
          }
        }
      }
    }
  }

  /** A link's context: one per incarnation. */
  record LinkCtx(LinkRec rec) {}

  private void buildTree(TreeGen gen) {
    tree = gen;
    chain = new LinkRec[gen.depth()];
    linkFaultFired = new boolean[gen.faults().size()];
    // a reset link starts its subtree again: bounded, so that resets cannot make it quadratic
    linkCap = 3 * gen.depth() + gen.width() + 16;
    RecoveryPolicy<LinkCtx> policy = gen.reset()
        ? RecoveryPolicy.<LinkCtx>reset(() -> new LinkCtx(linkResetting))
            .onReset(this::linkResetHook)
            .atMost(1, Duration.ofHours(1))
            .then(RecoveryPolicy.exit())
        : RecoveryPolicy.exit();
    linkDefinition = Stator.<String, LinkCtx>machine("link")
        .initial("up")
        .state("up", s -> s
            .onEntry(this::linkEntry)
            .onExit(this::linkExit)
            .on("poke").then(this::linkPoke).goTo("done")
            // every SUPERVISOR_EVERY levels a link takes its failed child's end instead of failing
            // too, so that some failures stop climbing (each level's report stays bounded: see
            // DeepEscalationTest)
            .on(ChildTerminated.class)
            .when((c, step) -> c.rec().level % SUPERVISOR_EVERY == 0
                && step.event().status() == Status.FAILED)
            .then((c, step) -> {
              checkLink(c.rec(), "child handler");
              coverage.linkChildFailuresTaken++;
            })
            .stay())
        .finalState("done")
        .recovery(policy)
        .build();
  }

  private void watch(LinkRec rec) {
    links.add(rec);
    rec.machine.addListener(rec);
    rec.machine.lifecycle().whenComplete(rec::completed);
  }

  private LinkRec linkAt(int permille) {
    if (tree == null) {
      return null;
    }
    LinkRec link = null;
    for (int level = level(permille); link == null && level >= 0; level--) {
      link = chain[level];
    }
    return link;
  }

  private int level(int permille) {
    return (int) ((long) (tree.depth() - 1) * permille / 1000);
  }

  private void checkLink(LinkRec rec, String where) {
    onTestThread(where + " of a link");
    afterFatal(rec.id(), where);
    if (rec.ended) {
      violation(rec.id() + ": " + where + " ran after the link ended");
    }
  }

  private void linkEntry(LinkCtx c, Step<Object> step) throws Exception {
    LinkRec rec = c.rec();
    checkLink(rec, "entry");
    trace.append(rec.id()).append(" +\n");
    deepestLink = Math.max(deepestLink, rec.level);
    if (!rec.leaf && rec.level + 1 < tree.depth() && links.size() < linkCap) {
      startLink(step, new LinkRec(rec.level + 1, rec, false));
    }
    if (!rec.leaf && rec.level == level(tree.widePermille())) {
      for (int i = 0; i < tree.width() && links.size() < linkCap; i++) {
        startLink(step, new LinkRec(rec.level + 1, rec, true));
      }
    }
    linkFault(rec, LinkSite.ENTRY);
  }

  private void startLink(Step<Object> step, LinkRec child) {
    child.machine = step.startChild(linkDefinition, new LinkCtx(child));
    child.parent.children.add(child);
    if (!child.leaf) {
      chain[child.level] = child;
    }
    watch(child);
  }

  private void linkExit(LinkCtx c, Step<Object> step) throws Exception {
    LinkRec rec = c.rec();
    checkLink(rec, "exit");
    trace.append(rec.id()).append(" -\n");
    if (step.event() == LifecycleEvent.STOP) {
      // a stop stops the children before the parent's own exit actions
      for (LinkRec child : rec.children) {
        if (!child.ended) {
          violation(rec.id() + ": exit on STOP before its child " + child.id() + " ended");
        }
      }
    }
    linkFault(rec, LinkSite.EXIT);
  }

  private void linkPoke(LinkCtx c, Step<Object> step) throws Exception {
    LinkRec rec = c.rec();
    checkLink(rec, "poke");
    trace.append(rec.id()).append(" poked\n");
    linkFault(rec, LinkSite.POKE);
  }

  private void linkFault(LinkRec rec, LinkSite site) throws Exception {
    for (int i = 0; i < tree.faults().size(); i++) {
      LinkFault fault = tree.faults().get(i);
      if (!linkFaultFired[i] && fault.site() == site && !rec.leaf
          && level(fault.permille()) == rec.level) {
        linkFaultFired[i] = true;
        throwsInjected++;
        String what = rec.id() + " " + site;
        trace.append(what).append(" throws ").append(fault.kind()).append('\n');
        switch (fault.kind()) {
          case BOOM, INTERRUPT -> throw new Boom(what);
          case ASSERTION -> throw error(ErrorKind.ASSERTION, what);
          case STACK_OVERFLOW -> throw error(ErrorKind.STACK_OVERFLOW, what);
          case NO_CLASS_DEF -> throw error(ErrorKind.NO_CLASS_DEF, what);
          case INTERNAL -> throw error(ErrorKind.INTERNAL, what);
        }
      }
    }
  }

  private void linkResetHook(LinkCtx c, Failure failure) {
    LinkRec rec = c.rec();
    checkLink(rec, "reset hook");
    trace.append(rec.id()).append(" reset\n");
    coverage.linkResets++;
    for (LinkRec child : rec.children) {
      if (!child.ended) {
        violation(rec.id() + ": reset while its child " + child.id() + " was "
            + child.machine.state());
      }
    }
    rec.children.clear();
    linkResetting = rec;
  }

  /** After close: every link ended once, heard of its end once, and agrees with its future. */
  private void checkTree() {
    for (LinkRec link : links) {
      agrees(link.id(), link.machine);
      if (link.completions != 1 || link.terminations != 1) {
        violation(link.id() + ": lifecycle dependents ran " + link.completions
            + " times, onTerminated " + link.terminations + " times");
      }
    }
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
    Set<String> storm = new java.util.HashSet<>();
    for (Harness h : harnesses) {
      storm.add(h.id);
    }
    for (String id : unobservedById.keySet()) {
      if (!storm.contains(id)) {
        violation(id + ": reported as unobserved, but it had a parent or a dependent");
      }
    }
  }

  /**
   * recovery.md, "JVM errors and the fatal path": every machine, children and links included, has
   * ended and its snapshot agrees with its future; the fatal-failure handler heard of the error
   * once; the loop is closed with nothing live. That no user code ran after the error is checked
   * as it happens ({@link #afterFatal}).
   */
  private void checkFatalPath() {
    coverage.fatalPaths++;
    long told = escalated.stream().filter(f -> f.cause() instanceof Fatal).count();
    if (told != 1) {
      violation("the fatal-failure handler heard of the fatal error " + told + " times");
    }
    if (!fatalThrown) {
      violation("the fatal path was taken for an error thrown where it must not be");
    }
    if (!loop.isClosed() || loop.liveMachines() != 0) {
      violation("after the fatal path: closed " + loop.isClosed() + ", liveMachines() = "
          + loop.liveMachines());
    }
    for (Harness h : harnesses) {
      agrees(h.id, h.machine);
      if (h.observation.awaits() && h.completions != 1) {
        violation(h.id + ": lifecycle dependents ran " + h.completions + " times");
      }
      if (h.terminations > 1) {
        violation(h.id + ": onTerminated ran " + h.terminations + " times");
      }
    }
    for (LinkRec link : links) {
      agrees(link.id(), link.machine);
      if (link.completions != 1 || link.terminations > 1) {
        violation(link.id() + ": lifecycle dependents ran " + link.completions
            + " times, onTerminated " + link.terminations + " times");
      }
    }
  }

  /** A machine has ended, and its snapshot says what its future says. */
  private void agrees(String id, Machine<?> machine) {
    CompletableFuture<?> lifecycle = machine.lifecycle();
    StateSnapshot last = machine.state();
    if (!lifecycle.isDone()) {
      violation(id + ": lifecycle not done after close (" + last + ")");
      return;
    }
    Throwable error = lifecycle.handle((v, e) -> e).getNow(null);
    if (error instanceof java.util.concurrent.CompletionException wrapped) {
      error = wrapped.getCause();
    }
    if (!last.isTerminal()) {
      violation(id + ": the snapshot " + last + " is not terminal after close");
    } else if ((last.status() == Status.FAILED) != (error != null)) {
      violation(id + ": the snapshot " + last + " but the lifecycle " + error);
    } else if (error != null && !(error instanceof MachineFailedException mfe
        && mfe.failure() == last.failure())) {
      violation(id + ": the snapshot's failure is not the lifecycle's: " + error);
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
    coverage.childFailures += h.parent != null && failedForGood ? 1 : 0;
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
      if (h.parent != null) {
        // a child's failure goes to its parent while the parent's incarnation that started it
        // lives; once the parent has ended or been reset, the child stands alone; a child
        // failing while it stops may have been detached by its stopping parent: not decided here
        if (f.phase() == Phase.STOP) {
          continue;
        }
        escalates &= !h.parentAliveAtEnd;
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
          && !(cause instanceof UnhandledEventException && h.def.gen.faultOnUnhandled())
          && !halfEntered(h, cause)
          && !(cause instanceof MachineFailedException mfe && isChildFailure(h, mfe)
              && byCause.get(cause).phase() == Phase.DISPATCH)) {
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
    if (h.def.chart) {
      coverage.chartMachines++;
      coverage.historyMachines += h.def.hasHistory ? 1 : 0;
      for (Failure f : distinct) {
        if (f.state().contains(", ")) {
          coverage.faultsWithSeveralLeaves++;
          coverage.resetsWithSeveralLeaves += resets.contains(f) ? 1 : 0;
        }
      }
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

  /**
   * The engine's own fault when an expected-error transition taken in the middle of a step leaves
   * a configuration that is not whole (a parallel state with a region not entered): the handler's
   * target did not contain the whole step (Statechart.checkWhole).
   */
  private boolean halfEntered(Harness h, Throwable cause) {
    if (h.def.chart && cause instanceof IllegalStateException
        && String.valueOf(cause.getMessage()).startsWith("after an expected-error transition,")) {
      coverage.halfEnteredFaults++;
      return true;
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
