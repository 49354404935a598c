package dev.stator.dsl.json;

import dev.stator.CallDone;
import dev.stator.RecoveryPolicy.RecoveryHook;
import dev.stator.RecoveryPolicy.ShutdownHook;
import dev.stator.StateDone;
import dev.stator.Step;
import dev.stator.dsl.ContextAction;
import dev.stator.dsl.ContextGuard;
import dev.stator.model.Action;
import dev.stator.model.Guard;
import dev.stator.model.Invocation;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * The Java code that JSON machine definitions may name: actions, guards, calls, named delays,
 * context factories and recovery hooks, each registered under a name. Actions, guards and calls
 * may take the data the document writes with them: an action's or a guard's {@code params}
 * ({@link ParameterizedAction}, {@link ParameterizedGuard}), a call's {@code input}
 * ({@link InputCall}). JSON refers to code only through these names;
 * it never names a class to load. A JSON name with no binding is a load error, and a binding that
 * no machine uses is reported as a warning.
 *
 * <pre>{@code
 * Bindings<Conn> bindings = Bindings.<Conn>builder()
 *     .action("openSocket", Conn::open)
 *     .guard("hasRetriesLeft", conn -> conn.retries < 5)
 *     .callAsync("dial", (conn, step) -> conn.dial())
 *     .context("freshConnection", Conn::new)
 *     .build();
 * }</pre>
 *
 * <p><b>Thread-safety:</b> immutable once built; share it between readers and threads. The
 * builder is not thread-safe.
 *
 * @param <C> the context type of the machines that use these bindings
 */
public final class Bindings<C> {

  /** The kinds of names, as they appear in messages. */
  enum Kind {
    ACTION("action"), GUARD("guard"), CALL("call"), DELAY("delay"), CONTEXT("context factory"),
    HOOK("hook");

    final String label;

    Kind(String label) {
      this.label = label;
    }
  }

  /**
   * A call binding: the function, how it runs, and whether it takes the invoke's input (an
   * {@link InputCall} function) or not (an {@link Invocation} function).
   */
  record Call(Invocation.Kind kind, Object function, boolean takesInput) {}

  /** A hook binding: the hook as a shutdown hook, and as a synchronous hook when it is one. */
  record Hook(ShutdownHook<Object> shutdown, RecoveryHook<Object> synchronous) {}

  private final Map<Kind, Map<String, Object>> bound;
  private final boolean bindsEverything;

  private Bindings(Map<Kind, Map<String, Object>> bound, boolean bindsEverything) {
    this.bound = bound;
    this.bindsEverything = bindsEverything;
  }

  /**
   * Starts a set of bindings.
   *
   * @param <C> the context type
   * @return the builder
   */
  public static <C> Builder<C> builder() {
    return new Builder<>();
  }

  /**
   * Returns bindings that answer every name with a no-op, for trying a machine out without its
   * code (the command-line tool's {@code simulate}): actions do nothing, guards hold, calls are
   * synchronous and return null, named delays are one second, context factories and hooks do
   * nothing. They take any {@code params} and {@code input}. Unused bindings are never reported
   * for them.
   *
   * @return the bindings
   */
  public static Bindings<Object> noOps() {
    return new Bindings<>(Map.of(), true);
  }

  private static final Action<Object, Object> NO_OP_ACTION = (context, step) -> { };
  private static final Guard<Object, Object> HOLDING_GUARD = (context, step) -> true;
  private static final Call NO_OP_CALL = new Call(Invocation.Kind.SYNC,
      (Invocation.Sync<Object, Object>) (context, step) -> null, false);
  private static final Duration NO_OP_DELAY = Duration.ofSeconds(1);
  private static final Supplier<Object> NEW_OBJECT = Object::new;
  private static final Hook NO_OP_HOOK = new Hook((context, failure) -> null, (context, failure) -> { });

