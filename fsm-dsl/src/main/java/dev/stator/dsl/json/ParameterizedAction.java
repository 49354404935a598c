package dev.stator.dsl.json;

import dev.stator.Step;

/**
 * An action that receives the {@code params} its document writes with it, XState v5's
 * {@code { "type": "notify", "params": { "channel": "ops" } }}: one binding serves every set of
 * parameters. Bound with {@link Bindings.Builder#action(String, ParameterizedAction)}.
 *
 * <p>It runs where any action runs (entry, exit, a transition), on the machine's loop thread, one
 * callback at a time; what it throws is treated as an action's throwable (an expected error or a
 * fault).
 *
 * <p><b>Thread-safety:</b> called on the loop thread of the machine running it; an implementation
 * shared by machines on several loops must be safe to call from those threads. The params are
 * immutable.
 *
 * @param <C> the context type
 */
@FunctionalInterface
public interface ParameterizedAction<C> {

  /**
   * Runs the action.
   *
   * @param context the machine's context
   * @param step the step in progress: its event, and the means to raise events and start timers
   * @param params the params written with this use of the action, {@link JsonValue#EMPTY} when
   *     none are written
   * @throws Exception anything; an expected error if an active state declares it, else a fault
   */
  void execute(C context, Step<Object> step, JsonValue params) throws Exception;
}
