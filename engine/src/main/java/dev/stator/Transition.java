package dev.stator;

import java.util.List;
import java.util.Objects;

/**
 * A transition a machine took, as its listeners see it ({@link MachineListener#onTransition(
 * Machine, Transition)}): where it went from and to, on which event, and the states it exited and
 * entered, in the order their actions ran. Immutable when the event is.
 *
 * <p>For the initial entry, {@code from} is empty and nothing is exited. When several transitions
 * are taken together (in several regions at once), each is reported, in document order, and each
 * carries the exits and entries of them all. A targetless transition exits and enters nothing.
 *
 * <p><b>Thread-safety:</b> immutable; safe to share when its event is.
 *
 * @param from the path of the state the transition left from (without regions: the configuration
 *     before); empty at the start
 * @param event the event that caused it
 * @param to the configuration after, or the target's path for one of several transitions taken
 *     together
 * @param exited the paths of the states exited, innermost and last first
 * @param entered the paths of the states entered, outermost and first first
 */
public record Transition(String from, Object event, String to, List<String> exited,
    List<String> entered) {

  /**
   * Checks the arguments and copies the lists.
   *
   * @param from the path of the state the transition left from (without regions: the configuration
   *     before); empty at the start
   * @param event the event that caused it
   * @param to the configuration after, or the target's path for one of several transitions taken
   *     together
   * @param exited the paths of the states exited, innermost and last first
   * @param entered the paths of the states entered, outermost and first first
   */
  public Transition {
    Objects.requireNonNull(from, "from");
    Objects.requireNonNull(to, "to");
    exited = List.copyOf(exited);
    entered = List.copyOf(entered);
  }
}
