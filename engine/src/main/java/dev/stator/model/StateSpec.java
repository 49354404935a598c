package dev.stator.model;

import java.util.List;
import java.util.Objects;

/**
 * One state of a definition, as written, with its children. Immutable.
 *
 * <p>A state with children is compound and names its {@code initial} child; a state without
 * children is atomic. A final state has no children and no outgoing transitions: entering a
 * top-level final state completes the machine, entering a nested one raises
 * {@code "done.state.<parent>"} for its parent.
 *
 * @param name the state's name, unique in the whole machine
 * @param finalState whether this is a final state
 * @param initial the name of the initial child, or {@code null} for an atomic state
 * @param children the nested states, in document order
 * @param entry the entry actions, in order
 * @param exit the exit actions, in order
 * @param transitions the outgoing transitions, in document order (which is priority order)
 * @param invocations the calls made on entry, after the entry actions, in order
 * @param description free text for diagrams and documentation, or {@code null}
 * @param <C> the machine's context type
 */
public record StateSpec<C>(
    String name,
    boolean finalState,
    String initial,
    List<StateSpec<C>> children,
    List<Action<C, Object>> entry,
    List<Action<C, Object>> exit,
    List<TransitionSpec<C>> transitions,
    List<Invocation<C>> invocations,
    String description) {

  /** Checks the arguments and copies the lists. */
  public StateSpec {
    Objects.requireNonNull(name, "name");
    children = List.copyOf(children);
    entry = List.copyOf(entry);
    exit = List.copyOf(exit);
    transitions = List.copyOf(transitions);
    invocations = List.copyOf(invocations);
  }

  /** Returns whether this state has children. */
  public boolean isCompound() {
    return !children.isEmpty();
  }

  @Override
  public String toString() {
    return (finalState ? "final " : "") + "state " + name
        + (children.isEmpty() ? "" : " " + children.stream().map(StateSpec::name).toList());
  }
}
