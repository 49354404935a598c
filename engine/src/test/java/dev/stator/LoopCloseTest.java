package dev.stator;

import static dev.stator.Charts.machine;
import static dev.stator.Charts.state;
import static org.assertj.core.api.Assertions.assertThat;

import dev.stator.dsl.Stator;
import java.nio.channels.Pipe;
import java.nio.channels.SelectionKey;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code close()} from another thread returns once the loop thread has ended, whatever the loop was
 * doing: asleep in its selector, it is woken; and a closer that is interrupted still waits, and
 * gets its interrupt flag back. {@code close(timeout)} with a timeout too long to count in
 * nanoseconds waits as long as {@code close()} does.
 */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
final class LoopCloseTest {

  @AfterEach
  void clearFlag() {
    Thread.interrupted();
  }

  /** Waits until {@code thread} is in a frame of {@code method} (bounded: fails past 10 s). */
  private static void waitUntilIn(Thread thread, String method) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (Arrays.stream(thread.getStackTrace()).noneMatch(f -> f.getMethodName().equals(method))) {
      assertThat(System.nanoTime()).as(thread.getName() + " in " + method + " within 10 s")
          .isLessThan(deadline);
      Thread.onSpinWait();
    }
  }

  /** Waits until {@code thread} waits (bounded: fails past 10 s). */
  private static void waitUntilWaiting(Thread thread) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (thread.getState() != Thread.State.WAITING
        && thread.getState() != Thread.State.TIMED_WAITING) {
      assertThat(System.nanoTime()).as(thread.getName() + " waiting within 10 s")
          .isLessThan(deadline);
      Thread.onSpinWait();
    }
  }

  @Test
  void close_ofALoopAsleepInItsSelector_wakesItAndReturns() throws Exception {
    Pipe pipe = Pipe.open();
    pipe.source().configureBlocking(false);
    try {
      EventLoop loop = EventLoop.start("selecting");
      Machine<Pipe> machine = loop.start(Stator.<String, Pipe>machine("listening")
          .initial("LISTENING")
          .state("LISTENING", s -> s
              .onEntry((p, step) -> step.registerIo("pipe", p.source(), SelectionKey.OP_READ,
                  true))
              .on(IoReady.class).then(p -> { }).stay())
          .build(), pipe);
      CompletableFuture<Thread> loopThread = new CompletableFuture<>();
      loop.execute(() -> loopThread.complete(Thread.currentThread()));
      waitUntilIn(loopThread.get(10, TimeUnit.SECONDS), "select");

      CompletableFuture<Void> closed = CompletableFuture.runAsync(loop::close);

      closed.get(10, TimeUnit.SECONDS);
      assertThat(machine.lifecycle().get(10, TimeUnit.SECONDS).status()).isEqualTo(Status.STOPPED);
    } finally {
      pipe.source().close();
      pipe.sink().close();
    }
  }

  /**
   * A loop whose one machine, as it is stopped by the close, waits in its exit action until the
   * closing thread waits for the loop; then the close can complete.
   */
  private static EventLoop slowToClose(Thread closer, CountDownLatch exited) throws Exception {
    EventLoop loop = EventLoop.start("slow-to-close");
    loop.start(machine("slow",
        state("running").exit(Charts.run(() -> {
          waitUntilWaiting(closer);
          exited.countDown();
        }))), new Object());
    // the machine has started (its start is not still queued, which a close would refuse)
    CompletableFuture<Void> started = new CompletableFuture<>();
    loop.execute(() -> started.complete(null));
    started.get(10, TimeUnit.SECONDS);
    return loop;
  }

  @Test
  void close_byAnInterruptedThread_stillWaitsForTheLoop_andLeavesTheFlagSet() throws Exception {
    CountDownLatch exited = new CountDownLatch(1);
    EventLoop loop = slowToClose(Thread.currentThread(), exited);

    Thread.currentThread().interrupt();
    loop.close();

    boolean flag = Thread.interrupted();
    assertThat(exited.getCount()).as("the close waited for the exit action").isZero();
    assertThat(loop.liveMachines()).isZero();
    assertThat(flag).as("the closer's interrupt flag, given back").isTrue();
  }

  @Test
  void closeWithTimeout_byAnInterruptedThread_stillWaitsForTheLoop_andLeavesTheFlagSet()
      throws Exception {
    CountDownLatch exited = new CountDownLatch(1);
    EventLoop loop = slowToClose(Thread.currentThread(), exited);

    Thread.currentThread().interrupt();
    Optional<Stall> stall = loop.close(Duration.ofSeconds(30));

    boolean flag = Thread.interrupted();
    assertThat(stall).isEmpty();
    assertThat(exited.getCount()).as("the close waited for the exit action").isZero();
    assertThat(flag).as("the closer's interrupt flag, given back").isTrue();
  }

  @Test
  void closeWithATimeoutTooLongForNanoseconds_waitsForTheLoopLikeClose() throws Exception {
    CountDownLatch exited = new CountDownLatch(1);
    EventLoop loop = slowToClose(Thread.currentThread(), exited);

    Optional<Stall> stall = loop.close(Duration.ofSeconds(Long.MAX_VALUE));

    assertThat(stall).isEmpty();
    assertThat(exited.getCount()).as("the close waited for the exit action").isZero();
    assertThat(loop.liveMachines()).isZero();
  }
}
