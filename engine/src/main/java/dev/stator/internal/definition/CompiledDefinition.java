package dev.stator.internal.definition;

import dev.stator.MachineDefinition;
import dev.stator.RecoveryPolicy;
import dev.stator.UnhandledEventPolicy;
import dev.stator.model.MachineSpec;
import java.util.List;

/** The engine's form of a definition: state nodes with precomputed tables. Immutable. */
public final class CompiledDefinition<C> implements MachineDefinition<C> {
  final MachineSpec<C> spec;
  public final StateNode[] states;
  public final TransitionNode[] transitions;
  /**
   * The states entered when the machine starts, outermost first; for a parallel root, the
   * top-level states (its regions), each entered by default.
   */
  public final StateNode[] initialPath;
  /** Whether the root is parallel: every top-level state is a region, active together. */
  public final boolean parallelRoot;
  /** The root's exit actions, run as the machine completes. */
  public final dev.stator.model.Action<Object, Object>[] rootExit;
  /**
   * The machine's root, for what belongs to it rather than to a state: its calls
   * ({@code root.invocations}), which own nothing else. Not one of {@link #states}: index -1, path
   * {@code ""}.
   */
  public final StateNode root;
  /** The machine's output, computed as it completes, or null. */
  public final dev.stator.model.Output<Object> output;
  public final UnhandledEventPolicy unhandled;
  public final RecoveryPolicy<Object> recovery;
  private final List<String> statePaths;
  /** How many delayed ({@code after}) transitions there are: the size of a machine's timer cache. */
  public final int delayedTransitions;
  /** The most cells the flat dispatch table may have: larger definitions look up per state. */
  private static final long MAX_DISPATCH_CELLS = 1 << 20;
  /**
   * When every state that matches events by value matches constants of one enum (the common
   * case), that enum; else null. With it, a step finds the candidates for (leaf, event) in
   * {@link #dispatch} with one load instead of going through the leaf's own tables: the chain of
   * loads from one step's leaf to the next is what bounds the speed of a busy machine.
   */
  public final Class<?> eventEnum;
  /** The number of constants of {@link #eventEnum}. */
  public final int eventCount;
  /** The candidates of each (leaf index × {@link #eventCount} + ordinal), or null for none. */
  public final TransitionNode[][] dispatch;
  /**
   * For each cell of {@link #dispatch}, the transition when it is the only candidate and has no
   * guard (the common case), else null: then a step finds what to take with one load.
   */
  public final TransitionNode[] sole;
  /** Whether any state has an eventless ({@code always}) transition to check after a step. */
  public final boolean hasEventless;
  /** Whether any state is final, so that entering a state may complete the machine. */
  public final boolean hasFinalStates;
  /**
   * Whether the machine has parallel states, history states or transitions with several targets:
   * its configuration is then a set of states, and it takes the full statechart step
   * ({@code dev.stator.internal.machine.Statechart}); otherwise it is one active leaf, and the step follows paths computed
   * here.
   */
  public final boolean statechart;
  private final List<String> warnings;

