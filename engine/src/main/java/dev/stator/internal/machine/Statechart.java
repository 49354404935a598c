package dev.stator.internal.machine;

import dev.stator.StateDone;
import dev.stator.StateSnapshot;
import dev.stator.Status;
import dev.stator.internal.definition.CompiledDefinition;
import dev.stator.internal.definition.StateNode;
import dev.stator.internal.definition.TransitionNode;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The configuration of a machine whose definition has parallel states, history states or
 * transitions with several targets, and the step over it, after the W3C SCXML recommendation
 * (Appendix D, "Algorithm for SCXML Interpretation"). One per running incarnation of such a
 * machine; loop-confined.
 *
 * <p>The configuration is the set of active states, held as one flag per state in document order
 * (a state's index), with the history memory beside it. A step selects, for each active atomic
 * state in document order, the first enabled transition of it or its ancestors (innermost first,
 * then as written); removes those that conflict (whose exit sets intersect: a transition from a
 * descendant wins, else the one selected first); exits the union of their exit sets in reverse
 * document order, recording history first; runs their actions in document order; and enters the
 * union of their entry sets in document order. A final state entered raises its parent's done
 * event on the internal queue, and its grandparent's when that is a parallel state whose every
 * region is now in a final state; a final state at the top completes the machine.
 *
 * <p>User code (entries, exits, actions, guards, done data) runs through the machine, which
 * records the phase and the state of each callback, so that a fault is reported and handled as in
 * any other step.
 */
final class Statechart {

  private final StateNode[] states;
  private final MachineRuntime<?> machine;
  /** The configuration: whether each state, by index (document order), is active. */
  private final BitSet active;
  /** The history memory, by history state's index: what to enter again, or null. */
  private final StateNode[][] remembered;
  /** Whether the configuration changed since {@link #snapshot()} was last made. */
  private boolean changed = true;
  private StateSnapshot published;
  /** Whether the microstep in progress has been recorded (a completion after it may still throw). */
  private boolean recorded;
  /** Whether the microstep in progress has exited or is about to enter a state. */
  private boolean moved;
  private final CompiledDefinition<?> definition;
  // Scratch space, reused by every step so that a step of a machine with regions allocates
  // nothing in the common case (no conflicts, no history): cleared before each use.
  private final List<TransitionNode> enabled = new ArrayList<>(4);
  private final BitSet exits;
  private final BitSet toEnter;
  /** The parallel states whose done event the microstep in progress raised. */
  private final BitSet completed;
  private final java.util.function.Supplier<List<String>> leavesOf = this::leaves;

  Statechart(CompiledDefinition<?> definition, MachineRuntime<?> machine) {
    this.definition = definition;
    this.states = definition.states;
    this.machine = machine;
    this.active = new BitSet(states.length);
    this.exits = new BitSet(states.length);
    this.toEnter = new BitSet(states.length);
    this.completed = new BitSet(states.length);
    this.remembered = new StateNode[states.length][];
  }

  // ---------------------------------------------------------------- entering the initial state

  /**
   * Enters the machine's initial state and its default descendants; for a parallel root, every
   * top-level region.
   */
  void enterInitial() throws Exception {
    toEnter.clear();
    if (definition.parallelRoot) {
      addRootRegions(toEnter);
    } else {
      addDescendants(definition.initialPath[0], toEnter);
    }
    recorded = false;
    try {
      enter(toEnter, null);
    } catch (Throwable interrupted) {
      // listeners hear of the entry that got this far, before any error transition leaves it
      if (!active.isEmpty() && !recorded) {
        record(null);
      }
      throw interrupted;
    }
  }

  // ---------------------------------------------------------------- selection

  /**
   * Returns the transitions an event (or, for {@code null}, no event) enables, conflicts removed,
   * in the order they were selected.
   */
  List<TransitionNode> select(Object event) throws Exception {
    // the list is this chart's scratch: valid until the next selection, which is always after the
    // microstep that takes it
    enabled.clear();
    for (int i = active.nextSetBit(0); i >= 0; i = active.nextSetBit(i + 1)) {
      StateNode state = states[i];
      if (!state.isAtomic()) {
        continue;
      }
      TransitionNode chosen = event == null ? firstEventless(state)
          : firstEnabled(state, event);
      if (chosen != null && !selected(chosen)) {
        enabled.add(chosen);
      }
    }
    if (event != null && enabled.size() > 1) {
      keepInnermost();
    }
    return enabled.size() < 2 ? enabled : withoutConflicts(enabled);
  }

  /**
   * XState v5's rule for an event: a state's own transitions are tried only when none of its
   * active descendants takes the event. Selecting per active atomic state, as SCXML does, may
   * reach an ancestor through one region while another region takes the event: that ancestor's
   * transition is dropped (the root's, when any other is selected).
   */
  private void keepInnermost() {
    for (int i = enabled.size() - 1; i >= 0; i--) {
      TransitionNode t = enabled.get(i);
      for (TransitionNode e : enabled) {
        if (e != t && (t.fromRoot ? !e.fromRoot : e.source.isDescendantOf(t.source))) {
          enabled.remove(i);
          break;
        }
      }
    }
  }

  /**
   * Whether the selection has {@code t} already: the same transition, or the same written one
   * given to another state (the root's, which each region of a parallel root takes).
   */
  private boolean selected(TransitionNode t) {
    for (TransitionNode e : enabled) {
      if (e == t || e.written == t.written) {
        return true;
      }
    }
    return false;
  }

  private List<TransitionNode> withoutConflicts(List<TransitionNode> enabled) {
    List<TransitionNode> kept = new ArrayList<>(enabled.size());
    List<BitSet> keptExits = new ArrayList<>(enabled.size());
    for (TransitionNode t1 : enabled) {
      BitSet exits1 = exitSet(t1);
      boolean preempted = false;
      List<Integer> displaced = new ArrayList<>(1);
      for (int j = 0; j < kept.size(); j++) {
        if (exits1.intersects(keptExits.get(j))) {
          if (t1.source.isDescendantOf(kept.get(j).source)) {
            displaced.add(j);
          } else {
            preempted = true;
            break;
          }
        }
      }
      if (!preempted) {
        for (int k = displaced.size() - 1; k >= 0; k--) {
          kept.remove((int) displaced.get(k));
          keptExits.remove((int) displaced.get(k));
        }
        kept.add(t1);
        keptExits.add(exits1);
      }
    }
    return kept;
  }

  // ---------------------------------------------------------------- the microstep

  /** Takes the transitions together: exits, then their actions, then entries. */
  void microstep(List<TransitionNode> transitions) throws Exception {
    moved = false;
    recorded = false;
    try {
      takeTogether(transitions);
    } catch (Throwable interrupted) {
      // as for a machine without regions: a step that moved the configuration before an error
      // struck is recorded, so that listeners and the trace see an unbroken path
      if (moved && !recorded) {
        record(transitions);
      }
      throw interrupted;
    }
  }

  private void takeTogether(List<TransitionNode> transitions) throws Exception {
    exits.clear();
    for (TransitionNode t : transitions) {
      addExitSet(t, exits);
    }
    for (int i = exits.nextSetBit(0); i >= 0; i = exits.nextSetBit(i + 1)) {
      for (StateNode history : states[i].historyChildren) {
        remembered[history.index] = rememberedBy(history, states[i]);
      }
    }
    for (int i = exits.previousSetBit(states.length - 1); i >= 0; i = exits.previousSetBit(i - 1)) {
      // a state whose exit action throws is still active: an error transition exits it again
      exitState(states[i]);
      active.clear(i);
      changed = true;
      moved = true;
    }
    for (TransitionNode t : transitions) {
      // during its actions, only the states a transition stays inside are active for it: an
      // expected error is looked up from its domain (its source, when targetless), or the nearest
      // state above it still active: a targetless transition conflicts with none, so another
      // transition of the step may have exited its source
      StateNode scope = t.targets.length == 0 ? t.source : domain(t, effectiveTargets(t));
      while (scope != null && !active.get(scope.index)) {
        scope = scope.parent;
      }
      runTransitionActions(t, scope);
    }
    toEnter.clear();
    for (TransitionNode t : transitions) {
      for (StateNode target : t.targets) {
        addDescendants(target, toEnter);
      }
      StateNode[] targets = effectiveTargets(t);
      if (targets.length > 0) {
        StateNode domain = domain(t, targets);
        for (StateNode target : targets) {
          addAncestors(target, domain, toEnter);
        }
        if (domain != null && domain.isParallel()) {
          // a transition whose domain is a parallel state exits every region below it
          addRegions(domain, toEnter);
        } else if (domain == null && definition.parallelRoot) {
          addRootRegions(toEnter);
        }
      }
    }
    moved |= !toEnter.isEmpty();
    enter(toEnter, transitions);
  }

  private void enter(BitSet toEnter, List<TransitionNode> transitions) throws Exception {
    StateNode topFinal = null;
    completed.clear();
    // Appendix D may add a state that is still active (a history target inside the transition's
    // domain brings its ancestors up to the history's parent): it stays, and is not entered again
    toEnter.andNot(active);
    for (int i = toEnter.nextSetBit(0); i >= 0; i = toEnter.nextSetBit(i + 1)) {
      StateNode state = states[i];
      active.set(i);
      changed = true;
      machine.enter(state);
      if (state.isFinal && finalEntered(state)) {
        topFinal = state;
        break;
      }
    }
    record(transitions);
    if (topFinal != null) {
      List<StateNode> exiting = new ArrayList<>();
      for (int i = active.previousSetBit(states.length - 1); i >= 0;
          i = active.previousSetBit(i - 1)) {
        exiting.add(states[i]);
      }
      machine.endings().complete(exiting, leaves(),
          definition.runningSnapshot(active, leavesOf).tags());
    }
  }

  /**
   * Raises the done events a final state's entry makes: its parent's, with its done data, then
   * each enclosing parallel state's whose every region is now final, outwards, each once in a
   * microstep. Returns whether the root is done, which completes the machine.
   */
  private boolean finalEntered(StateNode state) throws Exception {
    StateNode parent = state.parent;
    if (parent == null && !definition.parallelRoot) {
      return true;
    }
    if (parent != null && parent.isCompound()) {
      machine.raise(new StateDone(parent.id(), machine.output(state)));
    }
    // null stands for the root
    StateNode marker = parent == null || parent.isParallel() ? parent : parent.parent;
    while (marker != null && marker.isParallel() && !completed.get(marker.index)
        && isInFinalState(marker)) {
      completed.set(marker.index);
      machine.raise(new StateDone(marker.id(), null));
      marker = marker.parent;
    }
    return marker == null && definition.parallelRoot && rootInFinalState();
  }

  private boolean rootInFinalState() {
    for (StateNode region : definition.initialPath) {
      if (!isInFinalState(region)) {
        return false;
      }
    }
    return true;
  }

  /** Records the transitions taken (null: the initial entry) in the trace, for listeners too. */
  private void record(List<TransitionNode> transitions) {
    recorded = true;
    if (transitions == null) {
      // an entry interrupted before any leaf: the deepest state it got to
      StateNode to = firstActiveLeaf();
      recordStep(null,
          to != null ? to : states[active.previousSetBit(states.length - 1)]);
    } else {
      for (TransitionNode t : transitions) {
        StateNode[] targets = t.targets.length == 0 ? t.targets : effectiveTargets(t);
        recordStep(t, targets.length == 0 ? t.source : targets[0]);
      }
    }
  }

  /** Exits every active state, innermost and last first, for a machine that is stopped. */
  void exitAll() throws Exception {
    for (int i = active.previousSetBit(states.length - 1); i >= 0;
        i = active.previousSetBit(i - 1)) {
      active.clear(i);
      changed = true;
      exitStateOnStop(states[i]);
    }
  }

  // ---------------------------------------------------------------- the sets of SCXML

  /** The active states a transition exits: every active descendant of its domain. */
  private BitSet exitSet(TransitionNode t) {
    BitSet set = new BitSet(states.length);
    addExitSet(t, set);
    return set;
  }

  private void addExitSet(TransitionNode t, BitSet set) {
    if (t.targets.length == 0) {
      return;
    }
    StateNode domain = domain(t, effectiveTargets(t));
    if (domain == null) {
      set.or(active);
    } else {
      // in document order a state's descendants follow it, up to the end of its subtree
      for (int i = active.nextSetBit(domain.index + 1); i >= 0 && i <= domain.subtreeEnd;
          i = active.nextSetBit(i + 1)) {
        set.set(i);
      }
    }
  }

  /**
   * The transition's domain: the source itself for an internal transition to its descendants
   * (a compound or a parallel source), else the innermost ancestor of the source that contains
   * every target; null for the root. As in XState v5 and unlike SCXML's least common compound
   * ancestor, that ancestor may be a parallel state: a transition from one region to another
   * exits and enters the regions, not the parallel state.
   */
  private static StateNode domain(TransitionNode t, StateNode[] targets) {
    if (t.internal && (t.source.isCompound() || t.source.isParallel())
        && allBelow(targets, t.source)) {
      return t.source;
    }
    for (StateNode ancestor = t.source.parent; ancestor != null; ancestor = ancestor.parent) {
      if (allBelow(targets, ancestor)) {
        return ancestor;
      }
    }
    return null;
  }

  private static boolean allBelow(StateNode[] targets, StateNode ancestor) {
    for (StateNode target : targets) {
      if (!target.isDescendantOf(ancestor)) {
        return false;
      }
    }
    return true;
  }

  /** The targets with each history state replaced by what it remembers, or its default. */
  private StateNode[] effectiveTargets(TransitionNode t) {
    boolean plain = true;
    for (StateNode target : t.targets) {
      plain &= !target.isHistory();
    }
    if (plain) {
      return t.targets;
    }
    Set<StateNode> out = new LinkedHashSet<>();
    for (StateNode target : t.targets) {
      if (target.isHistory()) {
        StateNode[] memory = remembered[target.index];
        for (StateNode s : memory != null ? memory : target.historyDefault) {
          out.add(s);
        }
      } else {
        out.add(target);
      }
    }
    return out.toArray(new StateNode[0]);
  }

  /**
   * What a history state keeps of its parent as the parent is exited: its active children
   * (shallow), or the deepest active states below it (deep) — atomic ones, or a compound one left
   * before any child of it was entered because an expected error struck in its entry, which is
   * then entered by its default.
   */
  private StateNode[] rememberedBy(StateNode history, StateNode parent) {
    List<StateNode> kept = new ArrayList<>();
    for (int i = active.nextSetBit(parent.index + 1); i >= 0 && i <= parent.subtreeEnd;
        i = active.nextSetBit(i + 1)) {
      StateNode s = states[i];
      if (history.isDeepHistory() ? deepestActive(s) : s.parent == parent) {
        kept.add(s);
      }
    }
    // nothing active below the parent (an expected error struck in its entry, or after its
    // children were exited): it keeps what it remembered from its last exit that had something
    // to remember, the configuration it last really had
    return kept.isEmpty() ? remembered[history.index] : kept.toArray(new StateNode[0]);
  }

  /** Whether {@code s} is active with no active state below it. */
  private boolean deepestActive(StateNode s) {
    int below = active.nextSetBit(s.index + 1);
    return below < 0 || below > s.subtreeEnd;
  }

  private void addDescendants(StateNode state, BitSet toEnter) {
    if (state.isHistory()) {
      StateNode[] memory = remembered[state.index];
      StateNode[] entering = memory != null ? memory : state.historyDefault;
      for (StateNode s : entering) {
        addDescendants(s, toEnter);
      }
      for (StateNode s : entering) {
        addAncestors(s, state.parent, toEnter);
      }
      return;
    }
    toEnter.set(state.index);
    if (state.isCompound()) {
      addDescendants(state.initial, toEnter);
      addAncestors(state.initial, state, toEnter);
    } else if (state.isParallel()) {
      addRegions(state, toEnter);
    }
  }

  /** Adds the ancestors of {@code state} below {@code ancestor} (null: the top), and their regions. */
  private void addAncestors(StateNode state, StateNode ancestor, BitSet toEnter) {
    for (StateNode s = state.parent; s != null && s != ancestor; s = s.parent) {
      toEnter.set(s.index);
      if (s.isParallel()) {
        addRegions(s, toEnter);
      }
    }
  }

  /** Enters by default every region of a parallel root that nothing entered yet. */
  private void addRootRegions(BitSet toEnter) {
    for (StateNode region : definition.initialPath) {
      if (!toEnter.get(region.index) && !anyBelow(toEnter, region)) {
        addDescendants(region, toEnter);
      }
    }
  }

  /** Enters by default every region of a parallel state that nothing entered yet. */
  private void addRegions(StateNode parallel, BitSet toEnter) {
    for (StateNode region : parallel.children) {
      if (!region.isHistory() && !anyBelow(toEnter, region)) {
        addDescendants(region, toEnter);
      }
    }
  }

  private static boolean anyBelow(BitSet set, StateNode state) {
    int next = set.nextSetBit(state.index + 1);
    return next >= 0 && next <= state.subtreeEnd;
  }

  private boolean isInFinalState(StateNode state) {
    if (state.isCompound()) {
      for (StateNode child : state.children) {
        if (child.isFinal && active.get(child.index)) {
          return true;
        }
      }
      return false;
    }
    if (state.isParallel()) {
      for (StateNode region : state.children) {
        if (!region.isHistory() && !isInFinalState(region)) {
          return false;
        }
      }
      return true;
    }
    return false;
  }

  /**
   * Checks that the configuration is whole: every active compound state has exactly one active
   * child, every active parallel state all its regions, and one state is active at the top. An
   * expected-error transition taken in the middle of a step could leave regions half entered.
   *
   * @throws IllegalStateException naming the first state that is not whole
   */
  void checkWhole() {
    int top = 0;
    for (int i = active.nextSetBit(0); i >= 0; i = active.nextSetBit(i + 1)) {
      StateNode s = states[i];
      if (s.parent == null) {
        top++;
      }
      int activeChildren = 0;
      int regions = 0;
      for (StateNode child : s.children) {
        if (!child.isHistory()) {
          regions++;
          if (active.get(child.index)) {
            activeChildren++;
          }
        }
      }
      boolean whole = s.isParallel() ? activeChildren == regions
          : s.isAtomic() || activeChildren == 1;
      if (!whole) {
        throw new IllegalStateException("after an expected-error transition, state '" + s.path()
            + "' is active with " + activeChildren + " of its " + (s.isParallel() ? regions
                + " regions" : "children") + " active: the error struck in the middle of a step"
            + " and the transition did not leave a whole configuration; target a state that"
            + " contains the whole step");
      }
    }
    int expected = definition.parallelRoot ? definition.initialPath.length : 1;
    if (top != expected) {
      throw new IllegalStateException("after an expected-error transition, " + top
          + " top-level states are active; expected " + expected);
    }
  }

  // ---------------------------------------------------------------- views

  /** Adds the paths the last microstep exited (in exit order) and entered (in entry order). */
  void describeMicrostep(List<String> exited, List<String> entered) {
    for (int i = exits.previousSetBit(states.length - 1); i >= 0;
        i = exits.previousSetBit(i - 1)) {
      exited.add(states[i].path());
    }
    for (int i = toEnter.nextSetBit(0); i >= 0; i = toEnter.nextSetBit(i + 1)) {
      entered.add(states[i].path());
    }
  }

  private StateNode firstActiveLeaf() {
    for (int i = active.nextSetBit(0); i >= 0; i = active.nextSetBit(i + 1)) {
      if (states[i].isAtomic()) {
        return states[i];
      }
    }
    return null;
  }

  /** The paths of the active leaves, in document order. */
  List<String> leaves() {
    List<String> leaves = new ArrayList<>();
    for (int i = active.nextSetBit(0); i >= 0; i = active.nextSetBit(i + 1)) {
      if (states[i].isAtomic()) {
        leaves.add(states[i].path());
      }
    }
    return leaves;
  }

  /** The configuration as one string: the active leaves' paths, joined with ", ". */
  String path() {
    return String.join(", ", leaves());
  }

  /**
   * Returns the running snapshot of the configuration: the one made last when nothing changed,
   * else the definition's for this configuration (shared by every machine that is in it).
   */
  /** The history memory by history state's path, for a machine's image. */
  java.util.Map<String, List<String>> historyPaths() {
    java.util.Map<String, List<String>> memory = new java.util.LinkedHashMap<>();
    for (int i = 0; i < remembered.length; i++) {
      if (remembered[i] != null) {
        List<String> paths = new ArrayList<>(remembered[i].length);
        for (StateNode state : remembered[i]) {
          paths.add(state.path());
        }
        memory.put(states[i].path(), paths);
      }
    }
    return memory;
  }

  /**
   * Takes a configuration and history memory from a machine's image, entering nothing: the states
   * were entered in the machine's earlier life. The caller checked that the configuration is
   * whole.
   */
  void restore(BitSet configuration, java.util.Map<StateNode, StateNode[]> memory) {
    active.clear();
    active.or(configuration);
    memory.forEach((history, kept) -> remembered[history.index] = kept);
    changed = true;
  }

  StateSnapshot snapshot() {
    if (changed || published == null) {
      published = definition.runningSnapshot(active, leavesOf);
      changed = false;
    }
    return published;
  }

  // ---------------------------------------------------------------- driving the machine's step

  /** The first enabled transition of {@code state} or its ancestors for {@code ev}, or null. */
  private TransitionNode firstEnabled(StateNode state, Object ev) throws Exception {
    TransitionNode[] candidates = ev.getClass() == state.enumClass
        ? state.byOrdinal[((Enum<?>) ev).ordinal()]
        : state.byValue.isEmpty() ? null : state.byValue.get(MachineRuntime.lookupKey(ev));
    if (candidates != null) {
      for (TransitionNode t : candidates) {
        if (t.guard == null || machine.guardHolds(t)) {
          return t;
        }
      }
      return null;
    }
    for (TransitionNode t : state.byType) {
      if (t.accepts(ev) && (t.guard == null || machine.guardHolds(t))) {
        return t;
      }
    }
    return null;
  }

  /** The first enabled eventless transition of {@code state} or its ancestors, or null. */
  private TransitionNode firstEventless(StateNode state) throws Exception {
    for (TransitionNode t : state.always) {
      if (t.guard == null || machine.guardHolds(t)) {
        return t;
      }
    }
    return null;
  }

  /** Exits one state: its exit actions, then what its activation started. */
  private void exitState(StateNode state) throws Exception {
    machine.leafIndex = state.index;
    machine.exit(state);
  }

  /** Exits one state of a machine that is being stopped. */
  private void exitStateOnStop(StateNode state) throws Exception {
    machine.leafIndex = state.index;
    machine.phase = MachineRuntime.P_STOP;
    machine.runActions(state.exit);
  }

  /**
   * Runs a transition's actions with {@code stayingIn} (null: the top) as the state whose
   * expected errors apply, as for a machine without regions.
   */
  private void runTransitionActions(TransitionNode t, StateNode stayingIn) throws Exception {
    machine.leafIndex = stayingIn == null ? -1 : stayingIn.index;
    machine.phase = MachineRuntime.P_ACTION;
    machine.runActions(t.actions);
  }

  /** Records a transition (null: the initial entry) in the machine's trace, for listeners too. */
  private void recordStep(TransitionNode t, StateNode to) {
    machine.record(t == null ? -1 : t.source.index, t == null ? -1 : t.index,
        to == null ? -1 : to.index);
  }
}
