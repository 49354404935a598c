package dev.stator.testing;

import dev.stator.Failure;
import dev.stator.Machine;
import dev.stator.MachineDefinition;
import dev.stator.MachineListener;
import dev.stator.StateSnapshot;
import dev.stator.Transition;
import dev.stator.model.Action;
import dev.stator.model.Guard;
import dev.stator.model.Invocation;
import dev.stator.model.MachineSpec;
import dev.stator.model.StateSpec;
import dev.stator.model.TransitionSpec;
import dev.stator.model.Trigger;
import dev.stator.testing.FaultPlan.Mode;
import dev.stator.testing.FaultPlan.Rule;
import dev.stator.testing.FaultPlan.Where;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Applies a {@link FaultPlan} to one definition: walks its {@link MachineSpec}, puts an injecting
 * callback in front of each site a rule names (or wraps the call), and compiles the result. One
 * counter per rule, made here, so each application counts afresh. Used once, on one thread.
 *
 * @param <C> the context type
 */
final class FaultRewriter<C> {
  private final List<Rule> rules;
  private final Map<Rule, AtomicInteger> counters = new IdentityHashMap<>();
  private final Set<Rule> matched = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
  private final List<String> problems = new ArrayList<>();

  FaultRewriter(List<Rule> rules) {
    this.rules = rules;
    for (Rule rule : rules) {
      counters.put(rule, new AtomicInteger());
    }
  }

  /** Starts every count again from zero: the next run of each site is its first. */
  void resetCounts() {
    counters.values().forEach(count -> count.set(0));
  }

