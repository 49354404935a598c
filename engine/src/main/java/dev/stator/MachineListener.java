package dev.stator;

import java.util.Objects;
import java.util.function.Consumer;

/**
 * Observes a machine. Callbacks run on the machine's loop thread after the step that caused them
 * has committed, never in the middle of a transition. (One exception: a listener given to
 * {@code EventLoop.start} for a machine whose loop had already ended as the start was submitted
 * hears {@code onTerminated} on the thread that found the loop closed.) A listener that throws is
 * logged at ERROR through {@code System.Logger "dev.stator"} and affects neither the machine nor
 * other listeners, except that a {@link VirtualMachineError} other than {@link StackOverflowError}
 * begins the loop's fatal path. An interrupt flag a listener leaves set is cleared and logged,
 * never blamed on the machine.
 *
 * @param <C> the machine's context type
 */
public interface MachineListener<C> {

  /**
   * Called after each transition, in order.
   *
   * @param machine the machine
   * @param from the configuration before
   * @param event the event that caused it
   * @param to the configuration after
   */
  default void onTransition(Machine<C> machine, String from, Object event, String to) {}

  /**
   * Called after each transition, in order, with the states it exited and entered. The default
   * calls {@link #onTransition(Machine, String, Object, String)}; override one or the other.
   *
   * @param machine the machine
   * @param transition what the transition did
   */
  default void onTransition(Machine<C> machine, Transition transition) {
    onTransition(machine, transition.from(), transition.event(), transition.to());
  }

  /**
   * Called when the recovery policy resets the machine after a fault: at the fault, once the reset
   * hook has run and the fresh context is made, before the new incarnation starts (at once, or
   * after the backoff).
   *
   * @param machine the machine
   * @param failure the fault that caused the reset
   */
  default void onReset(Machine<C> machine, Failure failure) {}

  /**
   * Called once when the machine's life ends: completed, stopped, or failed for good. A listener
   * observing a failure here counts as an observer: the failure is not also reported as unobserved.
   *
   * @param machine the machine
   * @param last its final snapshot
   */
  default void onTerminated(Machine<C> machine, StateSnapshot last) {}

  /**
   * Returns a listener that hears only transitions, for one lambda instead of an anonymous class:
   * {@code machine.addListener(MachineListener.onEachTransition(seen::add))}. The consumer runs
   * where {@link #onTransition(Machine, Transition)} would, and what it throws is treated the same.
   *
   * @param consumer told of each transition, in order
   * @param <C> the machine's context type
   * @return the listener; it may be added to any number of machines
   */
  static <C> MachineListener<C> onEachTransition(Consumer<? super Transition> consumer) {
    Objects.requireNonNull(consumer, "consumer");
    return new MachineListener<>() {
      @Override
      public void onTransition(Machine<C> machine, Transition transition) {
        consumer.accept(transition);
      }
    };
  }

  /**
   * Returns a listener that hears only resets ({@link #onReset}), each with the fault that caused
   * it.
   *
   * @param consumer told of each reset's fault, in order
   * @param <C> the machine's context type
   * @return the listener; it may be added to any number of machines
   */
  static <C> MachineListener<C> onEachReset(Consumer<? super Failure> consumer) {
    Objects.requireNonNull(consumer, "consumer");
    return new MachineListener<>() {
      @Override
      public void onReset(Machine<C> machine, Failure failure) {
        consumer.accept(failure);
      }
    };
  }

  /**
   * Returns a listener that hears only the end of the machine's life ({@link #onTerminated}), with
   * its final snapshot. Like any listener told of a failure there, it counts as an observer.
   *
   * @param consumer told of the final snapshot, once per machine it listens to
   * @param <C> the machine's context type
   * @return the listener; it may be added to any number of machines
   */
  static <C> MachineListener<C> onEnd(Consumer<? super StateSnapshot> consumer) {
    Objects.requireNonNull(consumer, "consumer");
    return new MachineListener<>() {
      @Override
      public void onTerminated(Machine<C> machine, StateSnapshot last) {
        consumer.accept(last);
      }
    };
  }
}
