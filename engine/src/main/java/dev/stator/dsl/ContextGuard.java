package dev.stator.dsl;

import dev.stator.Step;
import dev.stator.model.Guard;

/**
 * A guard that needs only the machine's context ({@code Session::gaveUp}). Runs on the loop
 * thread; a throw is a fault, never {@code false}.
 *
 * @param <C> the context type
 */
@FunctionalInterface
public interface ContextGuard<C> extends Guard<C, Object> {
  /**
   * Tests the condition.
   *
   * @param context the machine's context
   * @return whether the transition is enabled
   * @throws Exception anything: a fault
   */
  boolean test(C context) throws Exception;

  /**
   * Tests the condition; the step is not needed. Being a {@link Guard} itself, a context guard is
   * called by the engine directly, with no adapter in between.
   *
   * @param context the machine's context
   * @param step ignored
   * @return whether the transition is enabled
   * @throws Exception what {@link #test(Object)} throws
   */
  @Override
  default boolean test(C context, Step<Object> step) throws Exception {
    return test(context);
  }
}
