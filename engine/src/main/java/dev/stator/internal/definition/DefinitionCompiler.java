package dev.stator.internal.definition;

import dev.stator.DefinitionException;
import dev.stator.MachineDefinition;
import dev.stator.Timeout;
import dev.stator.internal.text.Names;
import dev.stator.internal.text.Printable;
import dev.stator.model.Action;
import dev.stator.model.Guard;
import dev.stator.model.MachineSpec;
import dev.stator.model.StateSpec;
import dev.stator.model.TransitionSpec;
import dev.stator.model.Trigger;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Validates a {@link MachineSpec} and compiles it: every problem is collected and reported
 * together; a valid spec gets its exit boundaries, entry paths and per-state candidate tables
 * computed here, once, so that a step allocates nothing.
 */
public final class DefinitionCompiler {

  private DefinitionCompiler() {}

  /**
   * Compiles a specification.
   *
   * @param spec the machine as written
   * @param <C> the context type
   * @return the definition
   * @throws DefinitionException listing every problem
   */
  public static <C> MachineDefinition<C> compile(MachineSpec<C> spec) {
    Objects.requireNonNull(spec, "spec");
    return new Compilation<>(spec).run();
  }

  private static final class Compilation<C> {
    private final MachineSpec<C> spec;
    private final List<String> problems = new ArrayList<>();
    private final List<StateNode> nodes = new ArrayList<>();
    private final List<StateSpec<C>> nodeSpecs = new ArrayList<>();
    /** Every state of each name (names are unique only among siblings). */
    private final Map<String, List<StateNode>> byName = new LinkedHashMap<>();
    /** Each state under its parent's index (-1 for the top) and its name. */
    private final Map<ChildKey, StateNode> children = new HashMap<>();
    /** States by the id the definition gave them. */
    private final Map<String, StateNode> byId = new HashMap<>();
    /** Whether the definition needs the full statechart step: regions, history, several targets. */
    private boolean statechart;
    private final Map<StateNode, List<TransitionNode>> transitions = new HashMap<>();
    private final Map<String, StateNode> callOwners = new HashMap<>();
    /** The ids of the root's calls ({@link MachineSpec#invocations()}). */
    private Set<String> rootCalls = Set.of();
    /** Suggestions for misspelt names share one budget, so that many misspellings stay cheap. */
    private final Names.Budget suggestions = Names.Budget.forDocument();
    /** Entry paths by (target, domain): transitions that enter the same way share one array. */
    private final Map<Long, StateNode[]> entryPaths = new HashMap<>();

    Compilation(MachineSpec<C> spec) {
      this.spec = spec;
    }

    private record ChildKey(int parent, String name) {}

    private static final int MAX_STATES = (1 << 21) - 1;
    /** Targets of one transition are checked pairwise: bounded, so that the check is cheap. */
    private static final int MAX_TARGETS = 256;
    private static final int MAX_TRANSITIONS = (1 << 22) - 1;

    MachineDefinition<C> run() {
      if (spec.states().isEmpty()) {
        problems.add("the machine has no states");
      }
      createNodes(spec.states(), null);
      checkInitials();
      rootCalls = rootCallIds();
      createTransitions();
      int transitionCount = transitions.values().stream().mapToInt(List::size).sum();
      // failure traces pack a step's states and transition into one long (MachineRuntime.packStep)
      if (nodes.size() >= MAX_STATES || transitionCount >= MAX_TRANSITIONS) {
        problems.add("the machine has " + nodes.size() + " states and " + transitionCount
            + " transitions; at most " + (MAX_STATES - 1) + " states and " + (MAX_TRANSITIONS - 1)
            + " transitions are supported");
      }
      if (!problems.isEmpty()) {
        throw new DefinitionException(spec.id(), problems);
      }
      for (StateNode node : nodes) {
        node.initialDescent = descent(node);
      }
      for (List<TransitionNode> list : transitions.values()) {
        for (TransitionNode t : list) {
          if (!statechart) {
            resolvePaths(t);
          }
        }
      }
      for (StateNode node : nodes) {
        buildTables(node);
      }
      boolean parallelRoot = spec.parallel();
      StateNode[] initialPath;
      if (parallelRoot) {
        // every top-level state is a region: the statechart step enters each by default
        initialPath = nodes.stream().filter(n -> n.parent == null).toArray(StateNode[]::new);
      } else {
        StateNode top = children.get(new ChildKey(-1, spec.initial()));
        initialPath = concat(new StateNode[] {top}, top.initialDescent);
      }
      List<TransitionNode> all = new ArrayList<>();
      for (StateNode node : nodes) {
        for (TransitionNode t : transitions.get(node)) {
          t.index = all.size();
          all.add(t);
        }
      }
      return new CompiledDefinition<>(spec, nodes.toArray(new StateNode[0]),
          all.toArray(new TransitionNode[0]), initialPath, Reachability.unreachable(
          parallelRoot ? initialPath : new StateNode[] {initialPath[0]}, nodes, transitions),
          statechart);
    }

