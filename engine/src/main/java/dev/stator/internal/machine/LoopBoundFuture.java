package dev.stator.internal.machine;

import dev.stator.BlockingOperationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A future that only its loop can complete, directly or through a chain of stages: waiting for it
 * on that loop's thread while it is not done would never end, so it is refused. Stages derived from
 * it are of this kind too.
 */
class LoopBoundFuture<T> extends CompletableFuture<T> {
  final LoopServices core;

  LoopBoundFuture(LoopServices core) {
    this.core = core;
  }

  final void refuseBlockingOnLoop() {
    if (!isDone() && core.inLoop()) {
      throw new BlockingOperationException("waiting on loop thread '" + core.name() + "' for "
          + this + " would never end: only that thread can complete it. Compose with"
          + " thenAccept/whenComplete instead, or wait from another thread");
    }
  }

  @Override
  public T get() throws InterruptedException, ExecutionException {
    refuseBlockingOnLoop();
    return super.get();
  }

  @Override
  public T get(long timeout, TimeUnit unit)
      throws InterruptedException, ExecutionException, TimeoutException {
    refuseBlockingOnLoop();
    return super.get(timeout, unit);
  }

  @Override
  public T join() {
    refuseBlockingOnLoop();
    return super.join();
  }

  @Override
  public <U> CompletableFuture<U> newIncompleteFuture() {
    return new LoopBoundFuture<>(core);
  }
}
