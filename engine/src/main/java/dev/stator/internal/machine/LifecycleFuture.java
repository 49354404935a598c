package dev.stator.internal.machine;

import dev.stator.Termination;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * A machine's lifecycle future: completed only by the engine, exactly once; refuses a blocking
 * wait on its own loop thread while it is not done.
 */
final class LifecycleFuture<C> extends LoopBoundFuture<Termination<C>> {
  /** The machine whose lifecycle this is; its id is asked for only when a message needs it. */
  /**
   * The machine while it runs, for messages that name it; once the future completes, only its id,
   * so that a caller who keeps the future does not keep the ended machine (its context and trace).
   */
  private volatile Object owner;

  LifecycleFuture(LoopServices core, dev.stator.Machine<?> machine) {
    super(core);
    this.owner = machine;
  }

  private String machineId() {
    Object known = owner;
    return known instanceof dev.stator.Machine<?> machine ? machine.id() : (String) known;
  }

  void succeed(Termination<C> termination) {
    owner = machineId();
    super.complete(termination);
  }

  void fail(Throwable failure) {
    owner = machineId();
    super.completeExceptionally(failure);
  }

  private UnsupportedOperationException completedByEngineOnly() {
    return new UnsupportedOperationException("the lifecycle future of machine '" + machineId()
        + "' is completed by the engine only; use copy() for a future of your own");
  }

  @Override
  public boolean complete(Termination<C> value) {
    throw completedByEngineOnly();
  }

  @Override
  public boolean completeExceptionally(Throwable ex) {
    throw completedByEngineOnly();
  }

  @Override
  public boolean cancel(boolean mayInterruptIfRunning) {
    throw completedByEngineOnly();
  }

  @Override
  public void obtrudeValue(Termination<C> value) {
    throw completedByEngineOnly();
  }

  @Override
  public void obtrudeException(Throwable ex) {
    throw completedByEngineOnly();
  }

  @Override
  public CompletableFuture<Termination<C>> completeAsync(
      Supplier<? extends Termination<C>> supplier, java.util.concurrent.Executor executor) {
    throw completedByEngineOnly();
  }

  @Override
  public CompletableFuture<Termination<C>> completeOnTimeout(
      Termination<C> value, long timeout, TimeUnit unit) {
    throw completedByEngineOnly();
  }

  /** Returns a dependent copy that times out, leaving this future untouched. */
  @Override
  public CompletableFuture<Termination<C>> orTimeout(long timeout, TimeUnit unit) {
    return copy().orTimeout(timeout, unit);
  }

  @Override
  public String toString() {
    return "lifecycle of '" + machineId() + "' " + super.toString();
  }
}