    private StateNode[] createNodes(List<StateSpec<C>> specs, StateNode parent) {
      List<StateNode> level = new ArrayList<>();
      for (StateSpec<C> state : specs) {
        String name = state.name();
        if (name.isBlank()) {
          problems.add("a state" + in(parent) + " has an empty name");
        } else if (name.indexOf('/') >= 0) {
          problems.add("state name '" + name + "'" + in(parent)
              + " contains '/', which separates paths");
        }
        StateNode node = new StateNode(nodes.size(), name, parent, state.type());
        if (!state.tags().isEmpty()) {
          node.tags = state.tags().toArray(new String[0]);
        }
        byName.computeIfAbsent(name, n -> new ArrayList<>(1)).add(node);
        StateNode earlier = children.putIfAbsent(
            new ChildKey(parent == null ? -1 : parent.index, name), node);
        if (earlier != null) {
          problems.add("duplicate state name '" + name + "'" + in(parent)
              + "; names are unique among siblings");
        }
        if (state.id() != null) {
          node.explicitId = state.id();
          StateNode sameId = byId.putIfAbsent(state.id(), node);
          if (state.id().isBlank()) {
            problems.add("state '" + node.pathUncached() + "' has an empty id");
          } else if (sameId != null) {
            problems.add("duplicate state id '" + state.id() + "': states '"
                + sameId.pathUncached() + "' and '" + node.pathUncached() + "'");
          }
        }
        checkKind(node, state, parent);
        if (state.output() != null) {
          if (!state.finalState()) {
            problems.add("state '" + node.pathUncached() + "' has done data (output) but is not"
                + " final; only a final state's output is carried by its parent's done event");
          }
          @SuppressWarnings("unchecked")
          dev.stator.model.Output<Object> output =
              (dev.stator.model.Output<Object>) (dev.stator.model.Output<?>) state.output();
          node.output = output;
        }
        nodes.add(node);
        nodeSpecs.add(state);
        node.children = createNodes(state.children(), node);
        node.subtreeEnd = nodes.size() - 1;
        level.add(node);
      }
      return level.toArray(new StateNode[0]);
    }

    /** The rules of each kind of state that need only the state and its parent. */
    private void checkKind(StateNode node, StateSpec<C> state, StateNode parent) {
      switch (state.type()) {
        case FINAL -> {
          if (!state.children().isEmpty()) {
            problems.add("final state '" + node.pathUncached()
                + "' has children; a final state is atomic");
          }
          if (parent != null ? parent.isParallel() : spec.parallel()) {
            problems.add("final state '" + node.pathUncached() + "' is a region of "
                + (parent != null ? "parallel state '" + parent.pathUncached() + "'"
                    : "the machine's parallel root") + "; put final states inside the regions");
          }
        }
        case PARALLEL -> {
          statechart = true;
          long regions = state.children().stream().filter(c -> !c.isHistory()).count();
          if (regions < 2) {
            problems.add("parallel state '" + node.pathUncached() + "' has " + regions
                + (regions == 1 ? " region" : " regions") + "; it needs two or more");
          }
          if (state.initial() != null) {
            problems.add("parallel state '" + node.pathUncached() + "' names initial child '"
                + state.initial() + "'; all its regions are entered together");
          }
        }
        case SHALLOW_HISTORY, DEEP_HISTORY -> {
          statechart = true;
          String what = "history state '" + node.pathUncached() + "'";
          if (parent == null) {
            problems.add(what + " is at the top; a history state remembers its parent's children");
          }
          if (!state.children().isEmpty() || !state.transitions().isEmpty()
              || !state.entry().isEmpty() || !state.exit().isEmpty()
              || !state.invocations().isEmpty()) {
            problems.add(what + " has children, transitions, actions or calls; it is only a"
                + " place to return to, with a default target");
          }
        }
        case NORMAL -> { }
      }
    }