  MachineDefinition<C> rewrite(MachineDefinition<C> definition) {
    MachineSpec<C> spec = definition.spec();
    List<StateSpec<C>> states = new ArrayList<>();
    for (StateSpec<C> state : spec.states()) {
      states.add(rewrite(state, state.name()));
    }
    for (Rule rule : rules) {
      if (rule.where() != Where.LISTENER && !matched.contains(rule)) {
        problems.add(missing(definition, rule));
      }
    }
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException("fault plan for machine '" + spec.id() + "': "
          + String.join("; ", problems));
    }
    return MachineDefinition.compile(spec.withStates(states));
  }

  private StateSpec<C> rewrite(StateSpec<C> state, String path) {
    List<StateSpec<C>> children = new ArrayList<>();
    for (StateSpec<C> child : state.children()) {
      children.add(rewrite(child, path + "/" + child.name()));
    }
    List<Action<C, Object>> entry = prepend(state.entry(), Where.ENTRY, path, null);
    List<Action<C, Object>> exit = prepend(state.exit(), Where.EXIT, path, null);
    List<TransitionSpec<C>> transitions = new ArrayList<>();
    for (TransitionSpec<C> transition : state.transitions()) {
      String event = eventName(transition.trigger());
      List<Action<C, Object>> actions =
          prepend(transition.actions(), Where.ACTION, path, event);
      Guard<C, Object> guard = guard(transition.guard(), path, event);
      transitions.add(new TransitionSpec<>(transition.trigger(), guard, transition.targets(),
          transition.internal(), actions));
    }
    List<Invocation<C>> invocations = new ArrayList<>();
    for (Invocation<C> invocation : state.invocations()) {
      invocations.add(call(invocation, path));
    }
    return new StateSpec<>(state.name(), state.id(), state.type(), state.initial(), children,
        entry, exit, transitions, invocations, state.output(), state.description(), state.tags());
  }

  /** How a plan names a transition's trigger: the event itself, or the trigger as it prints. */
  static String eventName(Trigger trigger) {
    if (trigger instanceof Trigger.OnEvent on) {
      return on.event() instanceof Enum<?> constant ? constant.name() : String.valueOf(on.event());
    }
    if (trigger instanceof Trigger.OnEventMatching matching) {
      return matching.descriptor();
    }
    if (trigger instanceof Trigger.OnType type) {
      return type.type().getSimpleName();
    }
    if (trigger instanceof Trigger.OnError error) {
      String name = error.errorType();
      return "error " + name.substring(Math.max(name.lastIndexOf('.'), name.lastIndexOf('$')) + 1)
          + (error.call() == null ? "" : " from " + error.call());
    }
    return trigger.toString();
  }

  private List<Rule> rulesAt(Where where, String path, String detail) {
    List<Rule> found = new ArrayList<>();
    for (Rule rule : rules) {
      if (rule.where() == where && rule.state().equals(path)
          && (detail == null || detail.equals(rule.detail()))) {
        found.add(rule);
        matched.add(rule);
      }
    }
    return found;
  }

  private List<Action<C, Object>> prepend(List<Action<C, Object>> actions, Where where,
      String path, String detail) {
    List<Rule> found = rulesAt(where, path, detail);
    if (found.isEmpty()) {
      return actions;
    }
    List<Action<C, Object>> all = new ArrayList<>();
    all.add((context, step) -> inject(found));
    all.addAll(actions);
    return all;
  }

  private Guard<C, Object> guard(Guard<C, Object> guard, String path, String event) {
    List<Rule> found = rulesAt(Where.GUARD, path, event);
    if (found.isEmpty()) {
      return guard;
    }
    return (context, step) -> {
      inject(found);
      return guard == null || guard.test(context, step);
    };
  }

  /**
   * Counts a run of the site and throws if a rule names it. Every rule of the site counts the run
   * before any throws, so a second rule at one site fails the run it names, not a later one.
   */
  private void inject(List<Rule> found) {
    Rule rule = failing(found);
    if (rule != null) {
      throw sneaky(errorOf(rule));
    }
  }

  /** The rule's run that fails, if this run is it; else null. Counts the run. */
  private Rule failing(List<Rule> found) {
    Rule failing = null;
    for (Rule rule : found) {
      if (counters.get(rule).incrementAndGet() == rule.run() && failing == null) {
        failing = rule;
      }
    }
    return failing;
  }

  static Throwable errorOf(Rule rule) {
    InjectedFaultException marker = new InjectedFaultException(rule.site(), rule.run());
    Throwable error = rule.error();
    if (error == null) {
      return marker;
    }
    if (InjectedFaultException.in(error).isEmpty()) {
      error.addSuppressed(marker);
    }
    return error;
  }

  private static Throwable timeoutOf(Rule rule) {
    TimeoutException timeout = new TimeoutException(rule.site() + " timed out");
    timeout.addSuppressed(new InjectedFaultException(rule.site(), rule.run()));
    return timeout;
  }

  @SuppressWarnings("unchecked")
  private static <T extends Throwable> RuntimeException sneaky(Throwable error) throws T {
    throw (T) error;
  }

  @SuppressWarnings("unchecked")
  private Invocation<C> call(Invocation<C> invocation, String path) {
    List<Rule> found = rulesAt(Where.CALL, path, invocation.id());
    if (found.isEmpty()) {
      return invocation;
    }
    for (Rule rule : found) {
      if (rule.mode() == Mode.NEVER_COMPLETE && invocation.kind() != Invocation.Kind.ASYNC) {
        problems.add("call '" + invocation.id() + "' of state '" + path + "' is "
            + invocation.kind() + ": only an asynchronous call can never complete; use"
            + " throwing() or timingOut()");
      }
    }
    boolean hasTimeout = invocation.timeout() != null;
    Object wrapped = switch (invocation.kind()) {
      case SYNC -> sync((Invocation.Sync<C, Object>) invocation.call(), found);
      case ASYNC -> async((Invocation.Async<C, Object>) invocation.call(), found, hasTimeout);
      case BLOCKING -> blocking((Invocation.Blocking<C, Object>) invocation.call(), found);
    };
    return new Invocation<>(invocation.id(), invocation.kind(), wrapped, invocation.timeout());
  }

  private Invocation.Sync<C, Object> sync(Invocation.Sync<C, Object> call, List<Rule> found) {
    return (context, step) -> {
      Rule rule = failing(found);
      if (rule != null) {
        throw sneaky(rule.mode() == Mode.TIME_OUT ? timeoutOf(rule) : errorOf(rule));
      }
      return call.call(context, step);
    };
  }

  private Invocation.Async<C, Object> async(Invocation.Async<C, Object> call, List<Rule> found,
      boolean hasTimeout) {
    return (context, step) -> {
      Rule rule = failing(found);
      if (rule == null) {
        return call.start(context, step);
      }
      return switch (rule.mode()) {
        case THROW -> throw sneaky(errorOf(rule));
        case COMPLETE_EXCEPTIONALLY -> CompletableFuture.failedFuture(errorOf(rule));
        case NEVER_COMPLETE -> new CompletableFuture<>();
        case TIME_OUT -> hasTimeout ? new CompletableFuture<>()
            : CompletableFuture.failedFuture(timeoutOf(rule));
      };
    };
  }

  private Invocation.Blocking<C, Object> blocking(Invocation.Blocking<C, Object> call,
      List<Rule> found) {
    return context -> {
      Rule rule = failing(found);
      if (rule == null) {
        return call.prepare(context);
      }
      if (rule.mode() == Mode.THROW) {
        throw sneaky(errorOf(rule));
      }
      Throwable error = rule.mode() == Mode.TIME_OUT ? timeoutOf(rule) : errorOf(rule);
      return () -> {
        throw sneaky(error);
      };
    };
  }

  /** The problem of a rule no site matched: what the definition has instead. */
  private static String missing(MachineDefinition<?> definition, Rule rule) {
    List<String> paths = definition.statePaths();
    if (!paths.contains(rule.state())) {
      return "no state '" + rule.state() + "' (" + rule.site() + "); its states are " + paths;
    }
    StateSpec<?> state = find(definition.spec().states(), rule.state());
    Set<String> has = new LinkedHashSet<>();
    if (rule.where() == Where.CALL) {
      state.invocations().forEach(invocation -> has.add(invocation.id()));
      return "state '" + rule.state() + "' has no call '" + rule.detail() + "'; its calls are "
          + has;
    }
    state.transitions().forEach(transition -> has.add(eventName(transition.trigger())));
    return "state '" + rule.state() + "' has no transition on '" + rule.detail()
        + "' (" + rule.site() + "); its transitions are on " + has;
  }

  private static StateSpec<?> find(List<? extends StateSpec<?>> states, String path) {
    int slash = path.indexOf('/');
    String first = slash < 0 ? path : path.substring(0, slash);
    for (StateSpec<?> state : states) {
      if (state.name().equals(first)) {
        return slash < 0 ? state : find(state.children(), path.substring(slash + 1));
      }
    }
    throw new IllegalStateException("no state " + path);
  }

  /** A listener whose n-th notification throws instead of reaching {@code listener}. */
  static <C> MachineListener<C> listener(MachineListener<C> listener, List<Rule> rules) {
    Map<Rule, AtomicInteger> counts = new IdentityHashMap<>();
    rules.forEach(rule -> counts.put(rule, new AtomicInteger()));
    Runnable count = () -> {
      // every rule counts the notification before one throws: each fails the one it names
      Rule failing = null;
      for (Rule rule : rules) {
        if (counts.get(rule).incrementAndGet() == rule.run() && failing == null) {
          failing = rule;
        }
      }
      if (failing != null) {
        throw sneaky(errorOf(failing));
      }
    };
    return new MachineListener<>() {
      @Override
      public void onTransition(Machine<C> machine, Transition transition) {
        count.run();
        listener.onTransition(machine, transition);
      }

      @Override
      public void onReset(Machine<C> machine, Failure failure) {
        count.run();
        listener.onReset(machine, failure);
      }

      @Override
      public void onTerminated(Machine<C> machine, StateSnapshot last) {
        count.run();
        listener.onTerminated(machine, last);
      }

      @Override
      public String toString() {
        return "faulty " + listener;
      }
    };
  }
}
