package dev.stator.dsl;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stator.EventLoop;
import dev.stator.LoopOptions;
import dev.stator.Machine;
import dev.stator.Phase;
import dev.stator.Stall;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * RELIABILITY.md case 12: a callback that blocks the loop is reported with its stack; an idle loop
 * never is. The sleeps here are the blocking callbacks under test, not waits.
 */
final class WatchdogTest {

  private final LinkedBlockingQueue<Stall> stalls = new LinkedBlockingQueue<>();

  private EventLoop loop(String name) {
    return EventLoop.start(name, LoopOptions.DEFAULTS
        .withWatchdog(Duration.ofMillis(200), Duration.ofMillis(50), stalls::add));
  }

  @Test
  void blockingCallback_isReportedOnceWithTheMachinePhaseAndStack() throws Exception {
    try (EventLoop loop = loop("stalling")) {
      Machine<Recorder> machine = loop.start(Stator.<String, Recorder>machine("sleepy")
          .initial("A")
          .state("A", s -> s.on("nap").then(r -> Thread.sleep(1_000)).stay())
          .build(), "sleepy-1", new Recorder());
      long sent = System.nanoTime();

      machine.send("nap");
      Stall stall = stalls.poll(10, TimeUnit.SECONDS);
      long reportedAfter = System.nanoTime() - sent;

      assertThat(stall).isNotNull();
      assertThat(stall.machineId()).isEqualTo("sleepy-1");
      assertThat(stall.phase()).isEqualTo(Phase.ACTION);
      assertThat(stall.blockedFor()).isGreaterThanOrEqualTo(Duration.ofMillis(200));
      assertThat(stall.stack()).anySatisfy(frame ->
          assertThat(frame.getMethodName()).isEqualTo("sleep"));
      assertThat(Duration.ofNanos(reportedAfter)).as("threshold plus one interval, with slack")
          .isLessThan(Duration.ofMillis(200 + 50 + 500));
      assertThat(stall.report()).contains("blocked for").contains("sleepy-1");
      machine.stop().get(10, TimeUnit.SECONDS);
      assertThat(stalls).as("one report per stall").isEmpty();
    }
  }

  @Test
  void aCloseThatStopsManyMachines_eachQuickly_isNoStall_butOneMachineBlockingItsStopIs()
      throws Exception {
    // 24 machines whose exit action takes 25 ms: the close takes 600 ms, three thresholds, yet
    // no one callback blocks the loop for one; then one machine whose exit takes 600 ms does
    EventLoop loop = EventLoop.start("closing", LoopOptions.DEFAULTS
        .withWatchdog(Duration.ofMillis(200), Duration.ofMillis(20), stalls::add));
    // twelve quick ones on either side of the slow one, whichever end the close starts from
    for (int i = 0; i < 25; i++) {
      boolean slow = i == 12;
      loop.start(Stator.<String, Recorder>machine(slow ? "slow-exit" : "quick-exit")
          .initial("A").state("A", s -> s.onExit(r -> Thread.sleep(slow ? 600 : 25)))
          .build(), slow ? "slow" : "quick-" + i, new Recorder());
    }
    CompletableFuture<Void> started = new CompletableFuture<>();
    loop.execute(() -> started.complete(null));
    started.get(10, TimeUnit.SECONDS);

    loop.close();

    assertThat(stalls).as("stalls reported while the loop closed").singleElement()
        .satisfies(stall -> {
          assertThat(stall.machineId()).isEqualTo("slow");
          assertThat(stall.phase()).isEqualTo(Phase.STOP);
        });
  }

  @Test
  void idleLoop_isNeverReported() throws Exception {
    try (EventLoop loop = loop("idle")) {
      loop.start(Stator.<String, Recorder>machine("idle")
          .initial("A").state("A", s -> s.after(Duration.ofHours(1)).goTo("B")).state("B")
          .build(), new Recorder());

      assertThat(stalls.poll(1, TimeUnit.SECONDS)).isNull();
    }
  }
}