    private void checkInitials() {
      List<String> topNames = spec.states().stream().map(StateSpec::name).toList();
      if (spec.initial() != null && topNames.contains(spec.initial())
          && children.get(new ChildKey(-1, spec.initial())).isHistory()) {
        problems.add("the machine's initial state '" + spec.initial() + "' is a history state");
      }
      if (spec.parallel()) {
        statechart = true;
        if (spec.initial() != null) {
          problems.add("the machine's root is parallel and names initial state '" + spec.initial()
              + "'; every top-level state is a region, entered together");
        }
      } else if (spec.initial() == null) {
        problems.add("the machine has no initial state; expected one of " + topNames);
      } else if (!topNames.contains(spec.initial())) {
        problems.add("the machine's initial state '" + spec.initial() + "' is not a top-level state;"
            + " expected one of " + topNames + suggestion(spec.initial(), topNames));
      }
      for (int i = 0; i < nodes.size(); i++) {
        StateNode node = nodes.get(i);
        StateSpec<C> state = nodeSpecs.get(i);
        if (state.isCompound()) {
          List<String> childNames = state.children().stream().map(StateSpec::name).toList();
          if (state.initial() == null) {
            problems.add("compound state '" + node.pathUncached()
                + "' has no initial child; expected one of " + childNames);
          } else if (!childNames.contains(state.initial())) {
            problems.add("initial child '" + state.initial() + "' of state '"
                + node.pathUncached() + "' is not one of its children " + childNames
                + suggestion(state.initial(), childNames));
          } else {
            node.initial = children.get(new ChildKey(node.index, state.initial()));
            if (node.initial.isHistory()) {
              // entered through its history: the statechart step resolves it
              statechart = true;
            }
          }
        } else if (state.isHistory()) {
          resolveHistoryDefault(node, state);
        } else if (state.initial() != null && state.type() != StateSpec.Type.PARALLEL) {
          problems.add("state '" + node.pathUncached() + "' names initial child '"
              + state.initial() + "' but has no children");
        }
      }
    }

    /** A history state's default: its target, or its parent's own default entry. */
    /**
     * The state at a path from the top, or null; with {@code where} given, a missing state is
     * reported as a problem there.
     */
    private StateNode atPath(String path, String where) {
      StateNode at = null;
      for (String segment : path.split("/", -1)) {
        StateNode next = children.get(new ChildKey(at == null ? -1 : at.index, segment));
        if (next == null) {
          if (where != null) {
            problems.add(where + ": target '" + path + "' is not a state: "
                + (at == null ? "no top-level state '" + segment + "'"
                    : "'" + at.pathUncached() + "' has no child '" + segment + "'"));
          }
          return null;
        }
        at = next;
      }
      return at;
    }

    private void resolveHistoryDefault(StateNode node, StateSpec<C> state) {
      StateNode parent = node.parent;
      if (parent == null) {
        return;
      }
      if (state.initial() == null) {
        if (parent.isParallel()) {
          node.historyDefault = java.util.Arrays.stream(parent.children)
              .filter(c -> !c.isHistory()).toArray(StateNode[]::new);
        } else {
          String parentInitial = nodeSpecs.get(parent.index).initial();
          StateNode first = parentInitial == null ? null
              : children.get(new ChildKey(parent.index, parentInitial));
          if (first == node) {
            problems.add("history state '" + node.pathUncached() + "' is the initial state of '"
                + parent.pathUncached() + "', so it needs a default target for the first entry");
          }
          node.historyDefault = first == null || first == node ? new StateNode[0]
              : new StateNode[] {first};
        }
        return;
      }
      StateNode target = resolve(state.initial(), node, "history state '" + node.pathUncached()
          + "', default target");
      if (target == null) {
        return;
      }
      boolean inside = node.isDeepHistory() ? target.isDescendantOf(parent)
          : target.parent == parent;
      if (!inside || target.isHistory()) {
        problems.add("history state '" + node.pathUncached() + "': its default target '"
            + state.initial() + "' must be " + (node.isDeepHistory() ? "a descendant" : "a child")
            + " of '" + parent.pathUncached() + "' (and not a history state)");
        return;
      }
      node.historyDefault = new StateNode[] {target};
    }

