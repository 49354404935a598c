package dev.stator.dsl.json;

import dev.stator.MachineDefinition;
import dev.stator.RecoveryPolicy;
import dev.stator.UnhandledEventPolicy;
import dev.stator.dsl.internal.SpecTree;
import dev.stator.model.Action;
import dev.stator.model.Invocation;
import dev.stator.model.MachineSpec;
import dev.stator.model.StateSpec;
import dev.stator.model.TransitionSpec;
import dev.stator.model.Trigger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Writes a machine definition as a JSON document in Stator's format, which
 * {@link JsonMachineReader} reads back into a machine that behaves the same. What JSON cannot
 * express is refused, never approximated: see {@link #write}. Code is written by the
 * name it is bound to in {@link Bindings}, found by identity: a definition can be written when
 * every action, guard, call, context factory and hook it uses was taken from the same bindings (as
 * in every definition read from JSON).
 *
 * <p><b>Thread-safety:</b> stateless; safe from any thread.
 */
public final class JsonMachineWriter {

  private JsonMachineWriter() {}

  /**
   * Writes a definition.
   *
   * @param definition the definition
   * @param bindings the bindings its code came from
   * @return the document, indented with two spaces
   * @throws IllegalArgumentException listing everything JSON cannot express: events that are not
   *     strings (or are empty), events matched by type, asynchronous or blocking calls without a
   *     timeout, code with no name in {@code bindings}, deciding policies, done data
   *     ({@code output}) computed by Java code, targets JSON cannot name unambiguously. The
   *     params, input and output a document wrote, and what its root wrote (type, entry, exit,
   *     delays, output), are written back as they were read.
   */
  public static String write(MachineDefinition<?> definition, Bindings<?> bindings) {
    Objects.requireNonNull(definition, "definition");
    Objects.requireNonNull(bindings, "bindings");
    Writer writer = new Writer(bindings);
    Map<String, Object> document = writer.machine(definition.spec());
    if (!writer.problems.isEmpty()) {
      throw new IllegalArgumentException("machine '" + definition.id() + "' cannot be written as JSON:\n  "
          + String.join("\n  ", writer.problems));
    }
    return JsonPrinter.write(document) + "\n";
  }

  private static final class Writer {
    final Bindings<?> bindings;
    final List<String> problems = new ArrayList<>();
    /** The states, to find which state each target names and write it the shortest clear way. */
    SpecTree tree;
    String machineId;
    /** What the root writes as a state, found in the top-level states ({@link RootState}). */
    final List<Action<?, ?>> rootEntry = new ArrayList<>();
    final Map<String, List<Object>> rootAfter = new LinkedHashMap<>();
    /** The events of the root's timers, and the key each is written under. */
    final Map<String, String> rootTimers = new LinkedHashMap<>();
    /** The top-level state whose transitions of the root's timers are written at the root. */
    StateSpec<?> rootAfterFrom;
    /** The ids of the root's calls, whose done and error transitions every top-level state has. */
    final java.util.Set<String> rootCallIds = new java.util.HashSet<>();
    /** The top-level state whose transitions of the root's calls are written at the root. */
    StateSpec<?> rootCallsFrom;
    final Map<String, List<Object>> rootDone = new LinkedHashMap<>();
    final Map<String, List<Object>> rootCallErrors = new LinkedHashMap<>();

    Writer(Bindings<?> bindings) {
      this.bindings = bindings;
    }

    Map<String, Object> machine(MachineSpec<?> spec) {
      Map<String, Object> root = new LinkedHashMap<>();
      root.put("id", spec.id());
      if (spec.parallel()) {
        root.put("type", "parallel");
      } else {
        root.put("initial", spec.initial());
      }
      if (spec.unhandledEvents() != UnhandledEventPolicy.IGNORE) {
        root.put("unhandled", spec.unhandledEvents().name().toLowerCase(Locale.ROOT));
      }
      if (!(spec.recovery() instanceof RecoveryPolicy.Exit)) {
        root.put("recovery", policy(spec.recovery(), "recovery"));
      }
      tree = SpecTree.of(spec.states());
      machineId = spec.id();
      spec.invocations().forEach(call -> rootCallIds.add(call.id()));
      // the timers' starts are on one top-level state: the initial one, or a parallel root's first
      for (StateSpec<?> state : spec.states()) {
        for (Action<?, ?> action : state.entry()) {
          if (action instanceof RootState.StartTimer<?> timer) {
            rootTimers.put(timer.event(), timer.key());
          }
        }
      }
      Map<String, Object> states = states(spec.states(), null);
      if (!rootEntry.isEmpty()) {
        root.put("entry", actions(rootEntry, "the root's entry"));
      }
      if (!spec.exit().isEmpty()) {
        root.put("exit", actions(new ArrayList<>(spec.exit()), "the root's exit"));
      }
      if (!rootAfter.isEmpty()) {
        root.put("after", new LinkedHashMap<>(rootAfter));
      }
      if (!spec.invocations().isEmpty()) {
        root.put("invoke", invokes(spec.invocations(), rootDone, rootCallErrors, "the root"));
      }
      if (spec.output() instanceof BoundCode.StaticOutput<?> written) {
        root.put("output", written.value());
      } else if (spec.output() != null) {
        problems.add("the machine's output is Java code and has no JSON form");
      }
      root.put("states", states);
      return root;
    }

    /**
     * Takes out of a top-level state what {@link RootState} gave it from the root: the root's
     * entry actions into {@link #rootEntry}, its timers' starts dropped. Returns the state's own
     * entry actions.
     */
    private List<Action<?, ?>> ownEntry(StateSpec<?> state) {
      List<Action<?, ?>> entry = new ArrayList<>();
      for (Action<?, ?> action : state.entry()) {
        if (action instanceof RootState.AtStart<?> atStart) {
          rootEntry.add(atStart.action());
        } else if (!(action instanceof RootState.StartTimer<?>)) {
          entry.add(action);
        }
      }
      return entry;
    }

    Map<String, Object> states(List<? extends StateSpec<?>> states, SpecTree.Node parent) {
      Map<String, Object> out = new LinkedHashMap<>();
      for (StateSpec<?> state : states) {
        SpecTree.Node node = parent == null ? tree.topLevel(state.name()) : parent.child(state.name());
        out.put(state.name(), state(state, node));
      }
      return out;
    }

    /** The root's call a done or call-scoped error trigger is about, or null. */
    private String rootCallOf(Trigger trigger) {
      String call = trigger instanceof Trigger.OnDone onDone ? onDone.callId()
          : trigger instanceof Trigger.OnError onError ? onError.call() : null;
      return call != null && rootCallIds.contains(call) ? call : null;
    }

    /** Writes calls with their done and error transitions, taken out of {@code done} and errors. */
    private List<Object> invokes(List<? extends Invocation<?>> invocations,
        Map<String, List<Object>> done, Map<String, List<Object>> callErrors, String where) {
      List<Object> invokes = new ArrayList<>();
      for (Invocation<?> invocation : invocations) {
        Map<String, Object> invoke = new LinkedHashMap<>();
        String src = bindings.nameOf(Bindings.Kind.CALL, invocation.call());
        if (src == null) {
          problems.add(where + ": call '" + invocation.id() + "' has no name in the bindings");
        }
        invoke.put("src", src);
        invoke.put("id", invocation.id());
        if (invocation.call() instanceof BoundCode.WithInput call
            && !call.input().equals(JsonValue.EMPTY)) {
          invoke.put("input", call.input());
        }
        if (invocation.idempotent()) {
          invoke.put("idempotent", true);
        }
        if (invocation.timeout() != null) {
          invoke.put("timeout", duration(invocation.timeout()));
        } else if (invocation.kind() != Invocation.Kind.SYNC) {
          problems.add(where + ": call '" + invocation.id() + "' is " + invocation.kind()
              .name().toLowerCase(Locale.ROOT) + " without a timeout; JSON requires one");
        }
        List<Object> onDone = done.remove(invocation.id());
        if (onDone != null) {
          invoke.put("onDone", onDone);
        }
        List<Object> onCallError = callErrors.remove(invocation.id());
        if (onCallError != null) {
          invoke.put("onError", onCallError);
        }
        invokes.add(invoke);
      }
      return invokes;
    }

    Map<String, Object> state(StateSpec<?> state, SpecTree.Node node) {
      String where = "state " + node.path();
      Map<String, Object> out = new LinkedHashMap<>();
      switch (state.type()) {
        case FINAL -> out.put("type", "final");
        case PARALLEL -> out.put("type", "parallel");
        case SHALLOW_HISTORY, DEEP_HISTORY -> {
          out.put("type", "history");
          out.put("history", state.type() == StateSpec.Type.DEEP_HISTORY ? "deep" : "shallow");
        }
        case NORMAL -> { }
      }
      if (state.id() != null) {
        out.put("id", state.id());
      }
      if (!state.tags().isEmpty()) {
        out.put("tags", state.tags());
      }
      if (state.isHistory() && state.initial() != null) {
        out.put("target", target(state.initial(), node, where));
      }
      if (state.output() instanceof BoundCode.StaticOutput<?> written) {
        out.put("output", written.value());
      } else if (state.output() != null) {
        problems.add(where + ": done data (output) is Java code and has no JSON form");
      }
      if (state.description() != null) {
        out.put("description", state.description());
      }
      List<Action<?, ?>> exit = new ArrayList<>(state.exit());
      List<Action<?, ?>> entry = node.parent() == null ? ownEntry(state)
          : List.copyOf(state.entry());
      if (!entry.isEmpty()) {
        out.put("entry", actions(entry, where + " entry"));
      }
      if (!exit.isEmpty()) {
        out.put("exit", actions(exit, where + " exit"));
      }
      Map<String, List<Object>> on = new LinkedHashMap<>();
      Map<String, List<Object>> after = new LinkedHashMap<>();
      Map<String, List<Object>> done = new LinkedHashMap<>();
      Map<String, List<Object>> callErrors = new LinkedHashMap<>();
      List<Object> always = new ArrayList<>();
      List<Object> errors = new ArrayList<>();
      List<Object> stateDone = new ArrayList<>();
      for (TransitionSpec<?> t : state.transitions()) {
        Trigger trigger = t.trigger();
        String rootKey = node.parent() == null && trigger instanceof Trigger.OnEvent timer
            ? rootTimers.get(timer.event()) : null;
        if (rootKey != null) {
          if (rootAfterFrom == null) {
            rootAfterFrom = state;
          }
          boolean fallback = t.isTargetless() && t.guard() == null && t.actions().isEmpty();
          if (rootAfterFrom == state && !fallback) {
            rootAfter.computeIfAbsent(rootKey, k -> new ArrayList<>())
                .add(atRoot(transition(t, node, where)));
          }
          continue;
        }
        String rootCall = node.parent() == null ? rootCallOf(trigger) : null;
        if (rootCall != null) {
          // given by the root to every top-level state: written once, under the root's invoke
          if (rootCallsFrom == null) {
            rootCallsFrom = state;
          }
          if (rootCallsFrom == state) {
            Map<String, Object> written = atRoot(transition(t, node, where));
            if (trigger instanceof Trigger.OnError onError) {
              Map<String, Object> withError = new LinkedHashMap<>();
              withError.put("error", onError.errorType());
              withError.putAll(written);
              written = withError;
            }
            (trigger instanceof Trigger.OnDone ? rootDone : rootCallErrors)
                .computeIfAbsent(rootCall, k -> new ArrayList<>()).add(written);
          }
          continue;
        }
        Map<String, Object> written = transition(t, node, where);
        if (trigger instanceof Trigger.OnEvent onEvent) {
          if (onEvent.event() instanceof String name && name.isEmpty()) {
            problems.add(where + ": an event named by the empty string has no JSON form");
          } else if (onEvent.event() instanceof String name) {
            on.computeIfAbsent(name, k -> new ArrayList<>()).add(written);
          } else {
            problems.add(where + ": event " + onEvent.event() + " is a "
                + onEvent.event().getClass().getName() + "; JSON machines receive String events");
          }
        } else if (trigger instanceof Trigger.OnEventMatching matching) {
          on.computeIfAbsent(matching.descriptor(), k -> new ArrayList<>()).add(written);
        } else if (trigger instanceof Trigger.After delayed) {
          after.computeIfAbsent(duration(delayed.delay()), k -> new ArrayList<>()).add(written);
        } else if (trigger instanceof Trigger.Always) {
          always.add(written);
        } else if (trigger instanceof Trigger.OnDone onDone) {
          done.computeIfAbsent(onDone.callId(), k -> new ArrayList<>()).add(written);
        } else if (trigger instanceof Trigger.OnStateDone) {
          stateDone.add(written);
        } else if (trigger instanceof Trigger.OnError onError) {
          Map<String, Object> withError = new LinkedHashMap<>();
          withError.put("error", onError.errorType());
          withError.putAll(written);
          if (onError.call() == null) {
            errors.add(withError);
          } else {
            callErrors.computeIfAbsent(onError.call(), k -> new ArrayList<>()).add(withError);
          }
        } else {
          problems.add(where + ": " + trigger + " cannot be written as JSON (events are matched by"
              + " name there, not by type)");
        }
      }
      if (!on.isEmpty()) {
        Map<String, Object> events = new LinkedHashMap<>();
        on.forEach((event, list) -> events.put(event, list));
        out.put("on", events);
      }
      if (!after.isEmpty()) {
        Map<String, Object> delays = new LinkedHashMap<>();
        after.forEach((delay, list) -> delays.put(delay, list));
        out.put("after", delays);
      }
      if (!always.isEmpty()) {
        out.put("always", always);
      }
      if (!state.invocations().isEmpty()) {
        out.put("invoke", invokes(state.invocations(), done, callErrors, where));
      }
      if (!done.isEmpty()) {
        problems.add(where + ": onDone for calls it does not make: " + done.keySet());
      }
      if (!callErrors.isEmpty()) {
        problems.add(where + ": onError for calls it does not make: " + callErrors.keySet());
      }
      if (!errors.isEmpty()) {
        out.put("onError", errors);
      }
      if (!stateDone.isEmpty()) {
        out.put("onDone", stateDone);
      }
      if (state.isCompound()) {
        out.put("initial", state.initial());
      }
      if (!state.children().isEmpty()) {
        out.put("states", states(state.children(), node));
      }
      return out;
    }

    Map<String, Object> transition(TransitionSpec<?> t, SpecTree.Node source, String where) {
      Map<String, Object> out = new LinkedHashMap<>();
      if (!t.targets().isEmpty()) {
        List<Object> targets = new ArrayList<>();
        for (String target : t.targets()) {
          targets.add(target(target, source, where));
        }
        out.put("target", targets.size() == 1 ? targets.get(0) : targets);
      }
      if (t.guard() != null) {
        String guard = bindings.nameOf(Bindings.Kind.GUARD, t.guard());
        if (guard == null) {
          problems.add(where + ": a guard of '" + t + "' has no name in the bindings");
        }
        out.put("guard", t.guard() instanceof BoundCode.ParamGuard<?> withParams
            ? withParams(guard, withParams.params()) : guard);
      }
      if (!t.actions().isEmpty()) {
        out.put("actions", actions(t.actions(), where + " " + t));
      }
      // XState v5's default: a target inside the source (or the source itself) does not exit and
      // re-enter the source, which is the engine's internal transition; only external ones say so
      if (!t.internal() && !t.targets().isEmpty() && !(t.trigger() instanceof Trigger.OnError)
          && allWithin(t, source)) {
        out.put("reenter", true);
      }
      return out;
    }

    /**
     * A transition written at the root exits the active top-level state whatever it says (the
     * root is its domain); {@code "reenter": true} there would ask XState to exit and enter the
     * root itself too, which the reader refuses when the root has actions.
     */
    private static Map<String, Object> atRoot(Map<String, Object> written) {
      written.remove("reenter");
      return written;
    }

    private boolean allWithin(TransitionSpec<?> t, SpecTree.Node source) {
      for (String target : t.targets()) {
        SpecTree.Node state = tree.resolve(target, source);
        if (state == null || !state.isWithin(source)) {
          return false;
        }
      }
      return true;
    }

    /**
     * A target as the reader reads it back to the same state: the bare name where it resolves
     * there from the source (most targets), else {@code "#id"}, else the path from the top
     * starting with the machine's id ({@code "#machine.a.b"}).
     */
    String target(String target, SpecTree.Node source, String where) {
      SpecTree.Node state = tree.resolve(target, source);
      if (state == null) {
        problems.add(where + ": target '" + target + "' is not a state");
        return target;
      }
      if (tree.resolveName(state.name(), source) == state) {
        return state.name();
      }
      if (state.spec().id() != null) {
        return "#" + state.spec().id();
      }
      // "#x.a" starts at the state with id x (or the only state named x) before the machine
      if (machineId.contains(".") || machineId.contains("#") || tree.byId(machineId) != null
          || tree.named(machineId).size() == 1) {
        problems.add(where + ": target '" + state.path() + "' has a name other states have too, and"
            + " no id; with the machine's id '" + machineId + "' its path cannot be written"
            + " either: give the state an id");
        return target;
      }
      return "#" + machineId + "." + state.path().replace('/', '.');
    }

    List<Object> actions(List<? extends Action<?, ?>> actions, String where) {
      List<Object> names = new ArrayList<>();
      for (Action<?, ?> action : actions) {
        String name = bindings.nameOf(Bindings.Kind.ACTION, action);
        if (name == null) {
          problems.add(where + ": an action has no name in the bindings");
        }
        names.add(action instanceof BoundCode.ParamAction<?> withParams
            ? withParams(name, withParams.params()) : name);
      }
      return names;
    }

    /** A name and its params, as XState v5 writes them; the bare name when there are none. */
    private Object withParams(String name, JsonValue params) {
      if (params.equals(JsonValue.EMPTY)) {
        return name;
      }
      Map<String, Object> object = new LinkedHashMap<>();
      object.put("type", name);
      object.put("params", params);
      return object;
    }

    Object policy(RecoveryPolicy<?> policy, String where) {
      Map<String, Object> out = new LinkedHashMap<>();
      if (policy instanceof RecoveryPolicy.Exit) {
        return "exit";
      } else if (policy instanceof RecoveryPolicy.Reset<?> reset) {
        out.put("type", "reset");
        out.put("context", named(Bindings.Kind.CONTEXT, reset.freshContext(), where + " context"));
        Map<String, Object> atMost = new LinkedHashMap<>();
        atMost.put("restarts", reset.maxRestarts());
        atMost.put("within", duration(reset.within()));
        out.put("atMost", atMost);
        if (!reset.minBackoff().isZero()) {
          Map<String, Object> backoff = new LinkedHashMap<>();
          backoff.put("min", duration(reset.minBackoff()));
          backoff.put("max", duration(reset.maxBackoff()));
          out.put("backoff", backoff);
        }
        if (reset.jitterFraction() > 0) {
          out.put("jitter", reset.jitterFraction());
        }
        if (reset.hook() != null) {
          out.put("onReset", named(Bindings.Kind.HOOK, reset.hook(), where + " onReset"));
        }
        if (!(reset.next() instanceof RecoveryPolicy.Exit)) {
          out.put("then", policy(reset.next(), where + " then"));
        }
      } else if (policy instanceof RecoveryPolicy.Shutdown<?> shutdown) {
        out.put("type", "shutdown");
        out.put("hook", named(Bindings.Kind.HOOK, shutdown.hook(), where + " hook"));
        out.put("deadline", duration(shutdown.deadline()));
      } else if (policy instanceof RecoveryPolicy.ByCause<?> byCause) {
        out.put("type", "byError");
        List<Object> cases = new ArrayList<>();
        byCause.cases().forEach((type, casePolicy) -> {
          Map<String, Object> written = new LinkedHashMap<>();
          written.put("error", type);
          written.put("policy", policy(casePolicy, where + " case " + type));
          cases.add(written);
        });
        out.put("cases", cases);
        if (!(byCause.fallback() instanceof RecoveryPolicy.Exit)) {
          out.put("otherwise", policy(byCause.fallback(), where + " otherwise"));
        }
      } else {
        problems.add(where + ": a " + policy.getClass().getSimpleName() + " policy is Java code and"
            + " has no JSON form");
      }
      return out;
    }

    String named(Bindings.Kind kind, Object function, String where) {
      String name = bindings.nameOf(kind, function);
      if (name == null) {
        problems.add(where + ": the " + kind.label + " has no name in the bindings");
      }
      return name;
    }
  }

  /** Writes a duration as the reader reads it: whole seconds or milliseconds, else ISO-8601. */
  static String duration(Duration duration) {
    if (duration.getNano() % 1_000_000 != 0) {
      return duration.toString();
    }
    long millis = duration.toMillis();
    return millis % 1000 == 0 ? millis / 1000 + "s" : millis + "ms";
  }
}
