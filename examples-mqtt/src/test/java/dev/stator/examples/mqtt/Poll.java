package dev.stator.examples.mqtt;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;

/** Waits for a condition: checked every 20 ms on a timer thread, within a deadline. */
final class Poll {
  private Poll() {}

  /**
   * Waits until the condition holds.
   *
   * @param deadline how long to wait at most
   * @param what what is awaited, for the error
   * @param condition checked on a timer thread
   * @throws TimeoutException if it did not hold in time
   */
  static void until(Duration deadline, String what, BooleanSupplier condition) throws Exception {
    ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    CompletableFuture<Void> held = new CompletableFuture<>();
    try {
      timer.scheduleWithFixedDelay(() -> {
        try {
          if (condition.getAsBoolean()) {
            held.complete(null);
          }
        } catch (RuntimeException e) {
          held.completeExceptionally(e);
        }
      }, 0, 20, TimeUnit.MILLISECONDS);
      held.get(deadline.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException late) {
      throw new TimeoutException("not within " + deadline + ": " + what);
    } finally {
      timer.shutdownNow();
    }
  }
}
