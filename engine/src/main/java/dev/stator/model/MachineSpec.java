package dev.stator.model;

import dev.stator.RecoveryPolicy;
import dev.stator.UnhandledEventPolicy;
import java.util.List;
import java.util.Objects;

/**
 * A whole machine as written, before validation: what front ends such as the fluent DSL produce
 * and {@link dev.stator.MachineDefinition#compile(MachineSpec)} turns into a runnable definition.
 * Immutable.
 *
 * <p>The machine itself is the root of its states. Usually the root is compound: one top-level
 * state is active at a time, starting with {@code initial}, and entering a top-level final state
 * completes the machine. A <em>parallel</em> root makes every top-level state a region, all active
 * together from the start ({@code initial} is then null), and the machine completes when every
 * region is in a final state. Either way, completing runs the exit actions of the states still
 * active, innermost and last first, then the root's {@code exit}, and computes the machine's
 * {@code output} ({@link dev.stator.Termination#output()}). The root's {@code invocations} are
 * calls the machine makes as it starts, after the initial states' entries, and that last until
 * it ends; their {@link Trigger.OnDone} and call-scoped {@link Trigger.OnError} transitions may be
 * written on any state (the JSON reader gives them to every top-level state).
 *
 * @param id the machine's name, used in reports and as the prefix of instance ids
 * @param initial the name of the initial top-level state; null for a parallel root
 * @param states the top-level states, in document order
 * @param unhandledEvents what to do with an event no transition accepts
 * @param recovery what to do when a callback faults
 * @param parallel whether the root is parallel: every top-level state is a region
 * @param exit the root's exit actions, run as the machine completes, after every state's
 * @param output the machine's output, computed as it completes, or {@code null} for none
 * @param invocations the root's calls, made as the machine starts, in order
 * @param <C> the machine's context type
 */
public record MachineSpec<C>(
    String id,
    String initial,
    List<StateSpec<C>> states,
    UnhandledEventPolicy unhandledEvents,
    RecoveryPolicy<C> recovery,
    boolean parallel,
    List<Action<C, Object>> exit,
    Output<C> output,
    List<Invocation<C>> invocations) {

  /**
   * Checks the arguments and copies the lists.
   *
   * @param id the machine's name, used in reports and as the prefix of instance ids
   * @param initial the name of the initial top-level state; null for a parallel root
   * @param states the top-level states, in document order
   * @param unhandledEvents what to do with an event no transition accepts
   * @param recovery what to do when a callback faults
   * @param parallel whether the root is parallel: every top-level state is a region
   * @param exit the root's exit actions, run as the machine completes, after every state's
   * @param output the machine's output, computed as it completes, or {@code null} for none
   * @param invocations the root's calls, made as the machine starts, in order
   */
  public MachineSpec {
    Objects.requireNonNull(id, "id");
    states = List.copyOf(states);
    Objects.requireNonNull(unhandledEvents, "unhandledEvents");
    Objects.requireNonNull(recovery, "recovery");
    exit = List.copyOf(exit);
    invocations = List.copyOf(invocations);
  }

  /**
   * A machine with a compound root, no root exit actions and no output.
   *
   * @param id the machine's name, used in reports and as the prefix of instance ids
   * @param initial the name of the initial top-level state
   * @param states the top-level states, in document order
   * @param unhandledEvents what to do with an event no transition accepts
   * @param recovery what to do when a callback faults
   */
  public MachineSpec(String id, String initial, List<StateSpec<C>> states,
      UnhandledEventPolicy unhandledEvents, RecoveryPolicy<C> recovery) {
    this(id, initial, states, unhandledEvents, recovery, false, List.of(), null, List.of());
  }

  /**
   * Returns this spec with other top-level states, the rest kept: what tools that rewrite a
   * machine's states use.
   *
   * @param otherStates the new top-level states
   * @return the new spec
   */
  public MachineSpec<C> withStates(List<StateSpec<C>> otherStates) {
    return new MachineSpec<>(id, initial, otherStates, unhandledEvents, recovery, parallel, exit,
        output, invocations);
  }

  /**
   * {@return the machine for messages: {@code machine id [its top states]}, {@code parallel
   * machine} for one of regions}
   */
  @Override
  public String toString() {
    return (parallel ? "parallel machine " : "machine ") + id + " "
        + states.stream().map(StateSpec::name).toList();
  }
}