    /**
     * Resolves a target as written: {@code #id}, a path from the top ({@code a/b/c}), or a name.
     * An id is one given explicitly, else the state's path (which is its id when it has none of
     * its own). A name that several states have is the one nearest to {@code from}: a sibling,
     * else a child of its parent's parent, and so on outwards. Reports a problem and returns null
     * when none is.
     */
    private StateNode resolve(String target, StateNode from, String where) {
      if (target.startsWith("#")) {
        String id = target.substring(1);
        StateNode found = byId.get(id);
        if (found == null) {
          found = atPath(id, null);
        }
        if (found == null) {
          problems.add(where + ": no state has id '" + id + "'" + suggestion(id, byId.keySet()));
        }
        return found;
      }
      if (target.indexOf('/') >= 0) {
        return atPath(target, where);
      }
      List<StateNode> named = byName.get(target);
      if (named == null) {
        problems.add(where + ": target '" + target + "' is not a state"
            + suggestion(target, byName.keySet()));
        return null;
      }
      if (named.size() == 1) {
        return named.get(0);
      }
      for (StateNode scope = from.parent; ; scope = scope.parent) {
        StateNode found = children.get(new ChildKey(scope == null ? -1 : scope.index, target));
        if (found != null) {
          return found;
        }
        if (scope == null) {
          break;
        }
      }
      problems.add(where + ": target '" + target + "' names " + named.size() + " states, none a"
          + " sibling of '" + from.pathUncached() + "' or of its ancestors; write its path (such as '"
          + named.get(0).pathUncached() + "') or give it an id and write '#id'");
      return null;
    }

    /** Two targets of one transition must lie in different regions of a parallel state. */
    private void checkTargetsCompatible(StateNode node, TransitionSpec<C> t, StateNode[] targets) {
      if (targets.length > MAX_TARGETS) {
        problems.add(where(node, t) + ": " + targets.length + " targets; one per region, at most "
            + MAX_TARGETS);
        return;
      }
      for (int a = 0; a < targets.length; a++) {
        for (int b = a + 1; b < targets.length; b++) {
          StateNode common = commonAncestor(targets[a].parent, targets[b].parent);
          boolean nested = targets[a] == targets[b] || targets[a].isDescendantOf(targets[b])
              || targets[b].isDescendantOf(targets[a]);
          if (nested || common == null || !common.isParallel()) {
            problems.add(where(node, t) + ": targets '" + targets[a].pathUncached() + "' and '"
                + targets[b].pathUncached() + "' cannot be active together; the targets of one"
                + " transition must lie in different regions of a parallel state");
          }
        }
      }
    }

