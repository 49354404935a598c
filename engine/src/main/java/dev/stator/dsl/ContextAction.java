package dev.stator.dsl;

import dev.stator.Step;
import dev.stator.model.Action;

/**
 * An action that needs only the machine's context, so that a method reference such as
 * {@code Session::sendHello} reads as an action. Runs on the loop thread; what it throws is
 * handled as for {@link dev.stator.model.Action}.
 *
 * @param <C> the context type
 */
@FunctionalInterface
public interface ContextAction<C> extends Action<C, Object> {
  /**
   * Runs the action.
   *
   * @param context the machine's context
   * @throws Exception anything: an expected error if declared, else a fault
   */
  void run(C context) throws Exception;

  /**
   * Runs the action; the step is not needed. Being an {@link Action} itself, a context action is
   * called by the engine directly, with no adapter in between.
   *
   * @param context the machine's context
   * @param step ignored
   * @throws Exception what {@link #run} throws
   */
  @Override
  default void execute(C context, Step<Object> step) throws Exception {
    run(context);
  }
}
