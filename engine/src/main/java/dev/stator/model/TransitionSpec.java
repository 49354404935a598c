package dev.stator.model;

import java.util.List;
import java.util.Objects;

/**
 * One transition of a state, as written in a definition. Immutable.
 *
 * @param trigger what fires it
 * @param guard the condition that enables it, or {@code null} for always enabled
 * @param target the name of the target state, or {@code null} for a targetless (internal)
 *     transition that runs its actions and leaves the configuration as it is
 * @param internal for a target that is a descendant of the source: whether the source stays
 *     active (internal) instead of being exited and entered again (external, the default)
 * @param actions the actions run between the exits and the entries, in order
 * @param <C> the machine's context type
 */
public record TransitionSpec<C>(
    Trigger trigger,
    Guard<C, Object> guard,
    String target,
    boolean internal,
    List<Action<C, Object>> actions) {

  /** Checks the arguments and copies the list. */
  public TransitionSpec {
    Objects.requireNonNull(trigger, "trigger");
    actions = List.copyOf(actions);
  }

  /** Returns whether this transition has no target and so leaves the configuration unchanged. */
  public boolean isTargetless() {
    return target == null;
  }

  @Override
  public String toString() {
    return trigger + (guard == null ? "" : " [guarded]") + " -> " + (target == null ? "(stay)" : target);
  }
}
