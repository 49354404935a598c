package dev.stator.model;

import dev.stator.Step;

/**
 * The done data of a final state: computed as the state is entered, and carried by its parent's
 * done event ({@link dev.stator.StateDone#output()}). It runs on the loop thread like an action;
 * what it throws is a fault of the machine, in phase ENTRY.
 *
 * @param <C> the machine's context type
 */
@FunctionalInterface
public interface Output<C> {
  /**
   * Computes the done data.
   *
   * @param context the machine's context
   * @param step the step entering the final state
   * @return the data, may be null
   * @throws Exception anything; a fault of the machine
   */
  Object compute(C context, Step<Object> step) throws Exception;
}
