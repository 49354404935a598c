package dev.stator;

import static dev.stator.Charts.machine;
import static dev.stator.Charts.state;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A running loop answers, from any thread, how many machines live on it, how many events and tasks
 * wait, and how many timers are pending; its {@code toString} names it with its state and machines.
 */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
final class LoopGaugesTest {

  private static final MachineDefinition<Object> WAITING = machine("waiting",
      state("waiting").after(Duration.ofHours(1), "late").on("poke", null, Charts.run(() -> { })),
      state("late"));

  /** Runs a task on the loop and waits for it: what was sent before it has been taken. */
  private static void barrier(EventLoop loop) throws Exception {
    CompletableFuture<Void> done = new CompletableFuture<>();
    loop.execute(() -> done.complete(null));
    done.get(10, TimeUnit.SECONDS);
  }

  @Test
  void aRealLoop_countsItsMachinesTimersAndWhatWaits_fromAnotherThread() throws Exception {
    EventLoop loop = EventLoop.start("gauges");
    try {
      Machine<Object> first = loop.start(WAITING, new Object());
      loop.start(WAITING, "second", new Object(), MachineListener.onEachTransition(t -> { }));
      barrier(loop);

      assertThat(loop.liveMachines()).isEqualTo(2);
      assertThat(loop.pendingTimers()).isEqualTo(2);
      assertThat(loop.queuedEvents()).isZero();
      assertThat(loop).hasToString("EventLoop gauges [RUNNING, 2 machines]");

      CountDownLatch held = new CountDownLatch(1);
      CountDownLatch release = new CountDownLatch(1);
      loop.execute(() -> {
        held.countDown();
        try {
          release.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      });
      assertThat(held.await(10, TimeUnit.SECONDS)).isTrue();
      first.send("poke");
      first.send("poke");
      loop.execute(() -> { });

      assertThat(loop.queuedEvents()).isEqualTo(3);
      release.countDown();
      barrier(loop);
      assertThat(loop.queuedEvents()).isZero();

      first.stop().get(10, TimeUnit.SECONDS);
      barrier(loop);
      assertThat(loop.liveMachines()).isEqualTo(1);
      assertThat(loop.pendingTimers()).isEqualTo(1);
    } finally {
      loop.close();
    }
    assertThat(loop.liveMachines()).isZero();
    assertThat(loop).hasToString("EventLoop gauges [TERMINATED, 0 machines]");
  }
}
