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
  private List<String> targets = List.of();
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
   * <p>Names are unique only among siblings, so a name is resolved from the source outwards: a
   * sibling of the source, else a sibling of its parent, and so on up to the top-level states (a
   * name only one state has is that state wherever it is). For a state that is not the nearest of
   * its name, use {@link #goToTargets} with a path or an id.
   *
   * @param targetState the target
   * @return the state's builder, to go on describing the state
   */
  public StateBuilder<S, C> goTo(S targetState) {
    finish(List.of(StateBuilder.nameOf(targetState)));
    return state;
  }

  /**
   * Finishes the transition with several targets, entered together: each in a different region
   * of a parallel state (the regions not named are entered by default).
   *
   * @param first the first target
   * @param second the second target
   * @param more further targets
   * @return the state's builder
   */
  @SafeVarargs
  public final StateBuilder<S, C> goTo(S first, S second, S... more) {
    List<String> names = new ArrayList<>();
    names.add(StateBuilder.nameOf(first));
    names.add(StateBuilder.nameOf(second));
    for (S next : more) {
      names.add(StateBuilder.nameOf(next));
    }
    finish(names);
    return state;
  }

  /**
   * Finishes the transition with one or more targets written as the model writes them: a name
   * (resolved from the source outwards, as in {@link #goTo(Object)}), a path from the top
   * ({@code "player/volume/muted"}), or {@code "#id"} for a state given an
   * {@link StateBuilder#id id}. For machines whose states are named by an enum, this is the way to
   * name a state by path or id.
   *
   * @param first the first target
   * @param more further targets, each in a different region of a parallel state
   * @return the state's builder
   */
  public StateBuilder<S, C> goToTargets(String first, String... more) {
    List<String> all = new ArrayList<>();
    all.add(Objects.requireNonNull(first, "first"));
    for (String next : more) {
      all.add(Objects.requireNonNull(next, "target"));
    }
    finish(all);
    return state;
  }

  /**
   * Finishes the transition without a target: its actions run and the configuration stays as it
   * is (no exit, no entry, timers keep running).
   *
   * @return the state's builder
   */
  public StateBuilder<S, C> stay() {
    finish(List.of());
    return state;
  }

  private void finish(List<String> targetNames) {
    if (finished) {
      throw new IllegalStateException("state '" + state.name() + "': transition " + trigger
          + " is already finished (goTo or stay was called on it before);"
          + " start another with on(...)");
    }
    this.targets = List.copyOf(targetNames);
    this.finished = true;
  }

  boolean isFinished() {
    return finished;
  }

  Trigger trigger() {
    return trigger;
  }

  TransitionSpec<C> toSpec() {
    return new TransitionSpec<>(trigger, guard, targets, internal, actions);
  }

  @Override
  public String toString() {
    return "TransitionBuilder[" + trigger + (finished ? " -> " + targets : ", unfinished") + "]";
  }
}