    @SuppressWarnings("unchecked")
    private void createTransitions() {
      for (int i = 0; i < nodes.size(); i++) {
        StateNode node = nodes.get(i);
        List<TransitionNode> list = new ArrayList<>();
        // the state's calls, gathered once for all its onDone transitions
        Set<String> callIds = null;
        for (TransitionSpec<C> t : nodeSpecs.get(i).transitions()) {
          if (node.isFinal) {
            problems.add("final state '" + node.pathUncached() + "' has an outgoing transition ("
                + t.trigger() + "); a final state ends its parent");
          }
          TransitionNode compiled = new TransitionNode(node, t.trigger(),
              (Guard<Object, Object>) (Guard<?, ?>) t.guard(), actions(t.actions()));
          compiled.internal = t.internal();
          compiled.written = t;
          if (!t.targets().isEmpty()) {
            StateNode[] resolved = new StateNode[t.targets().size()];
            boolean all = true;
            for (int k = 0; k < resolved.length; k++) {
              resolved[k] = resolve(t.targets().get(k), node, where(node, t));
              all &= resolved[k] != null;
            }
            if (all) {
              compiled.targets = resolved;
              compiled.target = resolved[0];
              if (resolved.length > 1) {
                statechart = true;
                checkTargetsCompatible(node, t, resolved);
              }
              for (StateNode target : resolved) {
                if (target.isHistory()) {
                  statechart = true;
                }
                if (t.internal() && !target.isDescendantOf(node)) {
                  problems.add(where(node, t) + ": an internal transition must target a descendant"
                      + " of '" + node.pathUncached() + "', not '" + target.pathUncached() + "'");
                }
              }
            }
          }
          if (t.trigger() instanceof Trigger.OnStateDone && nodeSpecs.get(i).children().isEmpty()) {
            problems.add(where(node, t) + ": state '" + node.pathUncached() + "' has no children,"
                + " so it is never done; onDone belongs on a compound or parallel state");
          }
          boolean anyError = t.trigger() instanceof Trigger.OnError onError && onError.call() == null;
          if (anyError && t.target() == null) {
            problems.add(where(node, t) + ": an expected-error transition needs a target; an error"
                + " can strike in the middle of an entry or an exit, and only entering a state again"
                + " leaves a whole configuration (one scoped to a call's failure may stay)");
          } else if (anyError && t.internal()) {
            problems.add(where(node, t) + ": an expected-error transition cannot be internal; the"
                + " state whose entry failed must be exited and entered again to be whole");
          }
          String callOf = t.trigger() instanceof Trigger.OnDone onDone ? onDone.callId()
              : t.trigger() instanceof Trigger.OnError onError ? onError.call() : null;
          if (callOf != null) {
            if (callIds == null) {
              callIds = new HashSet<>();
              for (dev.stator.model.Invocation<C> call : nodeSpecs.get(i).invocations()) {
                callIds.add(call.id());
              }
            }
            if (!callIds.contains(callOf) && !rootCalls.contains(callOf)) {
              List<String> calls = nodeSpecs.get(i).invocations().stream()
                  .map(dev.stator.model.Invocation::id).toList();
              problems.add(where(node, t) + ": state '" + node.pathUncached() + "' makes no call '"
                  + callOf + "'; its calls are " + calls + suggestion(callOf, calls));
            }
          }
          if (t.trigger() instanceof Trigger.After after) {
            if (after.delay().isNegative()) {
              problems.add(where(node, t) + ": the delay must be zero or more, not "
                  + after.delay());
            }
            compiled.delayNanos = saturatedNanos(after.delay());
            compiled.timeout = new Timeout(node.name, after.delay());
          }
          list.add(compiled);
        }
        transitions.put(node, list);
        for (dev.stator.model.Invocation<C> call : nodeSpecs.get(i).invocations()) {
          StateNode earlier = callOwners.putIfAbsent(call.id(), node);
          if (earlier != null || rootCalls.contains(call.id())) {
            problems.add("state '" + node.pathUncached() + "' makes a call named '" + call.id()
                + "', as " + (earlier == node ? "it does already" : earlier == null
                    ? "the machine's root does" : "state '" + earlier.pathUncached() + "' does")
                + "; call names are unique in a machine, so that onDone finds the right one");
          }
        }
        if (node.isFinal && !nodeSpecs.get(i).invocations().isEmpty()) {
          problems.add("final state '" + node.pathUncached()
              + "' makes calls; a final state ends at once");
        }
      }
    }

    /** The ids of the root's calls, each checked to be unique. */
    private Set<String> rootCallIds() {
      Set<String> ids = new HashSet<>();
      for (dev.stator.model.Invocation<C> call : spec.invocations()) {
        if (!ids.add(call.id())) {
          problems.add("the machine's root makes two calls named '" + call.id() + "'; call"
              + " names are unique in a machine, so that onDone finds the right one");
        }
      }
      return ids;
    }

    /** Where a transition is, for its problems: made only when there is one. */
    private String where(StateNode node, TransitionSpec<C> t) {
      return "state '" + node.pathUncached() + "', transition " + t.trigger();
    }

    /** " (in 'parent/path')" for a state inside {@code parent}, "" for a top-level one. */
    private static String in(StateNode parent) {
      return parent == null ? "" : " (in '" + parent.pathUncached() + "')";
    }

    /** Returns {@code "; did you mean 'x'?"} for the closest of {@code names}, or "". */
    private String suggestion(String wrong, Collection<String> names) {
      String best = suggestions.closest(wrong, names);
      return best == null ? "" : "; did you mean '" + best + "'?";
    }

    @SuppressWarnings("unchecked")
    private static <C> Action<Object, Object>[] actions(List<Action<C, Object>> actions) {
      return actions.toArray(new Action[0]);
    }

    @SuppressWarnings("unchecked")
    private static <C> dev.stator.model.Invocation<Object>[] invocations(
        List<dev.stator.model.Invocation<C>> invocations) {
      return invocations.toArray(new dev.stator.model.Invocation[0]);
    }