  @SuppressWarnings("unchecked")
  CompiledDefinition(MachineSpec<C> spec, StateNode[] states, TransitionNode[] transitions,
      StateNode[] initialPath, List<String> warnings, boolean statechart) {
    this.statechart = statechart;
    this.spec = spec;
    this.states = states;
    this.transitions = transitions;
    this.initialPath = initialPath;
    this.parallelRoot = spec.parallel();
    this.root = new StateNode(-1, "", null, dev.stator.model.StateSpec.Type.NORMAL);
    this.root.invocations = spec.invocations().toArray(new dev.stator.model.Invocation[0]);
    this.rootExit = spec.exit().toArray(new dev.stator.model.Action[0]);
    this.output = (dev.stator.model.Output<Object>) spec.output();
    this.unhandled = spec.unhandledEvents();
    this.recovery = (RecoveryPolicy<Object>) spec.recovery();
    this.statePaths = new PathList(states);
    this.warnings = List.copyOf(warnings);
    int delayed = 0;
    for (TransitionNode t : transitions) {
      if (t.trigger instanceof dev.stator.model.Trigger.After) {
        t.delayIndex = delayed++;
      }
    }
    this.delayedTransitions = delayed;
    // whole-definition facts that let a step skip work most machines never need
    this.hasEventless = java.util.Arrays.stream(transitions)
        .anyMatch(t -> t.trigger instanceof dev.stator.model.Trigger.Always);
    this.hasFinalStates = java.util.Arrays.stream(states).anyMatch(s -> s.isFinal);
    java.util.Map<Object, Integer> topLevelCopies = new java.util.IdentityHashMap<>();
    for (TransitionNode t : transitions) {
      if (t.source.parent == null) {
        topLevelCopies.merge(t.written, 1, Integer::sum);
      }
    }
    for (TransitionNode t : transitions) {
      t.fromRoot = t.source.parent == null && topLevelCopies.get(t.written) > 1;
    }
    for (TransitionNode t : transitions) {
      if (t.target != null && !statechart) {
        if (t.entryPath.length == 0) {
          throw new IllegalStateException("transition " + t + " has a target but enters no state");
        }
        t.targetLeaf = t.entryPath[t.entryPath.length - 1].index;
      }
    }
    Class<?> single = null;
    for (StateNode state : states) {
      if (state.enumClass != null && single != state.enumClass) {
        single = single == null ? state.enumClass : Object.class;
      }
    }
    if (single != null && single != Object.class
        && (long) states.length * single.getEnumConstants().length <= MAX_DISPATCH_CELLS) {
      Object[] constants = single.getEnumConstants();
      this.eventEnum = single;
      this.eventCount = constants.length;
      this.dispatch = new TransitionNode[states.length * constants.length][];
      this.sole = new TransitionNode[states.length * constants.length];
      for (StateNode state : states) {
        for (int ordinal = 0; ordinal < constants.length; ordinal++) {
          int cell = state.index * constants.length + ordinal;
          TransitionNode[] candidates = state.byValue.get(constants[ordinal]);
          dispatch[cell] = candidates;
          if (candidates != null && candidates.length == 1 && candidates[0].guard == null) {
            sole[cell] = candidates[0];
          }
        }
      }
    } else {
      this.eventEnum = null;
      this.eventCount = 0;
      this.dispatch = null;
      this.sole = null;
    }
  }

  /**
   * Every state's path, made when asked for and not kept: a definition of deeply nested states
   * with long names would otherwise hold paths quadratic in its size.
   */
  private static final class PathList extends java.util.AbstractList<String>
      implements java.util.RandomAccess {
    private final StateNode[] states;

    PathList(StateNode[] states) {
      this.states = states;
    }

    @Override
    public String get(int index) {
      return states[index].pathUncached();
    }

    @Override
    public int size() {
      return states.length;
    }
  }

  @Override
  public String id() {
    return spec.id();
  }

  @Override
  public MachineSpec<C> spec() {
    return spec;
  }

  @Override
  public List<String> statePaths() {
    return statePaths;
  }

  @Override
  public List<String> warnings() {
    return warnings;
  }

  @Override
  public String toString() {
    return "MachineDefinition[" + spec.id() + ", " + states.length + " states]";
  }

  /**
   * The policy values written in the definition, in the order a walk from the top finds them
   * (breadth first, as written), found on first use (a benign race: every thread finds the same).
   */
  private volatile List<RecoveryPolicy<?>> declaredPolicies;

  private List<RecoveryPolicy<?>> declaredPolicies() {
    List<RecoveryPolicy<?>> known = declaredPolicies;
    if (known == null) {
      java.util.Set<RecoveryPolicy<?>> seen =
          java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
      List<RecoveryPolicy<?>> inOrder = new java.util.ArrayList<>();
      java.util.ArrayDeque<RecoveryPolicy<?>> work = new java.util.ArrayDeque<>();
      work.add(recovery);
      while (!work.isEmpty()) {
        RecoveryPolicy<?> next = work.poll();
        if (next == null || !seen.add(next)) {
          continue;
        }
        inOrder.add(next);
        if (next instanceof RecoveryPolicy.Reset<?> reset) {
          if (reset.next() != null) {
            work.add(reset.next());
          }
        } else if (next instanceof RecoveryPolicy.ByCause<?> byCause) {
          work.addAll(byCause.cases().values());
          if (byCause.fallback() != null) {
            work.add(byCause.fallback());
          }
        }
      }
      known = java.util.Collections.unmodifiableList(inOrder);
      declaredPolicies = known;
    }
    return known;
  }

