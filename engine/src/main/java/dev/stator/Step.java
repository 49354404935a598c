package dev.stator;

import java.time.Duration;

/**
 * The step a machine is taking, as seen from a callback: the event being processed, and the means
 * to act on the machine from inside the step without re-entering it.
 *
 * <p>A {@code Step} is valid only during the callback it was passed to, and only on the loop
 * thread. Events raised with {@link #raise} are processed after the current step completes, before
 * any event from outside (the internal queue of SCXML).
 *
 * @param <E> the type of the event being processed
 */
public interface Step<E> {

  /**
   * {@return the event being processed: the external or raised event, a {@link Timeout}, or an
   * expected error} During the initial entry it is {@link LifecycleEvent#START}, during the exits
   * run by a stop {@link LifecycleEvent#STOP}.
   */
  E event();

  /** {@return the machine taking the step} */
  Machine<?> machine();

  /**
   * Queues an event for this machine, processed right after the current step and before any
   * event sent from outside.
   *
   * @param event the event; not null
   */
  void raise(Object event);

  /**
   * Starts a timer that sends {@code event} to this machine after {@code delay}. Unlike a state's
   * delayed transition, the timer outlives the state; it ends when it fires, when it is cancelled,
   * or when the machine terminates or is reset. Zero-delay timers that keep re-arming each other
   * are bounded by {@link LoopOptions#maxMicrosteps()} like eventless transitions.
   *
   * @param delay how long from now; negative delays are treated as zero, and delays that reach past
   *     the clock's range (about 292 years) are clamped to it
   * @param event the event to deliver; not null
   * @return a handle that cancels the timer
   */
  TimerHandle startTimer(Duration delay, Object event);

  /**
   * Starts a child machine on this machine's loop. The child's end arrives here as a
   * {@link ChildTerminated} event; a failed child whose end this machine does not handle is this
   * machine's fault. When this machine ends or is reset, its children are stopped first.
   *
   * @param definition the child's definition
   * @param context the child's context
   * @param <D> the child's context type
   * @return the child
   */
  <D> Machine<D> startChild(MachineDefinition<D> definition, D context);

  /**
   * Registers a channel with the loop's selector for this machine: each time it is ready for one
   * of {@code ops}, the machine receives an {@link IoReady} event. The registration belongs to
   * the innermost active state when {@code machineScoped} is false, and is cancelled when that
   * state exits; else it lives until the machine ends or is reset.
   *
   * @param name names the registration in events and reports
   * @param channel a channel in non-blocking mode
   * @param ops the {@link java.nio.channels.SelectionKey} operations to wait for
   * @param machineScoped whether it outlives the current state
   * @return the registration
   * @throws java.io.IOException if the selector cannot be opened or the channel registered
   */
  IoRegistration registerIo(String name, java.nio.channels.SelectableChannel channel, int ops,
      boolean machineScoped) throws java.io.IOException;

  /** {@return the loop's current time in nanoseconds, from its {@link EventLoop#clock() clock}} */
  long nanoTime();
}
