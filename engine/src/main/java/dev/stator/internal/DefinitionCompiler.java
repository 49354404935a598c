package dev.stator.internal;

import dev.stator.DefinitionException;
import dev.stator.MachineDefinition;
import dev.stator.Timeout;
import dev.stator.model.Action;
import dev.stator.model.Guard;
import dev.stator.model.MachineSpec;
import dev.stator.model.StateSpec;
import dev.stator.model.Trigger;
import dev.stator.model.TransitionSpec;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
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
    private final Map<String, StateNode> byName = new LinkedHashMap<>();
    private final Map<StateNode, List<TransitionNode>> transitions = new HashMap<>();
    private final Map<String, String> callOwners = new HashMap<>();

    Compilation(MachineSpec<C> spec) {
      this.spec = spec;
    }

    private static final int MAX_STATES = (1 << 21) - 1;
    private static final int MAX_TRANSITIONS = (1 << 22) - 1;

    MachineDefinition<C> run() {
      if (spec.states().isEmpty()) {
        problems.add("the machine has no states");
      }
      createNodes(spec.states(), null);
      checkInitials();
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
          resolvePaths(t);
        }
      }
      for (StateNode node : nodes) {
        buildTables(node);
      }
      StateNode top = byName.get(spec.initial());
      StateNode[] initialPath = concat(new StateNode[] {top}, top.initialDescent);
      List<TransitionNode> all = new ArrayList<>();
      for (StateNode node : nodes) {
        for (TransitionNode t : transitions.get(node)) {
          t.index = all.size();
          all.add(t);
        }
      }
      return new CompiledDefinition<>(spec, nodes.toArray(new StateNode[0]),
          all.toArray(new TransitionNode[0]), initialPath, unreachable(initialPath));
    }

    private StateNode[] createNodes(List<StateSpec<C>> specs, StateNode parent) {
      List<StateNode> level = new ArrayList<>();
      for (StateSpec<C> state : specs) {
        String name = state.name();
        String where = parent == null ? "" : " (in '" + parent.path + "')";
        if (name.isBlank()) {
          problems.add("a state" + where + " has an empty name");
        } else if (name.indexOf('/') >= 0) {
          problems.add("state name '" + name + "'" + where + " contains '/', which separates paths");
        }
        StateNode node = new StateNode(nodes.size(), name, parent, state.finalState());
        StateNode earlier = byName.putIfAbsent(name, node);
        if (earlier != null) {
          problems.add("duplicate state name '" + name + "': at " + earlier.path + " and at "
              + node.path);
        }
        if (state.finalState() && state.isCompound()) {
          problems.add("final state '" + node.path + "' has children; a final state is atomic");
        }
        nodes.add(node);
        nodeSpecs.add(state);
        node.children = createNodes(state.children(), node);
        level.add(node);
      }
      return level.toArray(new StateNode[0]);
    }

    private void checkInitials() {
      List<String> topNames = spec.states().stream().map(StateSpec::name).toList();
      if (spec.initial() == null) {
        problems.add("the machine has no initial state; expected one of " + topNames);
      } else if (!topNames.contains(spec.initial())) {
        problems.add("the machine's initial state '" + spec.initial() + "' is not a top-level state;"
            + " expected one of " + topNames + suggestion(spec.initial(), topNames));
      }
      for (int i = 0; i < nodes.size(); i++) {
        StateNode node = nodes.get(i);
        StateSpec<C> state = nodeSpecs.get(i);
        List<String> childNames = state.children().stream().map(StateSpec::name).toList();
        if (state.isCompound()) {
          if (state.initial() == null) {
            problems.add("compound state '" + node.path + "' has no initial child; expected one of "
                + childNames);
          } else if (!childNames.contains(state.initial())) {
            problems.add("initial child '" + state.initial() + "' of state '" + node.path
                + "' is not one of its children " + childNames
                + suggestion(state.initial(), childNames));
          } else {
            node.initial = byName.get(state.initial());
          }
        } else if (state.initial() != null) {
          problems.add("state '" + node.path + "' names initial child '" + state.initial()
              + "' but has no children");
        }
      }
    }

    @SuppressWarnings("unchecked")
    private void createTransitions() {
      for (int i = 0; i < nodes.size(); i++) {
        StateNode node = nodes.get(i);
        List<TransitionNode> list = new ArrayList<>();
        for (TransitionSpec<C> t : nodeSpecs.get(i).transitions()) {
          String where = "state '" + node.path + "', transition " + t.trigger();
          if (node.isFinal) {
            problems.add("final state '" + node.path + "' has an outgoing transition ("
                + t.trigger() + "); a final state ends its parent");
          }
          TransitionNode compiled = new TransitionNode(node, t.trigger(),
              (Guard<Object, Object>) (Guard<?, ?>) t.guard(), actions(t.actions()));
          compiled.internal = t.internal();
          if (t.target() != null) {
            compiled.target = byName.get(t.target());
            if (compiled.target == null) {
              problems.add(where + ": target '" + t.target() + "' is not a state"
                  + suggestion(t.target(), byName.keySet()));
            } else if (t.internal() && !compiled.target.isDescendantOf(node)) {
              problems.add(where + ": an internal transition must target a descendant of '"
                  + node.path + "', not '" + compiled.target.path + "'");
            }
          }
          if (t.trigger() instanceof Trigger.OnError && t.target() == null) {
            problems.add(where + ": an expected-error transition needs a target; an error can"
                + " strike in the middle of an entry or an exit, and only entering a state again"
                + " leaves a whole configuration");
          } else if (t.trigger() instanceof Trigger.OnError && t.internal()) {
            problems.add(where + ": an expected-error transition cannot be internal; the state"
                + " whose entry failed must be exited and entered again to be whole");
          }
          if (t.trigger() instanceof Trigger.OnDone onDone) {
            List<String> calls = nodeSpecs.get(i).invocations().stream()
                .map(dev.stator.model.Invocation::id).toList();
            if (!calls.contains(onDone.callId())) {
              problems.add(where + ": state '" + node.path + "' makes no call '" + onDone.callId()
                  + "'; its calls are " + calls + suggestion(onDone.callId(), calls));
            }
          }
          if (t.trigger() instanceof Trigger.After after) {
            if (after.delay().isNegative()) {
              problems.add(where + ": the delay must be zero or more, not " + after.delay());
            }
            compiled.delayNanos = saturatedNanos(after.delay());
            compiled.timeout = new Timeout(node.name, after.delay());
          }
          list.add(compiled);
        }
        transitions.put(node, list);
        for (dev.stator.model.Invocation<C> call : nodeSpecs.get(i).invocations()) {
          String earlier = callOwners.putIfAbsent(call.id(), node.path);
          if (earlier != null) {
            problems.add("state '" + node.path + "' makes a call named '" + call.id() + "', as "
                + (earlier.equals(node.path) ? "it does already" : "state '" + earlier + "' does")
                + "; call names are unique in a machine, so that onDone finds the right one");
          }
        }
        if (node.isFinal && !nodeSpecs.get(i).invocations().isEmpty()) {
          problems.add("final state '" + node.path + "' makes calls; a final state ends at once");
        }
      }
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
        domain = t.source.parent;
        while (domain != null && !t.target.isDescendantOf(domain)) {
          domain = domain.parent;
        }
      }
      t.domain = domain;
      Deque<StateNode> down = new ArrayDeque<>();
      for (StateNode s = t.target; s != domain; s = s.parent) {
        down.addFirst(s);
      }
      t.entryPath = concat(down.toArray(new StateNode[0]), t.target.initialDescent);
    }

    private void buildTables(StateNode node) {
      List<TransitionNode> events = new ArrayList<>();
      List<TransitionNode> always = new ArrayList<>();
      List<TransitionNode> errors = new ArrayList<>();
      for (StateNode s = node; s != null; s = s.parent) {
        for (TransitionNode t : transitions.get(s)) {
          if (t.trigger instanceof Trigger.OnEvent || t.trigger instanceof Trigger.OnType
              || t.trigger instanceof Trigger.OnDone) {
            events.add(t);
          } else if (t.trigger instanceof Trigger.Always) {
            always.add(t);
          } else if (t.trigger instanceof Trigger.OnError) {
            errors.add(t);
          }
        }
      }
      Set<Object> values = new LinkedHashSet<>();
      for (TransitionNode t : events) {
        if (t.trigger instanceof Trigger.OnEvent onEvent) {
          values.add(onEvent.event());
        }
      }
      Map<Object, TransitionNode[]> byValue = new HashMap<>();
      for (Object value : values) {
        byValue.put(value, events.stream()
            .filter(t -> t.trigger instanceof Trigger.OnEvent onEvent
                ? onEvent.event().equals(value)
                : t.type.isInstance(value))
            .toArray(TransitionNode[]::new));
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
      node.byType = events.stream().filter(t -> t.type != null).toArray(TransitionNode[]::new);
      node.always = always.toArray(new TransitionNode[0]);
      node.onError = errors.toArray(new TransitionNode[0]);
      node.after = transitions.get(node).stream()
          .filter(t -> t.trigger instanceof Trigger.After).toArray(TransitionNode[]::new);
      node.entry = actions(nodeSpecs.get(node.index).entry());
      node.invocations = invocations(nodeSpecs.get(node.index).invocations());
      node.exit = actions(nodeSpecs.get(node.index).exit());
      if (node.isFinal && node.parent != null) {
        node.doneEvent = "done.state." + node.parent.name;
      }
    }

    private List<String> unreachable(StateNode[] initialPath) {
      Set<StateNode> reached = new LinkedHashSet<>();
      Deque<StateNode> work = new ArrayDeque<>();
      for (StateNode s : initialPath) {
        mark(s, reached, work);
      }
      while (!work.isEmpty()) {
        for (TransitionNode t : transitions.get(work.poll())) {
          if (t.target != null) {
            for (StateNode s = t.target; s != null; s = s.parent) {
              mark(s, reached, work);
            }
            for (StateNode s : t.target.initialDescent) {
              mark(s, reached, work);
            }
          }
        }
      }
      List<String> warnings = new ArrayList<>();
      for (StateNode node : nodes) {
        if (!reached.contains(node)) {
          warnings.add("state '" + Printable.escape(node.path) + "' is unreachable from the initial state");
        }
      }
      return warnings;
    }

    private static void mark(StateNode s, Set<StateNode> reached, Deque<StateNode> work) {
      if (reached.add(s)) {
        work.add(s);
      }
    }
  }

  private static StateNode[] concat(StateNode[] a, StateNode[] b) {
    StateNode[] out = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  static long saturatedNanos(Duration d) {
    if (d.isNegative()) {
      return 0;
    }
    try {
      return d.toNanos();
    } catch (ArithmeticException overflow) {
      return Long.MAX_VALUE;
    }
  }

  /** Returns {@code "; did you mean 'x'?"} for the closest of {@code names}, or "". */
  static String suggestion(String wrong, Collection<String> names) {
    String best = Names.closest(wrong, names);
    return best == null ? "" : "; did you mean '" + best + "'?";
  }
}
