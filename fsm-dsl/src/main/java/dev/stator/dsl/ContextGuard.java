package dev.stator.dsl;

/**
 * A guard that needs only the machine's context ({@code Session::gaveUp}). Runs on the loop
 * thread; a throw is a fault, never {@code false}.
 *
 * @param <C> the context type
 */
@FunctionalInterface
public interface ContextGuard<C> {
  /**
   * Tests the condition.
   *
   * @param context the machine's context
   * @return whether the transition is enabled
   * @throws Exception anything: a fault
   */
  boolean test(C context) throws Exception;
}
