package dev.stator.internal;

import dev.stator.MachineDefinition;
import dev.stator.RecoveryPolicy;
import dev.stator.UnhandledEventPolicy;
import dev.stator.model.MachineSpec;
import java.util.List;

/** The engine's form of a definition: state nodes with precomputed tables. Immutable. */
final class CompiledDefinition<C> implements MachineDefinition<C> {
  final MachineSpec<C> spec;
  final StateNode[] states;
  final TransitionNode[] transitions;
  /** The states entered when the machine starts, outermost first. */
  final StateNode[] initialPath;
  final UnhandledEventPolicy unhandled;
  final RecoveryPolicy<Object> recovery;
  private final List<String> statePaths;
  /** How many delayed ({@code after}) transitions there are: the size of a machine's timer cache. */
  final int delayedTransitions;
  /** Whether any state has an eventless ({@code always}) transition to check after a step. */
  final boolean hasEventless;
  /** Whether any state is final, so that entering a state may complete the machine. */
  final boolean hasFinalStates;
  private final List<String> warnings;

  @SuppressWarnings("unchecked")
  CompiledDefinition(MachineSpec<C> spec, StateNode[] states, TransitionNode[] transitions,
      StateNode[] initialPath, List<String> warnings) {
    this.spec = spec;
    this.states = states;
    this.transitions = transitions;
    this.initialPath = initialPath;
    this.unhandled = spec.unhandledEvents();
    this.recovery = (RecoveryPolicy<Object>) spec.recovery();
    this.statePaths = java.util.Arrays.stream(states).map(s -> s.path).toList();
    this.warnings = List.copyOf(warnings);
    int delayed = 0;
    for (TransitionNode t : transitions) {
      if (t.trigger instanceof dev.stator.model.Trigger.After) {
        t.delayIndex = delayed++;
      }
    }
    this.delayedTransitions = delayed;
    // whole-definition facts that let a step skip work most machines never need
    this.hasEventless = java.util.Arrays.stream(transitions)
        .anyMatch(t -> t.trigger instanceof dev.stator.model.Trigger.Always);
    this.hasFinalStates = java.util.Arrays.stream(states).anyMatch(s -> s.isFinal);
  }

  @Override
  public String id() {
    return spec.id();
  }

  @Override
  public MachineSpec<C> spec() {
    return spec;
  }

  @Override
  public List<String> statePaths() {
    return statePaths;
  }

  @Override
  public List<String> warnings() {
    return warnings;
  }

  @Override
  public String toString() {
    return "MachineDefinition[" + spec.id() + ", " + states.length + " states]";
  }
}