  /**
   * Returns whether {@code policy} is one of the values written in this definition's recovery
   * policy (by identity), as opposed to one a deciding function built at a fault.
   */
  public boolean declares(RecoveryPolicy<?> policy) {
    return policyIndex(policy) >= 0;
  }

  /** Returns the place of a declared policy in the walk from the top, or -1 for another value. */
  public int policyIndex(RecoveryPolicy<?> policy) {
    List<RecoveryPolicy<?>> known = declaredPolicies();
    for (int i = 0; i < known.size(); i++) {
      if (known.get(i) == policy) {
        return i;
      }
    }
    return -1;
  }

  /** Returns the declared policy at {@code index} of the walk, or null when there is none. */
  public RecoveryPolicy<?> policyAt(int index) {
    List<RecoveryPolicy<?>> known = declaredPolicies();
    return index >= 0 && index < known.size() ? known.get(index) : null;
  }

  private volatile long fingerprint;

  /**
   * Returns a hash of the definition's structure: each state's path and kind, its delayed
   * transitions' delays and its calls' ids, in document order. Two compilations of the same
   * source have the same one; a changed state, timeout or call changes it (almost surely).
   */
  public long fingerprint() {
    long known = fingerprint;
    if (known == 0) {
      long hash = 0xcbf29ce484222325L;
      for (StateNode state : states) {
        hash = mix(hash, state.path() + '|' + state.type + '|' + state.isFinal);
        for (TransitionNode delayed : state.after) {
          hash = mix(hash, "after " + delayed.delayNanos);
        }
        for (dev.stator.model.Invocation<Object> call : state.invocations) {
          hash = mix(hash, "call " + call.id());
        }
      }
      known = hash == 0 ? 1 : hash;
      fingerprint = known;
    }
    return known;
  }

  private static long mix(long hash, String text) {
    long h = hash;
    for (int i = 0; i < text.length(); i++) {
      h ^= text.charAt(i);
      h *= 0x100000001b3L;
    }
    // a separator no text can forge
    return (h ^ 0xff) * 0x100000001b3L;
  }

  /** The most configurations whose running snapshots are kept; past it, each step makes one. */
  private static final int MAX_CACHED_SNAPSHOTS = 4096;
  /** Running snapshots of the statechart configurations seen, shared by every machine. */
  private final java.util.concurrent.ConcurrentHashMap<java.util.BitSet, dev.stator.StateSnapshot>
      snapshots = new java.util.concurrent.ConcurrentHashMap<>();

  /**
   * Returns the snapshot of a machine running in configuration {@code active}: kept for the
   * configurations seen (a step that returns to one allocates nothing), up to a bound.
   */
  public dev.stator.StateSnapshot runningSnapshot(java.util.BitSet active,
      java.util.function.Supplier<List<String>> leaves) {
    dev.stator.StateSnapshot known = snapshots.get(active);
    if (known != null) {
      return known;
    }
    List<String> paths = leaves.get();
    java.util.Set<String> tags = new java.util.TreeSet<>();
    for (int i = active.nextSetBit(0); i >= 0; i = active.nextSetBit(i + 1)) {
      java.util.Collections.addAll(tags, states[i].tags);
    }
    dev.stator.StateSnapshot made = new dev.stator.StateSnapshot(dev.stator.Status.RUNNING,
        String.join(", ", paths), null, paths, tags);
    if (snapshots.size() < MAX_CACHED_SNAPSHOTS) {
      snapshots.putIfAbsent((java.util.BitSet) active.clone(), made);
    }
    return made;
  }
}
