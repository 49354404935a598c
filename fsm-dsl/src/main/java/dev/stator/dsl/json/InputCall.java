package dev.stator.dsl.json;

import dev.stator.Step;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletionStage;

/**
 * Calls that receive the {@code input} their {@code invoke} writes, XState v5's
 * {@code { "src": "fetchUser", "input": { "userId": 42 } }}: the same three kinds as the engine's
 * {@link dev.stator.model.Invocation} ({@link Sync}, {@link Async}, {@link Blocking}), with the
 * input as one more argument. Bound with {@link Bindings.Builder#call(String, InputCall.Sync)},
 * {@link Bindings.Builder#callAsync(String, InputCall.Async)} and
 * {@link Bindings.Builder#callBlocking(String, InputCall.Blocking)}.
 *
 * <p><b>Thread-safety:</b> this class only holds the interfaces. A call is started on the loop
 * thread of the machine running it; the input is immutable and may be handed to other threads.
 */
public final class InputCall {

  private InputCall() {}

  /**
   * A call that runs on the loop thread and returns its result.
   *
   * @param <C> the context type
   * @param <R> the result type
   */
  @FunctionalInterface
  public interface Sync<C, R> {
    /**
     * Makes the call.
     *
     * @param context the machine's context
     * @param step the entry step
     * @param input the invoke's {@code input}, {@link JsonValue#EMPTY} when it writes none
     * @return the result, delivered as a {@link dev.stator.CallDone} event
     * @throws Exception an expected error if the state declares it, else a fault
     */
    R call(C context, Step<Object> step, JsonValue input) throws Exception;
  }

  /**
   * A call that starts on the loop thread and completes later.
   *
   * @param <C> the context type
   * @param <R> the result type
   */
  @FunctionalInterface
  public interface Async<C, R> {
    /**
     * Starts the call.
     *
     * @param context the machine's context
     * @param step the entry step
     * @param input the invoke's {@code input}, {@link JsonValue#EMPTY} when it writes none
     * @return the call's completion; its value or failure comes back to the loop as an event
     * @throws Exception an expected error if the state declares it, else a fault
     */
    CompletionStage<R> start(C context, Step<Object> step, JsonValue input) throws Exception;
  }

  /**
   * A call that blocks: prepared on the loop thread, where it may read the context, and run on the
   * blocking executor, where it must not touch the context.
   *
   * @param <C> the context type
   * @param <R> the result type
   */
  @FunctionalInterface
  public interface Blocking<C, R> {
    /**
     * Prepares the call.
     *
     * @param context the machine's context, to read what the call needs
     * @param input the invoke's {@code input}, {@link JsonValue#EMPTY} when it writes none
     * @return the work to run off the loop
     * @throws Exception an expected error if the state declares it, else a fault
     */
    Callable<R> prepare(C context, JsonValue input) throws Exception;
  }
}