    private StateNode[] descent(StateNode node) {
      List<StateNode> path = new ArrayList<>();
      for (StateNode s = node.initial; s != null; s = s.initial) {
        path.add(s);
      }
      return path.toArray(new StateNode[0]);
    }

    private void resolvePaths(TransitionNode t) {
      if (t.target == null) {
        t.entryPath = new StateNode[0];
        return;
      }
      StateNode domain;
      if (t.internal && t.target.isDescendantOf(t.source)) {
        domain = t.source;
      } else {
        domain = commonAncestor(t.source.parent, t.target.parent);
      }
      t.domain = domain;
      long key = (long) t.target.index * (nodes.size() + 1)
          + (domain == null ? 0 : domain.index + 1);
      t.entryPath = entryPaths.computeIfAbsent(key, k -> {
        Deque<StateNode> down = new ArrayDeque<>();
        for (StateNode s = t.target; s != domain; s = s.parent) {
          down.addFirst(s);
        }
        return concat(down.toArray(new StateNode[0]), t.target.initialDescent);
      });
    }

    /** The deepest state that is or contains both {@code a} and {@code b}; null for the root. */
    private static StateNode commonAncestor(StateNode a, StateNode b) {
      while (a != null && b != null && a != b) {
        if (a.depth >= b.depth) {
          a = a.parent;
        } else {
          b = b.parent;
        }
      }
      return a == null || b == null ? null : a;
    }

    private void buildTables(StateNode node) {
      node.after = transitions.get(node).stream()
          .filter(t -> t.trigger instanceof Trigger.After).toArray(TransitionNode[]::new);
      node.entry = actions(nodeSpecs.get(node.index).entry());
      node.invocations = invocations(nodeSpecs.get(node.index).invocations());
      node.exit = actions(nodeSpecs.get(node.index).exit());
      if (node.isFinal && node.parent != null && node.output == null) {
        node.doneEvent = new dev.stator.StateDone(node.parent.id(), null);
      }
      for (StateNode child : node.children) {
        if (child.isHistory()) {
          node.historyChildren = java.util.Arrays.copyOf(node.historyChildren,
              node.historyChildren.length + 1);
          node.historyChildren[node.historyChildren.length - 1] = child;
        }
      }
      if (node.parent != null && node.after.length == transitions.get(node).size()) {
        // nothing of its own to dispatch: its candidates are its parent's, and so are the tables
        // (the parent's were built first, nodes being in document order). A copy per child would
        // cost the parent's transitions times its descendants.
        StateNode parent = node.parent;
        node.byValue = parent.byValue;
        node.enumClass = parent.enumClass;
        node.byOrdinal = parent.byOrdinal;
        node.byType = parent.byType;
        node.always = parent.always;
        node.onError = parent.onError;
        return;
      }
      List<TransitionNode> events = new ArrayList<>();
      List<TransitionNode> always = new ArrayList<>();
      List<TransitionNode> errors = new ArrayList<>();
      for (StateNode s = node; s != null; s = s.parent) {
        List<TransitionNode> matching = null;
        for (TransitionNode t : transitions.get(s)) {
          if (t.trigger instanceof Trigger.OnEventMatching) {
            if (matching == null) {
              matching = new ArrayList<>();
            }
            matching.add(t);
          } else if (t.trigger instanceof Trigger.OnEvent || t.trigger instanceof Trigger.OnType
              || t.trigger instanceof Trigger.OnDone || t.trigger instanceof Trigger.OnStateDone) {
            events.add(t);
          } else if (t.trigger instanceof Trigger.Always) {
            always.add(t);
          } else if (t.trigger instanceof Trigger.OnError) {
            errors.add(t);
          }
        }
        if (matching != null) {
          // after the state's other candidates, the longest descriptor first (XState v5)
          matching.sort(java.util.Comparator.comparingInt(
              t -> -((Trigger.OnEventMatching) t.trigger).descriptor().length()));
          events.addAll(matching);
        }
      }
      // one pass groups the transitions by the value they match; the ones that match by type are
      // merged into each value's list by position, so that each list keeps the order of events:
      // innermost first, then as written
      Map<Object, List<Integer>> equal = new LinkedHashMap<>();
      List<Integer> typed = new ArrayList<>();
      for (int i = 0; i < events.size(); i++) {
        TransitionNode t = events.get(i);
        if (t.trigger instanceof Trigger.OnEvent onEvent) {
          equal.computeIfAbsent(onEvent.event(), v -> new ArrayList<>(1)).add(i);
        } else if (t.trigger instanceof Trigger.OnStateDone) {
          // done events are looked up by their name (MachineRuntime.select)
          equal.computeIfAbsent(doneName(t.source), v -> new ArrayList<>(1)).add(i);
        } else {
          typed.add(i);
        }
      }
      // whether a type accepts a value depends only on the value's class
      Map<Class<?>, List<Integer>> typedByClass = new HashMap<>();
      Set<Object> values = equal.keySet();
      Map<Object, TransitionNode[]> byValue = new HashMap<>(equal.size() * 4 / 3 + 1);
      for (Map.Entry<Object, List<Integer>> entry : equal.entrySet()) {
        List<Integer> accepting = typed.isEmpty() ? List.of()
            : typedByClass.computeIfAbsent(entry.getKey().getClass(),
                c -> typed.stream().filter(i -> events.get(i).type.isAssignableFrom(c)).toList());
        if (!accepting.isEmpty() && entry.getKey() instanceof String name) {
          accepting = descriptorsFor(name, events, entry.getValue(), accepting);
        }
        byValue.put(entry.getKey(), merged(events, entry.getValue(), accepting));
      }
      node.byValue = byValue;
      // the declaring class: a constant with a body has an anonymous subclass of its own, which
      // has no constants; events of such constants take the per-value table instead
      Object firstValue = values.isEmpty() ? null : values.iterator().next();
      Class<?> enumClass = firstValue instanceof Enum<?> e ? e.getDeclaringClass() : null;
      for (Object value : values) {
        if (!(value instanceof Enum<?> constant) || constant.getDeclaringClass() != enumClass) {
          enumClass = null;
          break;
        }
      }
      if (enumClass != null) {
        node.enumClass = enumClass;
        node.byOrdinal = new TransitionNode[enumClass.getEnumConstants().length][];
        for (Map.Entry<Object, TransitionNode[]> entry : byValue.entrySet()) {
          node.byOrdinal[((Enum<?>) entry.getKey()).ordinal()] = entry.getValue();
        }
      }
      node.byType = typed.stream().map(events::get).toArray(TransitionNode[]::new);
      node.always = always.toArray(new TransitionNode[0]);
      node.onError = errors.toArray(new TransitionNode[0]);
    }

