package dev.stator;

import java.util.Objects;

/**
 * The event raised when a state is done: a final child of a compound state was entered, or every
 * region of a parallel state reached a final state. It is raised on the machine's internal queue,
 * so it is handled before any event from outside, and a state's {@code onDone} transition (or a
 * transition on the string {@code "done.state.<id>"}) takes it. Immutable when its output is.
 *
 * <p><b>Thread-safety:</b> immutable; safe to share when its output is.
 *
 * @param state the id of the state that is done (its path unless the definition gave it an id)
 * @param output the done data of the final state entered, or {@code null}
 */
public record StateDone(String state, Object output) {

  /**
   * Checks the state id.
   *
   * @param state the id of the state that is done (its path unless the definition gave it an id)
   * @param output the done data of the final state entered, or {@code null}
   */
  public StateDone {
    Objects.requireNonNull(state, "state");
  }

  /** {@return the event's name, {@code "done.state.<id>"}, which transitions may match} */
  public String name() {
    return "done.state." + state;
  }

  @Override
  public String toString() {
    return name();
  }
}
