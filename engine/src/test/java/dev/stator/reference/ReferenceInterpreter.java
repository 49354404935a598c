package dev.stator.reference;

import dev.stator.IoRegistration;
import dev.stator.Machine;
import dev.stator.MachineDefinition;
import dev.stator.StateDone;
import dev.stator.Step;
import dev.stator.TimerHandle;
import dev.stator.model.Action;
import dev.stator.model.MachineSpec;
import dev.stator.model.StateSpec;
import dev.stator.model.TransitionSpec;
import dev.stator.model.Trigger;
import java.nio.channels.SelectableChannel;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A second implementation of the statechart semantics, written straight from the pseudocode of the
 * W3C SCXML recommendation, Appendix D ("Algorithm for SCXML Interpretation"), over the same
 * {@link MachineSpec} the engine compiles. It is the oracle of {@code StatechartReferenceProperties}:
 * the plainest code possible, ordered sets as lists, nothing cached, so that it can be read side by
 * side with the recommendation. Function names are the pseudocode's.
 *
 * <p>Stator's documented deviations from SCXML, and only those:
 *
 * <ul>
 *   <li>The top-level states form an implicit root state (the {@code <scxml>} element): compound,
 *       with {@link MachineSpec#initial()} its initial child, or for {@link MachineSpec#parallel()}
 *       parallel, every top-level state a region. The machine completes when the root is in a
 *       final state (a top-level final state entered, or every region of a parallel root final):
 *       then, as SCXML's exitInterpreter, the active states exit in exit order, then the root's
 *       {@link MachineSpec#exit()} actions run; no further event is processed.
 *   <li>A transition's domain is, as in XState v5, the nearest proper ancestor of its source that
 *       contains every target, of any kind: where that is a parallel state, its regions are exited
 *       and entered, not the parallel state itself (SCXML takes the nearest <em>compound</em>
 *       ancestor).
 *   <li>Done events are {@link StateDone} values: {@code StateDone(id(P), output)} when a final
 *       child of P is entered, where id(P) is P's explicit id or else its path, and the output is
 *       the final state's {@link dev.stator.model.Output} (computed after its entry actions, like
 *       SCXML's donedata), then {@code StateDone(id(G), null)} when P's parent G is parallel and
 *       every region of G is in a final state, and so on outwards while G's parent is parallel
 *       and in a final state too (XState v5; SCXML stops at G), each parallel state once in a
 *       microstep. A done event matches {@link Trigger.OnStateDone}
 *       transitions of the state that is done, and {@code OnEvent("done.state.<id>")}.
 *   <li>A history state with no default target ({@code initial == null}) defaults to its parent's
 *       default entry: a compound parent's initial child, a parallel parent's regions.
 *   <li>The step limit: in one macrostep each eventless microstep and each internal event taken
 *       from the queue counts one (not the external event's own microstep); past
 *       {@code maxMicrosteps} the machine fails ({@link Status#STEP_LIMIT}).
 *   <li>For an event (not for eventless transitions), the transitions are selected as XState v5
 *       does: a state's own transitions are tried only when its active child, or none of its
 *       regions, takes the event (SCXML selects per active atomic state, looking outwards, so an
 *       ancestor may be selected through one region while another region takes the event).
 *   <li>Events no transition accepts are ignored.
 * </ul>
 *
 * <p>Not modelled: invocations, delayed transitions, expected errors, type triggers, raised events
 * from actions (the generated charts use none of them).
 *
 * @param <C> the context type
 */
public final class ReferenceInterpreter<C> {

  /** Where the reference machine is in its life. */
  public enum Status { RUNNING, COMPLETED, STEP_LIMIT }

  /** A state of the document, or the implicit root ({@code spec == null}). */
  static final class Node {
    final StateSpec<?> spec;
    final Node parent;
    final List<Node> children = new ArrayList<>();
    final List<Tr> transitions = new ArrayList<>();
    /** Position in document order (pre-order); the root is 0. */
    int order;
    final String path;

    Node(StateSpec<?> spec, Node parent) {
      this.spec = spec;
      this.parent = parent;
      this.path = spec == null ? ""
          : parent.spec == null ? spec.name() : parent.path + "/" + spec.name();
    }

    @Override
    public String toString() {
      return path.isEmpty() ? "(root)" : path;
    }
  }

  /** A transition with its source and its targets resolved. */
  static final class Tr {
    final TransitionSpec<?> spec;
    final Node source;
    final List<Node> target = new ArrayList<>();

    Tr(TransitionSpec<?> spec, Node source) {
      this.spec = spec;
      this.source = source;
    }

    @Override
    public String toString() {
      return source + ": " + spec;
    }
  }

  private final MachineSpec<C> machine;
  private final int maxMicrosteps;
  private final Node root;
  private final List<Node> all = new ArrayList<>();

  private C context;
  private final List<Node> configuration = new ArrayList<>();
  private final ArrayDeque<Object> internalQueue = new ArrayDeque<>();
  private final Map<Node, List<Node>> historyValue = new HashMap<>();
  private boolean running;
  private Status status;
  /** The event of the microstep in progress, as callbacks see it. */
  private Object currentEvent;
  /** How many done events were raised, and how many of them for parallel states (statistics). */
  private int doneEvents;
  private int parallelDoneEvents;

  /**
   * Builds the reference machine; nothing runs before {@link #start}.
   *
   * @param machine the specification, valid (the engine's compiler accepts it)
   * @param maxMicrosteps the step limit
   */
  public ReferenceInterpreter(MachineSpec<C> machine, int maxMicrosteps) {
    this.machine = machine;
    this.maxMicrosteps = maxMicrosteps;
    this.root = new Node(null, null);
    all.add(root);
    build(root, machine.states());
    for (Node n : all) {
      if (n.spec != null) {
        for (TransitionSpec<?> t : n.spec.transitions()) {
          Tr tr = new Tr(t, n);
          for (String name : t.targets()) {
            tr.target.add(resolve(name, n));
          }
          n.transitions.add(tr);
        }
      }
    }
  }

  private void build(Node parent, List<? extends StateSpec<?>> specs) {
    for (StateSpec<?> spec : specs) {
      Node n = new Node(spec, parent);
      n.order = all.size();
      all.add(n);
      parent.children.add(n);
      build(n, spec.children());
    }
  }

  /** A target as written: "#id", a path from the top, or a name resolved from the source out. */
  Node resolve(String target, Node from) {
    if (target.startsWith("#")) {
      for (Node n : all) {
        if (n.spec != null && target.substring(1).equals(n.spec.id())) {
          return n;
        }
      }
      throw new IllegalArgumentException("no state with id " + target);
    }
    if (target.contains("/")) {
      Node at = root;
      for (String segment : target.split("/")) {
        at = child(at, segment);
        if (at == null) {
          throw new IllegalArgumentException("no state at path " + target);
        }
      }
      return at;
    }
    List<Node> named = new ArrayList<>();
    for (Node n : all) {
      if (n.spec != null && n.spec.name().equals(target)) {
        named.add(n);
      }
    }
    if (named.size() == 1) {
      return named.get(0);
    }
    for (Node scope = from.parent; scope != null; scope = scope.parent) {
      Node found = child(scope, target);
      if (found != null) {
        return found;
      }
    }
    throw new IllegalArgumentException("cannot resolve " + target + " from " + from);
  }

  private static Node child(Node parent, String name) {
    for (Node c : parent.children) {
      if (c.spec.name().equals(name)) {
        return c;
      }
    }
    return null;
  }

  // ---------------------------------------------------------------- the public face

  /**
   * Enters the initial configuration and runs the first macrostep (SCXML's interpret).
   *
   * @param context the context, which the spec's callbacks receive
   */
  public void start(C context) {
    this.context = context;
    running = true;
    status = Status.RUNNING;
    currentEvent = dev.stator.LifecycleEvent.START;
    // enterStates([doc.initial.transition]): the implicit root's initial child, by default entry
    List<Node> statesToEnter = new ArrayList<>();
    if (machine.parallel()) {
      for (Node region : getChildStates(root)) {
        addDescendantStatesToEnter(region, statesToEnter);
      }
    } else {
      Node first = child(root, machine.initial());
      addDescendantStatesToEnter(first, statesToEnter);
      addAncestorStatesToEnter(first, root, statesToEnter);
    }
    enterStatesInOrder(statesToEnter);
    macrostep();
  }

  /**
   * Processes one external event, run to completion (one turn of SCXML's mainEventLoop).
   *
   * @param event the event
   */
  public void send(Object event) {
    if (!running) {
      return;
    }
    List<Tr> enabledTransitions = selectTransitions(event);
    if (!enabledTransitions.isEmpty()) {
      microstep(enabledTransitions, event);
    }
    macrostep();
  }

  /** Returns the status. */
  public Status status() {
    return status;
  }

  /** Returns how many done events were raised so far. */
  public int doneEvents() {
    return doneEvents;
  }

  /** Returns how many done events of parallel states were raised so far. */
  public int parallelDoneEvents() {
    return parallelDoneEvents;
  }

  /** Returns the paths of the active atomic states, in document order. */
  public List<String> activeStates() {
    List<String> paths = new ArrayList<>();
    for (Node s : sortDocumentOrder(configuration)) {
      if (isAtomicState(s)) {
        paths.add(s.path);
      }
    }
    return paths;
  }

  // ---------------------------------------------------------------- mainEventLoop

  /** The inner loop of mainEventLoop: eventless transitions, then internal events, until quiet. */
  private void macrostep() {
    int microsteps = 0;
    boolean macrostepDone = false;
    while (running && !macrostepDone) {
      Object event = null;
      List<Tr> enabledTransitions = selectEventlessTransitions();
      if (enabledTransitions.isEmpty()) {
        if (internalQueue.isEmpty()) {
          macrostepDone = true;
        } else {
          event = internalQueue.poll();
          if (++microsteps > maxMicrosteps) {
            stepLimit();
            return;
          }
          enabledTransitions = selectTransitions(event);
        }
      } else if (++microsteps > maxMicrosteps) {
        stepLimit();
        return;
      }
      if (!enabledTransitions.isEmpty()) {
        microstep(enabledTransitions, event);
      }
    }
  }

  /**
   * The root is done: the active states exit, innermost and last first, then the root, and the
   * machine's output is computed.
   */
  @SuppressWarnings("unchecked")
  private void complete() {
    for (Node s : sortExitOrder(new ArrayList<>(configuration))) {
      run(s.spec.exit());
    }
    run(machine.exit());
    if (machine.output() != null) {
      try {
        ((dev.stator.model.Output<C>) machine.output()).compute(context, step(currentEvent));
      } catch (Exception e) {
        throw new IllegalStateException("the machine's output threw", e);
      }
    }
    running = false;
    status = Status.COMPLETED;
  }

  private void stepLimit() {
    running = false;
    status = Status.STEP_LIMIT;
  }

  // ---------------------------------------------------------------- selection

  private List<Tr> selectEventlessTransitions() {
    return select(null);
  }

  private List<Tr> selectTransitions(Object event) {
    return select(event);
  }

  /** selectTransitions / selectEventlessTransitions: {@code event == null} for eventless. */
  private List<Tr> select(Object event) {
    if (event != null) {
      return removeConflictingTransitions(transitionNode(root, event));
    }
    List<Tr> enabledTransitions = new ArrayList<>();
    List<Node> atomicStates = new ArrayList<>();
    for (Node s : sortDocumentOrder(configuration)) {
      if (isAtomicState(s)) {
        atomicStates.add(s);
      }
    }
    for (Node state : atomicStates) {
      List<Node> chain = new ArrayList<>();
      chain.add(state);
      chain.addAll(getProperAncestors(state, null));
      loop:
      for (Node s : chain) {
        for (Tr t : s.transitions) {
          if (matches(t, event) && conditionMatch(t, event)) {
            if (!enabledTransitions.contains(t)) {
              enabledTransitions.add(t);
            }
            break loop;
          }
        }
      }
    }
    return removeConflictingTransitions(enabledTransitions);
  }

  /**
   * XState v5's selection for an event (its transitionNode): an active state's own transitions
   * are tried only when its active child, or none of its regions, takes the event; the first
   * enabled one, in document order, is taken.
   */
  private List<Tr> transitionNode(Node s, Object event) {
    List<Tr> inner = new ArrayList<>();
    for (Node child : getChildStates(s)) {
      if (configuration.contains(child)) {
        for (Tr t : transitionNode(child, event)) {
          if (!inner.contains(t)) {
            inner.add(t);
          }
        }
      }
    }
    if (!inner.isEmpty()) {
      return inner;
    }
    for (Tr t : s.transitions) {
      if (matches(t, event) && conditionMatch(t, event)) {
        return List.of(t);
      }
    }
    return List.of();
  }

  private boolean matches(Tr t, Object event) {
    Trigger trigger = t.spec.trigger();
    if (event == null) {
      return trigger instanceof Trigger.Always;
    }
    if (trigger instanceof Trigger.OnEvent on) {
      if (event instanceof StateDone done) {
        return on.event().equals(done.name());
      }
      return on.event().equals(event);
    }
    if (trigger instanceof Trigger.OnStateDone) {
      return event instanceof StateDone done && done.state().equals(id(t.source));
    }
    return false;
  }

  @SuppressWarnings("unchecked")
  private boolean conditionMatch(Tr t, Object event) {
    if (t.spec.guard() == null) {
      return true;
    }
    try {
      return ((dev.stator.model.Guard<C, Object>) t.spec.guard()).test(context, step(event));
    } catch (Exception e) {
      throw new IllegalStateException("a guard threw; the reference does not model faults", e);
    }
  }

  private List<Tr> removeConflictingTransitions(List<Tr> enabledTransitions) {
    List<Tr> filteredTransitions = new ArrayList<>();
    for (Tr t1 : enabledTransitions) {
      boolean t1Preempted = false;
      List<Tr> transitionsToRemove = new ArrayList<>();
      for (Tr t2 : filteredTransitions) {
        if (hasIntersection(computeExitSet(List.of(t1)), computeExitSet(List.of(t2)))) {
          if (isDescendant(t1.source, t2.source)) {
            transitionsToRemove.add(t2);
          } else {
            t1Preempted = true;
            break;
          }
        }
      }
      if (!t1Preempted) {
        filteredTransitions.removeAll(transitionsToRemove);
        filteredTransitions.add(t1);
      }
    }
    return filteredTransitions;
  }

  private static boolean hasIntersection(List<Node> a, List<Node> b) {
    for (Node n : a) {
      if (b.contains(n)) {
        return true;
      }
    }
    return false;
  }

  // ---------------------------------------------------------------- microstep

  private void microstep(List<Tr> enabledTransitions, Object event) {
    currentEvent = event;
    exitStates(enabledTransitions);
    executeTransitionContent(enabledTransitions);
    enterStates(enabledTransitions);
  }

  private void exitStates(List<Tr> enabledTransitions) {
    List<Node> statesToExit = sortExitOrder(computeExitSet(enabledTransitions));
    for (Node s : statesToExit) {
      for (Node h : s.children) {
        if (!isHistoryState(h)) {
          continue;
        }
        List<Node> value = new ArrayList<>();
        for (Node s0 : configuration) {
          boolean member = h.spec.type() == StateSpec.Type.DEEP_HISTORY
              ? isAtomicState(s0) && isDescendant(s0, s)
              : s0.parent == s;
          if (member) {
            value.add(s0);
          }
        }
        historyValue.put(h, value);
      }
    }
    for (Node s : statesToExit) {
      run(s.spec.exit());
      configuration.remove(s);
    }
  }

  private List<Node> computeExitSet(List<Tr> transitions) {
    List<Node> statesToExit = new ArrayList<>();
    for (Tr t : transitions) {
      if (!t.target.isEmpty()) {
        Node domain = getTransitionDomain(t);
        for (Node s : configuration) {
          if (isDescendant(s, domain) && !statesToExit.contains(s)) {
            statesToExit.add(s);
          }
        }
      }
    }
    return statesToExit;
  }

  private void executeTransitionContent(List<Tr> enabledTransitions) {
    for (Tr t : enabledTransitions) {
      run(t.spec.actions());
    }
  }

  private void enterStates(List<Tr> enabledTransitions) {
    List<Node> statesToEnter = new ArrayList<>();
    computeEntrySet(enabledTransitions, statesToEnter);
    enterStatesInOrder(statesToEnter);
  }

  /** The loop of enterStates, after computeEntrySet. */
  @SuppressWarnings("unchecked")
  private void enterStatesInOrder(List<Node> statesToEnter) {
    List<Node> completed = new ArrayList<>();
    for (Node s : sortDocumentOrder(statesToEnter)) {
      // Stator's deviation from Appendix D: a state still active is not entered again (a history
      // state whose targets lie inside the transition's domain would otherwise re-enter the
      // ancestors up to the history's parent, running their entries without their exits)
      if (configuration.contains(s)) {
        continue;
      }
      add(configuration, s);
      run(s.spec.entry());
      if (isFinalState(s)) {
        if (s.parent == root) {
          complete();
          return;
        } else {
          Node parent = s.parent;
          Node grandparent = parent.parent;
          Object output = null;
          if (s.spec.output() != null) {
            try {
              output = ((dev.stator.model.Output<C>) s.spec.output()).compute(context,
                  step(currentEvent));
            } catch (Exception e) {
              throw new IllegalStateException("an output threw", e);
            }
          }
          internalQueue.add(new StateDone(id(parent), output));
          doneEvents++;
          // XState v5's walk: up through parallel ancestors while each is in a final state
          Node marker = grandparent;
          while (marker != root && isParallelState(marker) && !completed.contains(marker)
              && isInFinalState(marker)) {
            completed.add(marker);
            internalQueue.add(new StateDone(id(marker), null));
            doneEvents++;
            parallelDoneEvents++;
            marker = marker.parent;
          }
          if (marker == root && isParallelState(root) && isInFinalState(root)) {
            complete();
            return;
          }
        }
      }
    }
  }

  private void computeEntrySet(List<Tr> transitions, List<Node> statesToEnter) {
    for (Tr t : transitions) {
      for (Node s : t.target) {
        addDescendantStatesToEnter(s, statesToEnter);
      }
      Node ancestor = getTransitionDomain(t);
      for (Node s : getEffectiveTargetStates(t.target)) {
        addAncestorStatesToEnter(s, ancestor, statesToEnter);
      }
      if (ancestor != null && isParallelState(ancestor)) {
        // XState v5's internal transition of a parallel state: the regions below it that no
        // target enters are entered by default
        for (Node child : getChildStates(ancestor)) {
          if (!someDescendant(statesToEnter, child)) {
            addDescendantStatesToEnter(child, statesToEnter);
          }
        }
      }
    }
  }

  private void addDescendantStatesToEnter(Node state, List<Node> statesToEnter) {
    if (isHistoryState(state)) {
      List<Node> targets = !historyValue.getOrDefault(state, List.of()).isEmpty() ? historyValue.get(state)
          : historyDefault(state);
      for (Node s : targets) {
        addDescendantStatesToEnter(s, statesToEnter);
      }
      for (Node s : targets) {
        addAncestorStatesToEnter(s, state.parent, statesToEnter);
      }
    } else {
      add(statesToEnter, state);
      if (isCompoundState(state)) {
        Node initial = child(state, state.spec.initial());
        addDescendantStatesToEnter(initial, statesToEnter);
        addAncestorStatesToEnter(initial, state, statesToEnter);
      } else if (isParallelState(state)) {
        for (Node child : getChildStates(state)) {
          if (!someDescendant(statesToEnter, child)) {
            addDescendantStatesToEnter(child, statesToEnter);
          }
        }
      }
    }
  }

  private void addAncestorStatesToEnter(Node state, Node ancestor, List<Node> statesToEnter) {
    for (Node anc : getProperAncestors(state, ancestor)) {
      add(statesToEnter, anc);
      if (isParallelState(anc)) {
        for (Node child : getChildStates(anc)) {
          if (!someDescendant(statesToEnter, child)) {
            addDescendantStatesToEnter(child, statesToEnter);
          }
        }
      }
    }
  }

  private static boolean someDescendant(List<Node> states, Node of) {
    for (Node s : states) {
      if (isDescendant(s, of)) {
        return true;
      }
    }
    return false;
  }

  private static void add(List<Node> orderedSet, Node n) {
    if (!orderedSet.contains(n)) {
      orderedSet.add(n);
    }
  }

  /**
   * The targets of a history state's default transition: its default target, or (Stator) its
   * parent's default entry.
   */
  private List<Node> historyDefault(Node history) {
    if (history.spec.initial() != null) {
      return List.of(resolve(history.spec.initial(), history));
    }
    Node parent = history.parent;
    if (isParallelState(parent)) {
      return getChildStates(parent);
    }
    return List.of(child(parent, parent.spec.initial()));
  }

  private boolean isInFinalState(Node s) {
    if (isCompoundState(s)) {
      for (Node c : getChildStates(s)) {
        if (isFinalState(c) && configuration.contains(c)) {
          return true;
        }
      }
      return false;
    } else if (isParallelState(s)) {
      for (Node c : getChildStates(s)) {
        if (!isInFinalState(c)) {
          return false;
        }
      }
      return true;
    }
    return false;
  }

  private Node getTransitionDomain(Tr t) {
    List<Node> tstates = getEffectiveTargetStates(t.target);
    if (tstates.isEmpty()) {
      return null;
    }
    if (t.spec.internal() && (isCompoundState(t.source) || isParallelState(t.source))
        && tstates.stream().allMatch(s -> isDescendant(s, t.source))) {
      return t.source;
    }
    List<Node> list = new ArrayList<>();
    list.add(t.source);
    list.addAll(tstates);
    return findLCA(list);
  }

  /** XState v5's least common ancestor: of any kind, unlike SCXML's findLCCA. */
  private Node findLCA(List<Node> stateList) {
    for (Node anc : getProperAncestors(stateList.get(0), null)) {
      boolean every = true;
      for (Node s : stateList.subList(1, stateList.size())) {
        every &= isDescendant(s, anc);
      }
      if (every) {
        return anc;
      }
    }
    throw new AssertionError("the root is every state's ancestor");
  }

  private List<Node> getEffectiveTargetStates(List<Node> target) {
    List<Node> targets = new ArrayList<>();
    for (Node s : target) {
      if (isHistoryState(s)) {
        List<Node> more = !historyValue.getOrDefault(s, List.of()).isEmpty() ? historyValue.get(s)
            : getEffectiveTargetStates(historyDefault(s));
        for (Node m : more) {
          add(targets, m);
        }
      } else {
        add(targets, s);
      }
    }
    return targets;
  }

  // ---------------------------------------------------------------- predicates and helpers

  /** id(P): the explicit id, else the path. */
  static String id(Node n) {
    return n.spec.id() != null ? n.spec.id() : n.path;
  }

  private boolean isCompoundState(Node n) {
    return n == root ? !machine.parallel() : n.spec.isCompound();
  }

  private boolean isParallelState(Node n) {
    return n == root ? machine.parallel() : n.spec.type() == StateSpec.Type.PARALLEL;
  }

  private static boolean isFinalState(Node n) {
    return n.spec != null && n.spec.type() == StateSpec.Type.FINAL;
  }

  private static boolean isHistoryState(Node n) {
    return n.spec != null && n.spec.isHistory();
  }

  private static boolean isAtomicState(Node n) {
    return n.spec != null && (n.spec.type() == StateSpec.Type.FINAL
        || (n.spec.type() == StateSpec.Type.NORMAL && n.spec.children().isEmpty()));
  }

  /** Whether {@code a} is a proper descendant of {@code b}. */
  private static boolean isDescendant(Node a, Node b) {
    for (Node p = a.parent; p != null; p = p.parent) {
      if (p == b) {
        return true;
      }
    }
    return false;
  }

  /** The ancestors of {@code state}, parent first, up to (excluding) {@code stop}, or the root. */
  private static List<Node> getProperAncestors(Node state, Node stop) {
    List<Node> ancestors = new ArrayList<>();
    for (Node p = state.parent; p != null && p != stop; p = p.parent) {
      ancestors.add(p);
    }
    return ancestors;
  }

  /** The state, parallel and final children (history excluded). */
  private static List<Node> getChildStates(Node n) {
    List<Node> states = new ArrayList<>();
    for (Node c : n.children) {
      if (!isHistoryState(c)) {
        states.add(c);
      }
    }
    return states;
  }

  private static List<Node> sortDocumentOrder(List<Node> states) {
    List<Node> sorted = new ArrayList<>(states);
    sorted.sort(Comparator.comparingInt(n -> n.order));
    return sorted;
  }

  private static List<Node> sortExitOrder(List<Node> states) {
    List<Node> sorted = new ArrayList<>(states);
    sorted.sort(Comparator.comparingInt((Node n) -> n.order).reversed());
    return sorted;
  }

  @SuppressWarnings("unchecked")
  private void run(List<? extends Action<?, Object>> actions) {
    for (Action<?, Object> action : actions) {
      try {
        ((Action<C, Object>) action).execute(context, step(currentEvent));
      } catch (Exception e) {
        throw new IllegalStateException("an action threw; the reference does not model faults", e);
      }
    }
  }

  /** The step as callbacks see it: only the event is available. */
  private static Step<Object> step(Object event) {
    return new Step<>() {
      @Override
      public Object event() {
        return event;
      }

      @Override
      public Machine<?> machine() {
        throw new UnsupportedOperationException();
      }

      @Override
      public void raise(Object raised) {
        throw new UnsupportedOperationException("the reference does not model raised events");
      }

      @Override
      public TimerHandle startTimer(Duration delay, Object timerEvent) {
        throw new UnsupportedOperationException();
      }

      @Override
      public <D> Machine<D> startChild(MachineDefinition<D> definition, D childContext) {
        throw new UnsupportedOperationException();
      }

      @Override
      public IoRegistration registerIo(String name, SelectableChannel channel, int ops,
          boolean machineScoped) {
        throw new UnsupportedOperationException();
      }

      @Override
      public long nanoTime() {
        return 0;
      }
    };
  }
}