  /** Returns what {@code name} is bound to as a {@code kind}, or null. */
  Object lookup(Kind kind, String name) {
    if (bindsEverything) {
      return switch (kind) {
        case ACTION -> NO_OP_ACTION;
        case GUARD -> HOLDING_GUARD;
        case CALL -> NO_OP_CALL;
        case DELAY -> NO_OP_DELAY;
        case CONTEXT -> NEW_OBJECT;
        case HOOK -> NO_OP_HOOK;
      };
    }
    return bound.getOrDefault(kind, Map.of()).get(name);
  }

  /** Returns the names bound as a {@code kind}, in registration order. */
  java.util.Set<String> names(Kind kind) {
    return bound.getOrDefault(kind, Map.of()).keySet();
  }

  /**
   * Returns the name under which {@code function} is bound as a {@code kind}, or null; a
   * callback made from a binding and its params or input ({@link BoundCode}) has its binding's
   * name.
   */
  String nameOf(Kind kind, Object function) {
    if (function instanceof BoundCode.ParamAction<?> action) {
      function = action.action();
    } else if (function instanceof BoundCode.ParamGuard<?> guard) {
      function = guard.guard();
    } else if (function instanceof BoundCode.WithInput call) {
      function = call.function();
    }
    for (Map.Entry<String, Object> entry : bound.getOrDefault(kind, Map.of()).entrySet()) {
      Object value = entry.getValue();
      boolean same = value instanceof Call call ? call.function() == function
          : value instanceof Hook hook ? hook.shutdown() == function || hook.synchronous() == function
          : value == function;
      if (same) {
        return entry.getKey();
      }
    }
    return null;
  }

  boolean bindsEverything() {
    return bindsEverything;
  }

  /**
   * Returns the done data of the step's event, for the guards and actions of {@code onDone}
   * transitions: the {@code output} of the final state whose parent is done (a {@link JsonValue}
   * when the document writes it), or the result of a call that completed. Null for any other
   * event, and for a final state without output.
   *
   * <pre>{@code
   * ParameterizedGuard<Order> paid = (order, step, params) ->
   *     ((JsonValue) Bindings.doneData(step)).bool("paid");
   * }</pre>
   *
   * @param step the step in progress
   * @return the done data, or null
   */
  public static Object doneData(Step<?> step) {
    Object event = step.event();
    return event instanceof StateDone done ? done.output()
        : event instanceof CallDone done ? done.value() : null;
  }

  @Override
  public String toString() {
    return bindsEverything ? "Bindings[no-ops]" : "Bindings" + bound;
  }

  /**
   * Collects bindings. Each name may be bound once per kind; calls share one namespace whatever
   * their mode, and so do hooks.
   *
   * @param <C> the context type
   */
  public static final class Builder<C> {
    private final Map<Kind, Map<String, Object>> bound = new LinkedHashMap<>();

    private Builder() {}

    private Builder<C> put(Kind kind, String name, Object value) {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(value, kind.label);
      String article = "aeiou".indexOf(kind.label.charAt(0)) >= 0 ? "an " : "a ";
      if (name.isBlank()) {
        throw new IllegalArgumentException("cannot bind " + article + kind.label + " to the blank name \""
            + name + "\": JSON refers to it by name, so the name must have a visible character");
      }
      Map<String, Object> names = bound.computeIfAbsent(kind, k -> new LinkedHashMap<>());
      if (names.containsKey(name)) {
        throw new IllegalArgumentException("the name '" + name + "' is already bound to "
            + article + kind.label + "; each " + kind.label + " name is bound once");
      }
      names.put(name, value);
      return this;
    }

    /**
     * Binds an action that needs only the context.
     *
     * @param name the name JSON uses in {@code entry}, {@code exit} and {@code actions}
     * @param action the action
     * @return this builder
     */
    public Builder<C> action(String name, ContextAction<? super C> action) {
      return put(Kind.ACTION, name, action);
    }

    /**
     * Binds an action that also uses the step (to read the event, raise events, start timers).
     *
     * @param name the name JSON uses in {@code entry}, {@code exit} and {@code actions}
     * @param action the action
     * @return this builder
     */
    public Builder<C> action(String name, Action<C, Object> action) {
      return put(Kind.ACTION, name, action);
    }

