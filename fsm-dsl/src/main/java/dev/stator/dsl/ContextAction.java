package dev.stator.dsl;

/**
 * An action that needs only the machine's context, so that a method reference such as
 * {@code Session::sendHello} reads as an action. Runs on the loop thread; what it throws is
 * handled as for {@link dev.stator.model.Action}.
 *
 * @param <C> the context type
 */
@FunctionalInterface
public interface ContextAction<C> {
  /**
   * Runs the action.
   *
   * @param context the machine's context
   * @throws Exception anything: an expected error if declared, else a fault
   */
  void run(C context) throws Exception;
}
