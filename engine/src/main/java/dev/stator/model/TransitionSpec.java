package dev.stator.model;

import java.util.List;
import java.util.Objects;

/**
 * One transition of a state, as written in a definition. Immutable.
 *
 * @param trigger what fires it
 * @param guard the condition that enables it, or {@code null} for always enabled
 * @param targets the target states, empty for a targetless transition that runs its actions and
 *     leaves the configuration as it is; several only to enter several regions of a parallel
 *     state at once. A target is a state's name (resolved from the source outwards), a path from
 *     the top ({@code "player/volume/loud"}), or {@code "#id"}
 * @param internal for targets that are descendants of the source: whether the source stays
 *     active (internal) instead of being exited and entered again (external, the default)
 * @param actions the actions run between the exits and the entries, in order
 * @param <C> the machine's context type
 */
public record TransitionSpec<C>(
    Trigger trigger,
    Guard<C, Object> guard,
    List<String> targets,
    boolean internal,
    List<Action<C, Object>> actions) {

  /**
   * Checks the arguments and copies the lists.
   *
   * @param trigger what fires it
   * @param guard the condition that enables it, or {@code null} for always enabled
   * @param targets the target states, empty for a targetless transition that runs its actions and
   *     leaves the configuration as it is; several only to enter several regions of a parallel
   *     state at once. A target is a state's name (resolved from the source outwards), a path from
   *     the top ({@code "player/volume/loud"}), or {@code "#id"}
   * @param internal for targets that are descendants of the source: whether the source stays
   *     active (internal) instead of being exited and entered again (external, the default)
   * @param actions the actions run between the exits and the entries, in order
   */
  public TransitionSpec {
    Objects.requireNonNull(trigger, "trigger");
    targets = List.copyOf(targets);
    actions = List.copyOf(actions);
  }

  /**
   * A transition with one target, or none.
   *
   * @param trigger what fires it
   * @param guard the condition, or {@code null}
   * @param target the target, or {@code null} for a targetless transition
   * @param internal whether a descendant target leaves the source active
   * @param actions the actions
   */
  public TransitionSpec(Trigger trigger, Guard<C, Object> guard, String target, boolean internal,
      List<Action<C, Object>> actions) {
    this(trigger, guard, target == null ? List.of() : List.of(target), internal, actions);
  }

  /** {@return the first target, or {@code null} for a targetless transition} */
  public String target() {
    return targets.isEmpty() ? null : targets.get(0);
  }

  /** {@return whether this transition has no target and so leaves the configuration unchanged} */
  public boolean isTargetless() {
    return targets.isEmpty();
  }

  /**
   * {@return the transition for messages: {@code on go [guarded] -> work}; {@code (stay)} when
   * targetless}
   */
  @Override
  public String toString() {
    return trigger + (guard == null ? "" : " [guarded]") + " -> "
        + (targets.isEmpty() ? "(stay)" : targets.size() == 1 ? targets.get(0) : targets);
  }
}