    /**
     * Drops from the typed candidates of a String value the event descriptors that do not match
     * it, those of a state that has a transition on the exact value (XState v5 tries a state's
     * descriptors only when it has none), and all of them for a done event's name, which the
     * machine raises as a {@code StateDone}, not a String.
     */
    private static List<Integer> descriptorsFor(String name, List<TransitionNode> events,
        List<Integer> exact, List<Integer> typed) {
      List<Integer> kept = new ArrayList<>(typed.size());
      for (int i : typed) {
        TransitionNode t = events.get(i);
        if (!(t.trigger instanceof Trigger.OnEventMatching matching)) {
          kept.add(i);
          continue;
        }
        boolean sourceHasExact = false;
        for (int e : exact) {
          TransitionNode x = events.get(e);
          if (x.source == t.source || x.trigger instanceof Trigger.OnStateDone) {
            sourceHasExact = true;
          }
        }
        if (!sourceHasExact && matching.matches(name)) {
          kept.add(i);
        }
      }
      return kept;
    }

    /** The name of the done event of {@code state}. */
    private static String doneName(StateNode state) {
      return "done.state." + state.id();
    }

    /** The transitions at the positions of two ascending lists, in the order of positions. */
    private static TransitionNode[] merged(List<TransitionNode> events, List<Integer> a,
        List<Integer> b) {
      TransitionNode[] out = new TransitionNode[a.size() + b.size()];
      int i = 0;
      int j = 0;
      for (int k = 0; k < out.length; k++) {
        boolean fromA = j == b.size() || (i < a.size() && a.get(i) < b.get(j));
        out[k] = events.get(fromA ? a.get(i++) : b.get(j++));
      }
      return out;
    }
  }

  private static StateNode[] concat(StateNode[] a, StateNode[] b) {
    StateNode[] out = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  public static long saturatedNanos(Duration d) {
    if (d.isNegative()) {
      return 0;
    }
    try {
      return d.toNanos();
    } catch (ArithmeticException overflow) {
      return Long.MAX_VALUE;
    }
  }
}