    /**
     * Binds an action that receives the {@code params} written with each use of its name
     * (XState v5's {@code { "type": name, "params": { … } }}); a use without params passes
     * {@link JsonValue#EMPTY}. Only such an action may be written with params: params given to an
     * action bound without them are an error of the document, never dropped.
     *
     * @param name the name JSON uses in {@code entry}, {@code exit} and {@code actions}
     * @param action the action
     * @return this builder
     */
    public Builder<C> action(String name, ParameterizedAction<? super C> action) {
      return put(Kind.ACTION, name, action);
    }

    /**
     * Binds a guard that needs only the context.
     *
     * @param name the name JSON uses in {@code guard}
     * @param guard the condition
     * @return this builder
     */
    public Builder<C> guard(String name, ContextGuard<? super C> guard) {
      return put(Kind.GUARD, name, guard);
    }

    /**
     * Binds a guard that also looks at the step's event.
     *
     * @param name the name JSON uses in {@code guard}
     * @param guard the condition
     * @return this builder
     */
    public Builder<C> guard(String name, Guard<C, Object> guard) {
      return put(Kind.GUARD, name, guard);
    }

    /**
     * Binds a guard that receives the {@code params} written with each use of its name; a use
     * without params passes {@link JsonValue#EMPTY}. Only such a guard may be written with params.
     *
     * @param name the name JSON uses in {@code guard}
     * @param guard the condition
     * @return this builder
     */
    public Builder<C> guard(String name, ParameterizedGuard<? super C> guard) {
      return put(Kind.GUARD, name, guard);
    }

    /**
     * Binds a named delay, for {@code after} keys that are names rather than durations (XState's
     * {@code after: { "shortDelay": … }}). A name that reads as a duration (such as
     * {@code "5s"} or {@code "1000"}) cannot be bound: the document's key would mean the
     * duration.
     *
     * @param name the name JSON uses as an {@code after} key
     * @param delay how long, zero or more
     * @return this builder
     * @throws IllegalArgumentException for a negative delay, or a name that reads as a duration
     */
    public Builder<C> delay(String name, Duration delay) {
      Objects.requireNonNull(delay, "delay");
      if (delay.isNegative()) {
        throw new IllegalArgumentException("delay '" + name + "' cannot be negative: " + delay);
      }
      if (name != null && DurationText.readsAsDuration(name)) {
        throw new IllegalArgumentException("cannot bind a delay to the name \"" + name + "\": it"
            + " reads as a duration, which is what an \"after\" key of that name means");
      }
      return put(Kind.DELAY, name, delay);
    }

    /**
     * Binds a synchronous call, run on the loop thread at entry.
     *
     * @param name the name JSON uses in {@code invoke.src}
     * @param call the call
     * @param <R> the call's result type, any type: the result reaches the machine as a
     *     {@link dev.stator.CallDone} value
     * @return this builder
     */
    public <R> Builder<C> call(String name, Invocation.Sync<? super C, R> call) {
      return put(Kind.CALL, name, new Call(Invocation.Kind.SYNC, Objects.requireNonNull(call, "call"),
          false));
    }

    /**
     * Binds a synchronous call that receives its invoke's {@code input}.
     *
     * @param name the name JSON uses in {@code invoke.src}
     * @param call the call
     * @param <R> the call's result type
     * @return this builder
     */
    public <R> Builder<C> call(String name, InputCall.Sync<? super C, R> call) {
      return put(Kind.CALL, name, new Call(Invocation.Kind.SYNC, Objects.requireNonNull(call, "call"),
          true));
    }

