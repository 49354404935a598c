package dev.stator.dsl;

import dev.stator.CallDone;
import dev.stator.StateDone;
import dev.stator.Timeout;
import dev.stator.model.Invocation;
import dev.stator.model.Action;
import dev.stator.model.Output;
import dev.stator.model.StateSpec;
import dev.stator.model.Trigger;
import dev.stator.model.TransitionSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Describes one state: its entry and exit actions, its transitions in priority order, and its
 * children. Not thread-safe.
 *
 * <p>Transitions are tried innermost state first, then in the order they are written; the first
 * whose guard holds is taken.
 *
 * <p>A state is atomic, compound (with {@link #state children} and an {@link #initial} one),
 * parallel (its children are regions, all active at once: {@link #parallel}), final, or a history
 * pseudo-state ({@link #history}, {@link #deepHistory}). Names are unique among siblings; a target
 * name is resolved from the source outwards (a sibling first), see {@link TransitionBuilder#goTo}.
 *
 * @param <S> the type that names states
 * @param <C> the context type
 */
public final class StateBuilder<S, C> {
  private final String name;
  private final StateSpec.Type type;
  private String id;
  /** The initial child of a compound state; the default target of a history state. */
  private String initial;
  private Output<C> output;
  private String description;
  private final List<StateBuilder<S, C>> children = new ArrayList<>();
  private final List<Action<C, Object>> entry = new ArrayList<>();
  private final List<Action<C, Object>> exit = new ArrayList<>();
  private final List<TransitionBuilder<S, C, ?>> transitions = new ArrayList<>();
  private final List<Invocation<C>> invocations = new ArrayList<>();
  private final List<String> dslProblems = new ArrayList<>();

  StateBuilder(String name, StateSpec.Type type) {
    this.name = name;
    this.type = type;
  }

  String name() {
    return name;
  }

  static String nameOf(Object state) {
    Objects.requireNonNull(state, "state");
    return state instanceof Enum<?> e ? e.name() : state.toString();
  }

  /**
   * Adds an entry action that needs only the context.
   *
   * @param action the action
   * @return this builder
   */
  public StateBuilder<S, C> onEntry(ContextAction<? super C> action) {
    Objects.requireNonNull(action, "action");
    entry.add(asAction(action));
    return this;
  }

  /**
   * Adds an entry action that also sees the step (the event that led here, raising, timers).
   *
   * @param action the action
   * @return this builder
   */
  public StateBuilder<S, C> onEntry(Action<? super C, Object> action) {
    Objects.requireNonNull(action, "action");
    entry.add(asAction(action));
    return this;
  }

  /**
   * Adds an exit action that needs only the context.
   *
   * @param action the action
   * @return this builder
   */
  public StateBuilder<S, C> onExit(ContextAction<? super C> action) {
    Objects.requireNonNull(action, "action");
    exit.add(asAction(action));
    return this;
  }

  /**
   * Adds an exit action that also sees the step.
   *
   * @param action the action
   * @return this builder
   */
  public StateBuilder<S, C> onExit(Action<? super C, Object> action) {
    Objects.requireNonNull(action, "action");
    exit.add(asAction(action));
    return this;
  }

  /**
   * Starts a transition on an event equal to {@code event} (an enum constant or a string).
   *
   * @param event the value to match
   * @return the transition's builder; finish it with {@code goTo} or {@code stay}
   */
  public TransitionBuilder<S, C, Object> on(Object event) {
    return add(new Trigger.OnEvent(Objects.requireNonNull(event, "event")));
  }

  /**
   * Starts a transition on any event of type {@code type} (a record carrying a payload); its
   * guards and actions see the event typed.
   *
   * @param type the event type
   * @param <E> the event type
   * @return the transition's builder
   */
  public <E> TransitionBuilder<S, C, E> on(Class<E> type) {
    return add(new Trigger.OnType(Objects.requireNonNull(type, "type")));
  }

  /**
   * Starts an eventless transition, tried after every transition while this state is active: a
   * choice made from what the machine just computed. Give it a guard, or it is always taken.
   *
   * @return the transition's builder
   */
  public TransitionBuilder<S, C, Object> always() {
    return add(new Trigger.Always());
  }

  /**
   * Starts a delayed transition: taken once {@code delay} has passed since this state was entered,
   * unless the state was left before. Its event is a {@link Timeout}.
   *
   * @param delay zero or more
   * @return the transition's builder
   */
  public TransitionBuilder<S, C, Timeout> after(Duration delay) {
    return add(new Trigger.After(Objects.requireNonNull(delay, "delay")));
  }

  /**
   * Runs {@code action} once every {@code period} while this state is active, without leaving
   * it: the periodic timer. The first run comes one period after the state is entered, each next
   * one a period after the last; leaving the state stops it. Unlike
   * {@code after(period).then(action).goTo(thisState)}, which leaves the state and enters it again
   * (its exit and entry actions run, its children start over from their initial states, its other
   * delayed transitions start again), nothing is exited or entered: the tick is a transition that
   * stays ({@link TransitionBuilder#stay()}), seen by listeners and traces as an event that reads
   * {@code every PT1S in ready}.
   *
   * <p>It is made of an entry action, an exit action and a transition, added in the order of the
   * calls: an entry action added before it runs before its timer starts. The machine's timers end
   * when it fails or is reset, and the tick with them. The tick is not a JSON event: a definition
   * that uses {@code every} has no JSON form. Nor is it a string or enum event, the only events of
   * a pending step timer that a machine image keeps: a durable machine cannot be saved while such
   * a state is active (use {@code after} there).
   *
   * @param period how often; positive
   * @param action what to run each time; what it throws is handled as for a transition's action
   * @return this builder
   * @throws IllegalArgumentException if {@code period} is zero or negative
   */
  public StateBuilder<S, C> every(Duration period, ContextAction<? super C> action) {
    Objects.requireNonNull(action, "action");
    Periodic<C> periodic = new Periodic<>(name, period);
    entry.add(periodic.arm());
    exit.add(periodic.disarm());
    this.<Object>add(periodic.trigger()).then(periodic.rearm()).then(asAction(action)).stay();
    return this;
  }

  /**
   * Starts an expected-error transition: when a callback throws an instance of {@code error} while
   * this state is active (its entry, exit and guards, those of its descendants, and the actions of
   * transitions that leave it active), this transition is taken with the throwable as its event,
   * instead of a fault. It must end with {@code goTo} and cannot be internal: the error may have
   * struck in the middle of an entry, and only exiting and entering again makes the states whole.
   *
   * @param error the expected error type
   * @param <X> the error type
   * @return the transition's builder
   */
  public <X extends Throwable> TransitionBuilder<S, C, X> onError(Class<X> error) {
    return add(Trigger.OnError.of(error));
  }

  /**
   * Starts a transition taken when this state's call {@code callId} fails with an error of type
   * {@code error}: the error its completion brings, or its timeout. Unlike {@link #onError}, it
   * handles nothing else (an entry action's error, another call's), and since the call fails in a
   * step of its own, with the configuration whole, it may end with {@code stay()} as well as
   * {@code goTo}: XState's {@code invoke.onError}.
   *
   * @param callId the id of a call this state makes
   * @param error the expected error type ({@code Exception.class} for any)
   * @param <X> the error type
   * @return the transition's builder
   */
  public <X extends Throwable> TransitionBuilder<S, C, X> onCallError(String callId,
      Class<X> error) {
    return add(new Trigger.OnError(Objects.requireNonNull(error, "error").getName(),
        Objects.requireNonNull(callId, "callId")));
  }

  /**
   * Makes a call on the loop thread when this state is entered, after its entry actions. Its result
   * arrives as a {@link CallDone} event for {@link #onDone}; what it throws is an expected error if
   * the state declares it with {@link #onError}, else a fault (phase CALL).
   *
   * @param id the call's name, unique within this state
   * @param call the call; it must not block
   * @param <R> the result type
   * @return this builder
   */
  public <R> StateBuilder<S, C> invoke(String id, Invocation.Sync<? super C, R> call) {
    return call(id, Invocation.Kind.SYNC, (Invocation.Sync<C, R>) call::call, null);
  }

  /**
   * Starts an asynchronous call when this state is entered; its completion comes back to the loop
   * as an event. Leaving the state cancels it (best effort) and discards its completion.
   *
   * @param id the call's name, unique within this state
   * @param call starts the call and returns its completion
   * @param timeout how long it may take before it fails with a {@code TimeoutException}
   * @param <R> the result type
   * @return this builder
   */
  public <R> StateBuilder<S, C> invokeAsync(String id, Invocation.Async<? super C, R> call,
      Duration timeout) {
    return call(id, Invocation.Kind.ASYNC, (Invocation.Async<C, R>) call::start,
        Objects.requireNonNull(timeout, "timeout"));
  }

  /**
   * Runs a blocking call off the loop when this state is entered: {@code call} reads what it needs
   * from the context on the loop thread and returns the work, which runs on the loop's blocking
   * executor. Leaving the state interrupts it and discards its completion.
   *
   * @param id the call's name, unique within this state
   * @param call prepares the work
   * @param timeout how long it may take before it fails with a {@code TimeoutException}
   * @param <R> the result type
   * @return this builder
   */
  public <R> StateBuilder<S, C> invokeBlocking(String id, Invocation.Blocking<? super C, R> call,
      Duration timeout) {
    return call(id, Invocation.Kind.BLOCKING, (Invocation.Blocking<C, R>) call::prepare,
        Objects.requireNonNull(timeout, "timeout"));
  }

  /**
   * Declares this state's call {@code callId} idempotent: starting it twice does no harm, so a
   * machine restored from an image taken while the call was in flight starts it again. A call not
   * so declared ends, on restore, with a {@link dev.stator.durable.CallLostException} that this
   * state may expect with {@link #onError}.
   *
   * @param callId the id of a call declared on this state before
   * @return this builder
   * @throws IllegalArgumentException if this state declares no call {@code callId}
   */
  public StateBuilder<S, C> idempotent(String callId) {
    Objects.requireNonNull(callId, "callId");
    for (int i = 0; i < invocations.size(); i++) {
      if (invocations.get(i).id().equals(callId)) {
        invocations.set(i, invocations.get(i).withIdempotent(true));
        return this;
      }
    }
    throw new IllegalArgumentException("idempotent(\"" + callId + "\"): state " + name
        + " declares no call '" + callId + "' before it; declare the call with invoke, invokeAsync"
        + " or invokeBlocking first");
  }

  private StateBuilder<S, C> call(String id, Invocation.Kind kind, Object call, Duration timeout) {
    invocations.add(new Invocation<>(Objects.requireNonNull(id, "id"), kind, call, timeout));
    return this;
  }

  /**
   * Starts a transition taken when this state's call {@code callId} completes normally; guards and
   * actions see the {@link CallDone} event and its value.
   *
   * @param callId the call's id
   * @return the transition's builder
   */
  public TransitionBuilder<S, C, CallDone> onDone(String callId) {
    return add(new Trigger.OnDone(Objects.requireNonNull(callId, "callId")));
  }

  /**
   * Starts a transition taken when this state is done: a final child of this compound state was
   * entered, or every region of this parallel state reached a final state. Guards and actions see
   * the {@link StateDone} event, whose {@link StateDone#output() output} is the final state's done
   * data. The event is named {@code "done.state.<id>"}, the id being this state's {@link #id} or
   * else its path ({@code "done.state.player/volume"}), so {@code on("done.state.player/volume")}
   * on an ancestor takes it too. Not to be confused with {@link #onDone(String)}, which is for a
   * call's completion.
   *
   * @return the transition's builder
   */
  public TransitionBuilder<S, C, StateDone> onDone() {
    return add(new Trigger.OnStateDone());
  }

  private <E> TransitionBuilder<S, C, E> add(Trigger trigger) {
    TransitionBuilder<S, C, E> builder = new TransitionBuilder<>(this, trigger);
    transitions.add(builder);
    return builder;
  }

  /**
   * Names the initial child of this compound state.
   *
   * @param child the child
   * @return this builder
   */
  public StateBuilder<S, C> initial(S child) {
    if (initial != null) {
      dslProblems.add("state '" + name + "': initial(...) is called twice: '" + initial + "' and '"
          + nameOf(child) + "'");
    }
    this.initial = nameOf(child);
    return this;
  }

  /**
   * Adds a child state and describes it.
   *
   * @param child the child's name
   * @param body describes it
   * @return this builder
   */
  public StateBuilder<S, C> state(S child, Consumer<StateBuilder<S, C>> body) {
    Objects.requireNonNull(body, "body");
    return child(nameOf(child), StateSpec.Type.NORMAL, body);
  }

  private StateBuilder<S, C> child(String childName, StateSpec.Type childType,
      Consumer<StateBuilder<S, C>> body) {
    Objects.requireNonNull(body, "body");
    StateBuilder<S, C> builder = new StateBuilder<>(childName, childType);
    body.accept(builder);
    children.add(builder);
    return this;
  }

  /**
   * Adds a child state with nothing of its own.
   *
   * @param child the child's name
   * @return this builder
   */
  public StateBuilder<S, C> state(S child) {
    return state(child, s -> { });
  }

  /**
   * Adds a final child state: entering it makes this state done, which raises
   * {@code "done.state.<id>"} (this state's id, else its path) for {@link #onDone()}.
   *
   * @param child the child's name
   * @return this builder
   */
  public StateBuilder<S, C> finalState(S child) {
    children.add(new StateBuilder<>(nameOf(child), StateSpec.Type.FINAL));
    return this;
  }

  /**
   * Adds a final child state and describes it: entry actions, and its done data with
   * {@link #output}. Transitions out of a final state are refused.
   *
   * @param child the child's name
   * @param body describes it
   * @return this builder
   */
  public StateBuilder<S, C> finalState(S child, Consumer<StateBuilder<S, C>> body) {
    return child(nameOf(child), StateSpec.Type.FINAL, body);
  }

  /**
   * Adds a parallel child state: its own children are its regions, two or more, all entered
   * together and active at once, each a state of its own (usually compound). It is done when every
   * region has reached a final state. A parallel state has no {@link #initial} child.
   *
   * <pre>{@code
   * s.parallel(PLAYING, p -> p
   *     .state(TRACK, r -> r.initial(PLAY).state(PLAY).state(PAUSE))
   *     .state(VOLUME, r -> r.initial(NORMAL).state(NORMAL).state(MUTED)))
   * }</pre>
   *
   * @param child the parallel state's name
   * @param body describes it and adds its regions with {@link #state(Object, Consumer)}
   * @return this builder
   */
  public StateBuilder<S, C> parallel(S child, Consumer<StateBuilder<S, C>> body) {
    return child(nameOf(child), StateSpec.Type.PARALLEL, body);
  }

  /**
   * Adds a shallow history child: a transition to it enters the child of this state that was
   * active when this state was last exited (for a parallel state, its regions as they were), or this
   * state's initial child when it was never exited.
   *
   * @param child the history state's name
   * @return this builder
   */
  public StateBuilder<S, C> history(S child) {
    return pseudo(child, StateSpec.Type.SHALLOW_HISTORY, null);
  }

  /**
   * Adds a shallow history child with a default target, entered when this state was never exited.
   *
   * @param child the history state's name
   * @param defaultTarget a child of this state, resolved like a transition's target
   * @return this builder
   */
  public StateBuilder<S, C> history(S child, S defaultTarget) {
    return pseudo(child, StateSpec.Type.SHALLOW_HISTORY, nameOf(defaultTarget));
  }

  /**
   * Adds a deep history child: a transition to it enters every atomic descendant of this state
   * that was active when this state was last exited, or this state's initial child when it was
   * never exited.
   *
   * @param child the history state's name
   * @return this builder
   */
  public StateBuilder<S, C> deepHistory(S child) {
    return pseudo(child, StateSpec.Type.DEEP_HISTORY, null);
  }

  /**
   * Adds a deep history child with a default target, entered when this state was never exited.
   *
   * @param child the history state's name
   * @param defaultTarget a descendant of this state, resolved like a transition's target
   * @return this builder
   */
  public StateBuilder<S, C> deepHistory(S child, S defaultTarget) {
    return pseudo(child, StateSpec.Type.DEEP_HISTORY, nameOf(defaultTarget));
  }

  private StateBuilder<S, C> pseudo(S child, StateSpec.Type historyType, String defaultTarget) {
    StateBuilder<S, C> builder = new StateBuilder<>(nameOf(child), historyType);
    builder.initial = defaultTarget;
    children.add(builder);
    return this;
  }

  /**
   * Gives this state an id, unique in the machine: transitions anywhere can target it as
   * {@code "#id"} ({@link TransitionBuilder#goToTargets}), and its done event is named
   * {@code "done.state.<id>"} instead of by its path.
   *
   * @param stateId the id, not blank
   * @return this builder
   */
  public StateBuilder<S, C> id(String stateId) {
    this.id = Objects.requireNonNull(stateId, "stateId");
    return this;
  }

  /**
   * Sets the done data of this final state, computed from the context as it is entered and carried
   * by its parent's done event ({@link StateDone#output()}).
   *
   * @param data computes the data; may return null
   * @return this builder
   */
  public StateBuilder<S, C> output(Function<? super C, ?> data) {
    Objects.requireNonNull(data, "data");
    this.output = (context, step) -> data.apply(context);
    return this;
  }

  /**
   * Sets the done data of this final state, computed from the context and the step entering it
   * (whose event led here).
   *
   * @param data computes the data; may return null
   * @return this builder
   */
  @SuppressWarnings("unchecked")
  public StateBuilder<S, C> output(Output<? super C> data) {
    // an output of a supertype of the context is one for the context: generics only
    this.output = (Output<C>) Objects.requireNonNull(data, "data");
    return this;
  }

  /**
   * Sets a description for diagrams and documentation.
   *
   * @param text the text
   * @return this builder
   */
  public StateBuilder<S, C> description(String text) {
    this.description = text;
    return this;
  }

  StateSpec<C> toSpec(List<String> problems) {
    problems.addAll(dslProblems);
    List<StateSpec<C>> childSpecs = new ArrayList<>();
    for (StateBuilder<S, C> child : children) {
      childSpecs.add(child.toSpec(problems));
    }
    List<TransitionSpec<C>> specs = new ArrayList<>();
    for (TransitionBuilder<S, C, ?> transition : transitions) {
      if (!transition.isFinished()) {
        problems.add("state '" + name + "': transition " + transition.trigger()
            + " is not finished; end it with goTo(...) or stay()");
      } else {
        specs.add(transition.toSpec());
      }
    }
    return new StateSpec<>(name, id, type, initial, childSpecs, entry, exit, specs, invocations,
        output, description);
  }

  /**
   * An action for a supertype of the context is one for the context: generics only, so the engine
   * calls the user's object directly rather than through an adapter.
   */
  @SuppressWarnings("unchecked")
  static <C> Action<C, Object> asAction(Action<? super C, ?> action) {
    return (Action<C, Object>) action;
  }

  @Override
  public String toString() {
    return "StateBuilder[" + name + "]";
  }
}
