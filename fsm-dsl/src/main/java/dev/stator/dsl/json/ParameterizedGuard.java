package dev.stator.dsl.json;

import dev.stator.Step;

/**
 * A guard that receives the {@code params} its document writes with it, XState v5's
 * {@code { "type": "above", "params": { "limit": 3 } }}: one binding serves every set of
 * parameters. Bound with {@link Bindings.Builder#guard(String, ParameterizedGuard)}.
 *
 * <p>Like every guard it should be cheap and free of side effects; a throwing guard is never read
 * as {@code false}, its throwable is an expected error or a fault.
 *
 * <p><b>Thread-safety:</b> called on the loop thread of the machine running it; an implementation
 * shared by machines on several loops must be safe to call from those threads. The params are
 * immutable.
 *
 * @param <C> the context type
 */
@FunctionalInterface
public interface ParameterizedGuard<C> {

  /**
   * Tests the condition.
   *
   * @param context the machine's context
   * @param step the step in progress, whose event the guard may read (a {@code StateDone} or
   *     {@code CallDone} carries done data: see {@link Bindings#doneData(Step)})
   * @param params the params written with this use of the guard, {@link JsonValue#EMPTY} when
   *     none are written
   * @return whether the transition is enabled
   * @throws Exception anything; an expected error if an active state declares it, else a fault
   */
  boolean test(C context, Step<Object> step, JsonValue params) throws Exception;
}
