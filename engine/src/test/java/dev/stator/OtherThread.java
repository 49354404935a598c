package dev.stator;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicReference;

/** Runs a body on a thread that is not the test loop's, and waits for it to end. */
final class OtherThread {

  private OtherThread() {}

  /** Runs {@code body} on a new thread named "other-thread"; fails the test if it threw. */
  static void run(Runnable body) throws InterruptedException {
    AtomicReference<Throwable> thrown = new AtomicReference<>();
    Thread sender = new Thread(() -> {
      try {
        body.run();
      } catch (Throwable t) {
        thrown.set(t);
      }
    }, "other-thread");
    sender.start();
    sender.join();
    assertThat(thrown.get()).isNull();
  }
}
