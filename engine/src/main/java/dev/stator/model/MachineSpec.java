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
 * @param id the machine's name, used in reports and as the prefix of instance ids
 * @param initial the name of the initial top-level state
 * @param states the top-level states, in document order
 * @param unhandledEvents what to do with an event no transition accepts
 * @param recovery what to do when a callback faults
 * @param <C> the machine's context type
 */
public record MachineSpec<C>(
    String id,
    String initial,
    List<StateSpec<C>> states,
    UnhandledEventPolicy unhandledEvents,
    RecoveryPolicy<C> recovery) {

  /**
   * Checks the arguments and copies the list.
   *
   * @param id the machine's name, used in reports and as the prefix of instance ids
   * @param initial the name of the initial top-level state
   * @param states the top-level states, in document order
   * @param unhandledEvents what to do with an event no transition accepts
   * @param recovery what to do when a callback faults
   */
  public MachineSpec {
    Objects.requireNonNull(id, "id");
    states = List.copyOf(states);
    Objects.requireNonNull(unhandledEvents, "unhandledEvents");
    Objects.requireNonNull(recovery, "recovery");
  }

  @Override
  public String toString() {
    return "machine " + id + " " + states.stream().map(StateSpec::name).toList();
  }
}