    /**
     * Binds an asynchronous call: started on the loop thread, completing later. JSON must give
     * its {@code invoke} a timeout.
     *
     * @param name the name JSON uses in {@code invoke.src}
     * @param call the call, which may return a stage of any result type (a
     *     {@code CompletionStage<String>}, say)
     * @param <R> the call's result type
     * @return this builder
     */
    public <R> Builder<C> callAsync(String name, Invocation.Async<? super C, R> call) {
      return put(Kind.CALL, name, new Call(Invocation.Kind.ASYNC, Objects.requireNonNull(call, "call"),
          false));
    }

    /**
     * Binds an asynchronous call that receives its invoke's {@code input}. JSON must give its
     * {@code invoke} a timeout.
     *
     * @param name the name JSON uses in {@code invoke.src}
     * @param call the call
     * @param <R> the call's result type
     * @return this builder
     */
    public <R> Builder<C> callAsync(String name, InputCall.Async<? super C, R> call) {
      return put(Kind.CALL, name, new Call(Invocation.Kind.ASYNC, Objects.requireNonNull(call, "call"),
          true));
    }

    /**
     * Binds a blocking call: prepared on the loop thread, run on the loop's blocking executor.
     * JSON must give its {@code invoke} a timeout.
     *
     * @param name the name JSON uses in {@code invoke.src}
     * @param call the call, which may prepare work of any result type (a
     *     {@code Callable<String>}, say)
     * @param <R> the call's result type
     * @return this builder
     */
    public <R> Builder<C> callBlocking(String name, Invocation.Blocking<? super C, R> call) {
      return put(Kind.CALL, name,
          new Call(Invocation.Kind.BLOCKING, Objects.requireNonNull(call, "call"), false));
    }

    /**
     * Binds a blocking call that receives its invoke's {@code input}. JSON must give its
     * {@code invoke} a timeout.
     *
     * @param name the name JSON uses in {@code invoke.src}
     * @param call the call
     * @param <R> the call's result type
     * @return this builder
     */
    public <R> Builder<C> callBlocking(String name, InputCall.Blocking<? super C, R> call) {
      return put(Kind.CALL, name,
          new Call(Invocation.Kind.BLOCKING, Objects.requireNonNull(call, "call"), true));
    }

    /**
     * Binds a factory of fresh contexts, for reset policies.
     *
     * @param name the name JSON uses in a reset policy's {@code context}
     * @param factory makes a fresh context
     * @return this builder
     */
    public Builder<C> context(String name, Supplier<? extends C> factory) {
      return put(Kind.CONTEXT, name, factory);
    }

    /**
     * Binds a hook that runs on the loop thread and is done when it returns: for a shutdown
     * policy's {@code hook} or a reset policy's {@code onReset}.
     *
     * @param name the name JSON uses
     * @param hook the hook
     * @return this builder
     */
    @SuppressWarnings("unchecked")
    public Builder<C> hook(String name, RecoveryHook<? super C> hook) {
      Objects.requireNonNull(hook, "hook");
      RecoveryHook<Object> synchronous = (RecoveryHook<Object>) hook;
      // the same adapter RecoveryPolicy.shutdown makes, built once so that exports find it again
      ShutdownHook<Object> shutdown = (context, failure) -> {
        synchronous.run(context, failure);
        return null;
      };
      return put(Kind.HOOK, name, new Hook(shutdown, synchronous));
    }

    /**
     * Binds a shutdown hook that may finish later, for a shutdown policy's {@code hook}.
     *
     * @param name the name JSON uses
     * @param hook the hook
     * @return this builder
     */
    @SuppressWarnings("unchecked")
    public Builder<C> asyncHook(String name, ShutdownHook<? super C> hook) {
      Objects.requireNonNull(hook, "hook");
      return put(Kind.HOOK, name, new Hook((ShutdownHook<Object>) hook, null));
    }

    /** {@return the bindings} */
    public Bindings<C> build() {
      Map<Kind, Map<String, Object>> copy = new LinkedHashMap<>();
      bound.forEach((kind, names) -> copy.put(kind, Collections.unmodifiableMap(new LinkedHashMap<>(names))));
      return new Bindings<>(Collections.unmodifiableMap(copy), false);
    }
  }
}
