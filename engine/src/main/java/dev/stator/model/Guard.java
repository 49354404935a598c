package dev.stator.model;

import dev.stator.Step;

/**
 * A condition that enables a transition. Guards run on the machine's loop thread and should be
 * cheap and free of side effects. A throwing guard is never read as {@code false}: its throwable is
 * a fault of the machine, unless an active state declares its type as an expected error.
 *
 * @param <C> the machine's context type
 * @param <E> the type of event that triggers the guarded transition
 */
@FunctionalInterface
public interface Guard<C, E> {

  /**
   * Tests the condition.
   *
   * @param context the machine instance's context
   * @param step the step in progress
   * @return whether the transition is enabled
   * @throws Exception anything; see the interface documentation
   */
  boolean test(C context, Step<E> step) throws Exception;
}
