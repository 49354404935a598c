package dev.stator.model;

import dev.stator.Step;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletionStage;

/**
 * An external call a state makes when it is entered: its result comes back to the machine as a
 * {@link dev.stator.CallDone} event, its failure as an expected error or a fault. Leaving the state
 * cancels the call; a completion that arrives after the state was left is never delivered (it goes
 * to the loop's dead-letter handler). Immutable.
 *
 * @param id the call's name, unique within its state; {@code onDone} transitions refer to it
 * @param kind how the call runs
 * @param call a {@link Sync}, {@link Async} or {@link Blocking} matching {@code kind}
 * @param timeout how long the call may take before it fails with a
 *     {@link java.util.concurrent.TimeoutException}, or {@code null} for no limit
 * @param idempotent whether starting the call twice does no harm: a machine restored from an
 *     image taken while the call was in flight starts it again; otherwise the restored machine
 *     receives a {@link dev.stator.durable.CallLostException} as the call's error
 * @param <C> the machine's context type
 */
public record Invocation<C>(String id, Kind kind, Object call, Duration timeout,
    boolean idempotent) {

  /**
   * A call that is not idempotent.
   *
   * @param id the call's name, unique within its state
   * @param kind how the call runs
   * @param call a {@link Sync}, {@link Async} or {@link Blocking} matching {@code kind}
   * @param timeout how long the call may take, or {@code null} for no limit
   */
  public Invocation(String id, Kind kind, Object call, Duration timeout) {
    this(id, kind, call, timeout, false);
  }

  /**
   * {@return this call, declared idempotent or not}
   *
   * @param repeatable whether starting it twice does no harm
   */
  public Invocation<C> withIdempotent(boolean repeatable) {
    return new Invocation<>(id, kind, call, timeout, repeatable);
  }

  /** How a call runs. */
  public enum Kind {
    /** On the loop thread, at entry; it must not block. */
    SYNC,
    /** Started on the loop thread; it returns a stage that completes later, on any thread. */
    ASYNC,
    /** Prepared on the loop thread, then run on the loop's blocking executor. */
    BLOCKING
  }

  /**
   * Checks that the function matches the kind and that the timeout is positive.
   *
   * @param id the call's name, unique within its state; {@code onDone} transitions refer to it
   * @param kind how the call runs
   * @param call a {@link Sync}, {@link Async} or {@link Blocking} matching {@code kind}
   * @param timeout how long the call may take before it fails with a
   *     {@link java.util.concurrent.TimeoutException}, or {@code null} for no limit
   * @param idempotent whether starting the call twice does no harm
   */
  public Invocation {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(call, "call");
    boolean matches = switch (kind) {
      case SYNC -> call instanceof Sync<?, ?>;
      case ASYNC -> call instanceof Async<?, ?>;
      case BLOCKING -> call instanceof Blocking<?, ?>;
    };
    if (!matches) {
      throw new IllegalArgumentException("call '" + id + "' of kind " + kind + " needs a "
          + kind.name().charAt(0) + kind.name().substring(1).toLowerCase(java.util.Locale.ROOT)
          + " function, not " + call.getClass().getName());
    }
    if (timeout != null && (timeout.isNegative() || timeout.isZero())) {
      throw new IllegalArgumentException("call '" + id + "': the timeout must be positive, not "
          + timeout);
    }
  }

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
     * @return the result, delivered as a {@link dev.stator.CallDone} event
     * @throws Exception an expected error if the state declares it, else a fault
     */
    R call(C context, Step<Object> step) throws Exception;
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
     * @return the call's completion; its value or failure comes back to the loop as an event
     * @throws Exception an expected error if the state declares it, else a fault
     */
    CompletionStage<R> start(C context, Step<Object> step) throws Exception;
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
     * @return the work to run off the loop
     * @throws Exception an expected error if the state declares it, else a fault
     */
    Callable<R> prepare(C context) throws Exception;
  }

  /**
   * {@return the call for messages: {@code invoke dial (ASYNC, timeout PT5S)}, and
   * {@code idempotent} when declared so}
   */
  @Override
  public String toString() {
    return "invoke " + id + " (" + kind + (timeout == null ? "" : ", timeout " + timeout)
        + (idempotent ? ", idempotent" : "") + ")";
  }
}
