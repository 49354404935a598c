package dev.stator.internal.machine;

import dev.stator.Failure;
import dev.stator.MachineListener;
import dev.stator.StateSnapshot;
import dev.stator.Transition;
import dev.stator.internal.definition.CompiledDefinition;
import dev.stator.internal.definition.StateNode;
import dev.stator.internal.definition.TransitionNode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The listeners of one machine, and the one place that calls them: every call goes through
 * {@link LoopServices#callOut}, which reports what a listener throws and clears the interrupt flag it
 * leaves, so that a listener can break neither the step nor the loop.
 *
 * <p>Immutable: adding or removing a listener (from any thread) makes a new set, which the
 * machine publishes in a volatile field; the calls run on the loop thread. A machine without
 * listeners shares {@link #none()}, so an idle machine holds no set of its own, and a step asks
 * only whether its set is that one.
 *
 * @param <C> the machine's context type
 */
final class MachineListeners<C> {
  private static final MachineListeners<?> NONE = new MachineListeners<Object>(noListeners());

  private final MachineListener<? super C>[] all;

  private MachineListeners(MachineListener<? super C>[] all) {
    this.all = all;
  }

  @SuppressWarnings("unchecked")
  private static MachineListener<Object>[] noListeners() {
    return (MachineListener<Object>[]) new MachineListener<?>[0];
  }

  /** The shared empty set. */
  @SuppressWarnings("unchecked")
  static <C> MachineListeners<C> none() {
    return (MachineListeners<C>) NONE;
  }

  /**
   * Whether the set is empty. Only {@link #none()} is (no other set is ever made empty), so that
   * the test on every step loads nothing beyond the machine's field.
   */
  boolean isEmpty() {
    return this == NONE;
  }

  /** This set and {@code listener}, called last. */
  MachineListeners<C> with(MachineListener<? super C> listener) {
    MachineListener<? super C>[] more = Arrays.copyOf(all, all.length + 1);
    more[all.length] = listener;
    return new MachineListeners<>(more);
  }

  /** This set without the first listener equal to {@code listener}; this set if it has none. */
  MachineListeners<C> without(MachineListener<? super C> listener) {
    List<MachineListener<? super C>> fewer = new ArrayList<>(Arrays.asList(all));
    if (!fewer.remove(listener)) {
      return this;
    }
    if (fewer.isEmpty()) {
      return none();
    }
    MachineListener<? super C>[] left = fewer.toArray(Arrays.copyOf(all, 0));
    return new MachineListeners<>(left);
  }

  /**
   * Hands the transitions {@code machine}'s step recorded to its listeners, unless the fatal path
   * began while they were recorded: then no user code runs any more.
   */
  static <C> void deliverPending(MachineRuntime<C> machine) {
    Transition[] pending = machine.rare.notifications.toArray(new Transition[0]);
    machine.rare.notifications.clear();
    if (!machine.core.fatalBegun()) {
      machine.listeners.transitions(machine.core, machine, pending);
    }
  }

  /** Tells every listener of the steps taken, listener by listener, each in order. */
  void transitions(LoopServices core, MachineRuntime<C> machine, Transition[] steps) {
    for (MachineListener<? super C> listener : all) {
      for (Transition step : steps) {
        core.callOut(l -> MachineListeners.<C>typed(l).onTransition(machine, step), listener,
            callOf("onTransition", machine));
      }
    }
  }

  /** Tells every listener of a reset; with none, the loop's log hears of it instead. */
  void reset(LoopServices core, MachineRuntime<C> machine, Failure failure) {
    if (isEmpty()) {
      core.warn("machine '" + machine.id() + "' was reset after a fault: " + failure.report());
    }
    for (MachineListener<? super C> listener : all) {
      core.callOut(l -> MachineListeners.<C>typed(l).onReset(machine, failure), listener,
          callOf("onReset", machine));
    }
  }

  /** Tells every listener that the machine ended. */
  void terminated(LoopServices core, MachineRuntime<C> machine, StateSnapshot last) {
    for (MachineListener<? super C> listener : all) {
      core.callOut(l -> MachineListeners.<C>typed(l).onTerminated(machine, last), listener,
          callOf("onTerminated", machine));
    }
  }

  /**
   * What a listener is told of a step: the states exited and entered. Made only when the machine
   * has listeners.
   *
   * @param chart the machine's statechart, which knows its last micro-step; null for a machine
   *     whose configuration is one leaf and its ancestors
   * @param transition the transition's index, or -1 for the initial entry
   */
  static Transition describe(CompiledDefinition<?> definition, Statechart chart, Object event,
      int from, int transition, int to) {
    List<String> exited = new ArrayList<>();
    List<String> entered = new ArrayList<>();
    if (chart != null) {
      chart.describeMicrostep(exited, entered);
    } else if (transition < 0) {
      for (StateNode state : definition.initialPath) {
        entered.add(state.path());
      }
    } else {
      TransitionNode t = definition.transitions[transition];
      if (t.target != null) {
        for (StateNode s = definition.states[from]; s != null && s != t.domain; s = s.parent) {
          exited.add(s.path());
        }
        for (StateNode s : t.entryPath) {
          entered.add(s.path());
        }
      }
    }
    return new Transition(from < 0 ? "" : definition.states[from].path(), event,
        to < 0 ? "" : definition.states[to].path(), exited, entered);
  }

  @SuppressWarnings("unchecked")
  private static <C> MachineListener<C> typed(MachineListener<? super C> listener) {
    return (MachineListener<C>) listener;
  }

  /** Names a listener call for {@link LoopServices#callOut}: the listener's description follows. */
  private static String callOf(String method, MachineRuntime<?> machine) {
    return "in " + method + " of machine '" + machine.id() + "', listener ";
  }
}
