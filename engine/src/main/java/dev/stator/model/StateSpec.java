package dev.stator.model;

import java.util.List;
import java.util.Objects;

/**
 * One state of a definition, as written, with its children. Immutable.
 *
 * <p>A {@link Type#NORMAL} state with children is compound and names its {@code initial} child;
 * without children it is atomic. A {@link Type#PARALLEL} state has two or more children, its
 * regions, all active together. A {@link Type#FINAL} state has no children and no outgoing
 * transitions: entering a top-level final state completes the machine, entering a nested one makes
 * its parent done ({@link dev.stator.StateDone}). A history state ({@link Type#SHALLOW_HISTORY},
 * {@link Type#DEEP_HISTORY}) is a pseudo-state: a transition to it enters what its parent had
 * active when the parent was last exited (its active children, or for deep history its active
 * atomic descendants), or its default target when the parent was never exited.
 *
 * @param name the state's name, unique among its siblings
 * @param id an identifier unique in the machine, for {@code #id} references and done events, or
 *     {@code null} for the state's path ({@code "connecting/handshake"})
 * @param type what kind of state it is
 * @param initial for a compound state, the name of its initial child; for a history state, the
 *     default target (a name resolved like a transition's target), or {@code null} for the
 *     parent's default entry; else {@code null}
 * @param children the nested states, in document order
 * @param entry the entry actions, in order
 * @param exit the exit actions, in order
 * @param transitions the outgoing transitions, in document order (which is priority order)
 * @param invocations the calls made on entry, after the entry actions, in order
 * @param output for a final state, the done data carried by its parent's done event, or
 *     {@code null} for none
 * @param description free text for diagrams and documentation, or {@code null}
 * @param tags labels of the state, in order, without repeats; a snapshot has the tags of every
 *     active state ({@link dev.stator.StateSnapshot#hasTag})
 * @param <C> the machine's context type
 */
public record StateSpec<C>(
    String name,
    String id,
    Type type,
    String initial,
    List<StateSpec<C>> children,
    List<Action<C, Object>> entry,
    List<Action<C, Object>> exit,
    List<TransitionSpec<C>> transitions,
    List<Invocation<C>> invocations,
    Output<C> output,
    String description,
    List<String> tags) {

  /** What kind of state a {@link StateSpec} is. */
  public enum Type {
    /** Atomic without children, compound with them. */
    NORMAL,
    /** Every child (a region) is active at once. */
    PARALLEL,
    /** Ends its parent (or, at the top, the machine). */
    FINAL,
    /** Remembers its parent's active children. */
    SHALLOW_HISTORY,
    /** Remembers its parent's active atomic descendants. */
    DEEP_HISTORY
  }

  /**
   * Checks the arguments and copies the lists.
   *
   * @param name the state's name, unique among its siblings
   * @param id an identifier unique in the machine, for {@code #id} references and done events, or
   *     {@code null} for the state's path ({@code "connecting/handshake"})
   * @param type what kind of state it is
   * @param initial for a compound state, the name of its initial child; for a history state, the
   *     default target (a name resolved like a transition's target), or {@code null} for the
   *     parent's default entry; else {@code null}
   * @param children the nested states, in document order
   * @param entry the entry actions, in order
   * @param exit the exit actions, in order
   * @param transitions the outgoing transitions, in document order (which is priority order)
   * @param invocations the calls made on entry, after the entry actions, in order
   * @param output for a final state, the done data carried by its parent's done event, or
   *     {@code null} for none
   * @param description free text for diagrams and documentation, or {@code null}
   * @param tags labels of the state (repeats dropped); null is none
   */
  public StateSpec {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(type, "type");
    children = List.copyOf(children);
    entry = List.copyOf(entry);
    exit = List.copyOf(exit);
    transitions = List.copyOf(transitions);
    invocations = List.copyOf(invocations);
    tags = tags == null ? List.of() : List.copyOf(new java.util.LinkedHashSet<>(tags));
  }

  /**
   * A state without tags: the form before states had them.
   *
   * @param name the state's name
   * @param id its id, or {@code null}
   * @param type what kind of state it is
   * @param initial the initial child, or the history default
   * @param children the nested states
   * @param entry the entry actions
   * @param exit the exit actions
   * @param transitions the outgoing transitions
   * @param invocations the calls made on entry
   * @param output a final state's done data, or {@code null}
   * @param description free text, or {@code null}
   */
  public StateSpec(String name, String id, Type type, String initial, List<StateSpec<C>> children,
      List<Action<C, Object>> entry, List<Action<C, Object>> exit,
      List<TransitionSpec<C>> transitions, List<Invocation<C>> invocations, Output<C> output,
      String description) {
    this(name, id, type, initial, children, entry, exit, transitions, invocations, output,
        description, List.of());
  }

  /**
   * A normal or final state without an id or done data: the form of machines without regions.
   *
   * @param name the state's name
   * @param finalState whether it is a final state
   * @param initial the name of the initial child, or {@code null} for an atomic state
   * @param children the nested states, in document order
   * @param entry the entry actions
   * @param exit the exit actions
   * @param transitions the outgoing transitions, in document order
   * @param invocations the calls made on entry
   * @param description free text, or {@code null}
   */
  public StateSpec(String name, boolean finalState, String initial, List<StateSpec<C>> children,
      List<Action<C, Object>> entry, List<Action<C, Object>> exit,
      List<TransitionSpec<C>> transitions, List<Invocation<C>> invocations, String description) {
    this(name, null, finalState ? Type.FINAL : Type.NORMAL, initial, children, entry, exit,
        transitions, invocations, null, description);
  }

  /** {@return whether this is a final state} */
  public boolean finalState() {
    return type == Type.FINAL;
  }

  /** {@return whether this is a normal state with children} */
  public boolean isCompound() {
    return type == Type.NORMAL && !children.isEmpty();
  }

  /** {@return whether this is a history pseudo-state} */
  public boolean isHistory() {
    return type == Type.SHALLOW_HISTORY || type == Type.DEEP_HISTORY;
  }

  /**
   * {@return the state for messages: {@code state name}, its kind first unless normal ({@code final
   * state done}), and its children's names ({@code state work [a, b]})}
   */
  @Override
  public String toString() {
    return (type == Type.NORMAL ? "" : type.name().toLowerCase(java.util.Locale.ROOT) + " ")
        + "state " + name
        + (children.isEmpty() ? "" : " " + children.stream().map(StateSpec::name).toList());
  }
}
