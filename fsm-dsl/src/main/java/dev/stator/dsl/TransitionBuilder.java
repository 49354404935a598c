package dev.stator.dsl;

import dev.stator.Step;
import dev.stator.model.Action;
import dev.stator.model.Guard;
import dev.stator.model.Trigger;
import dev.stator.model.TransitionSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Describes one transition: an optional guard, actions, and where it goes. Finish it with
 * {@link #goTo}, which returns to the state's builder, or {@link #stay}. Not thread-safe.
 *
 * @param <S> the type that names states
 * @param <C> the context type
 * @param <E> the type of event the transition handles
 */
public final class TransitionBuilder<S, C, E> {
  private final StateBuilder<S, C> state;
  private final Trigger trigger;
  private Guard<C, Object> guard;
  private final List<Action<C, Object>> actions = new ArrayList<>();
  private boolean internal;
  private String target;
  private boolean finished;

  TransitionBuilder(StateBuilder<S, C> state, Trigger trigger) {
    this.state = state;
    this.trigger = trigger;
  }

  /**
   * Guards the transition with a condition on the context. Several guards must all hold.
   *
   * @param condition the guard
   * @return this builder
   */
  public TransitionBuilder<S, C, E> when(ContextGuard<? super C> condition) {
    Objects.requireNonNull(condition, "condition");
    return addGuard(asGuard(condition));
  }

  /**
   * Guards the transition with a condition on the context and the step; the event is
   * {@code step.event()}, typed.
   *
   * @param condition the guard
   * @return this builder
   */
  @SuppressWarnings("unchecked")
  public TransitionBuilder<S, C, E> when(Guard<? super C, E> condition) {
    Objects.requireNonNull(condition, "condition");
    return addGuard(asGuard(condition));
  }

  /** A guard of a supertype of the context and of the event type: generics only, no adapter. */
  @SuppressWarnings("unchecked")
  private static <C> Guard<C, Object> asGuard(Guard<? super C, ?> guard) {
    return (Guard<C, Object>) guard;
  }

  private TransitionBuilder<S, C, E> addGuard(Guard<C, Object> next) {
    Guard<C, Object> previous = guard;
    guard = previous == null ? next
        : (context, step) -> previous.test(context, step) && next.test(context, step);
    return this;
  }

  /**
   * Adds an action that needs only the context, run after the exits and before the entries.
   *
   * @param action the action
   * @return this builder
   */
  public TransitionBuilder<S, C, E> then(ContextAction<? super C> action) {
    Objects.requireNonNull(action, "action");
    actions.add(StateBuilder.asAction(action));
    return this;
  }

  /**
   * Adds an action that also sees the step and its typed event.
   *
   * @param action the action
   * @return this builder
   */
  @SuppressWarnings("unchecked")
  public TransitionBuilder<S, C, E> then(Action<? super C, E> action) {
    Objects.requireNonNull(action, "action");
    actions.add(StateBuilder.asAction(action));
    return this;
  }

  /**
   * Makes a transition to a descendant of its source keep the source active instead of exiting
   * and re-entering it.
   *
   * @return this builder
   */
  public TransitionBuilder<S, C, E> internal() {
    this.internal = true;
    return this;
  }

  /**
   * Finishes the transition with a target. A target equal to the source is an external
   * self-transition: the state's exit and entry actions run, and its timers restart.
   *
   * @param targetState the target
   * @return the state's builder, to go on describing the state
   */
  public StateBuilder<S, C> goTo(S targetState) {
    finish(StateBuilder.nameOf(targetState));
    return state;
  }

  /**
   * Finishes the transition without a target: its actions run and the configuration stays as it
   * is (no exit, no entry, timers keep running).
   *
   * @return the state's builder
   */
  public StateBuilder<S, C> stay() {
    finish(null);
    return state;
  }

  private void finish(String targetName) {
    if (finished) {
      throw new IllegalStateException("state '" + state.name() + "': transition " + trigger
          + " is already finished (goTo or stay was called on it before);"
          + " start another with on(...)");
    }
    this.target = targetName;
    this.finished = true;
  }

  boolean isFinished() {
    return finished;
  }

  Trigger trigger() {
    return trigger;
  }

  TransitionSpec<C> toSpec() {
    return new TransitionSpec<>(trigger, guard, target, internal, actions);
  }

  @Override
  public String toString() {
    return "TransitionBuilder[" + trigger + (finished ? " -> " + target : ", unfinished") + "]";
  }
}
