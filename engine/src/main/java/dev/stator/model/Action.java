package dev.stator.model;

import dev.stator.Step;

/**
 * A piece of user code that a machine runs: an entry or exit action, or a transition's action.
 *
 * <p>Actions run on the machine's loop thread, one at a time, never concurrently with another
 * callback of the same machine. An action may throw anything: a throwable the definition declares
 * as expected becomes an ordinary transition, anything else is a fault of the machine (see
 * {@code docs/recovery.md}). An action must not block; offload blocking work.
 *
 * @param <C> the machine's context type
 * @param <E> the type of event that triggers it ({@code Object} for entry and exit actions)
 */
@FunctionalInterface
public interface Action<C, E> {

  /**
   * Runs the action.
   *
   * @param context the machine instance's context (its extended state)
   * @param step the step in progress: the event, and the means to raise events and start timers
   * @throws Exception anything; see the interface documentation for what becomes of it
   */
  void execute(C context, Step<E> step) throws Exception;
}
