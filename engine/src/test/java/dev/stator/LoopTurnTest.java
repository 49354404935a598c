package dev.stator;

import static dev.stator.Charts.machine;
import static dev.stator.Charts.state;
import static org.assertj.core.api.Assertions.assertThat;

import dev.stator.testing.TestLoop;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * A loop's turn takes at most a batch of events from its own queue, then at most a batch from
 * other threads, so a machine that keeps sending itself events cannot starve the rest; and events
 * sent to a machine whose start is still queued are kept, in order, and processed once it starts.
 */
final class LoopTurnTest {

  /** Counts "tick"s, sending itself the next one up to 1,000; "stop" notes how far it got. */
  private static MachineDefinition<int[]> ticker(List<Integer> stoppedAt) {
    return machine("ticker",
        Charts.<int[]>state("counting")
            .on("tick", null, (count, step) -> {
              if (++count[0] < 1_000) {
                step.machine().send("tick");
              }
            })
            .on("stop", "stopped", (count, step) -> stoppedAt.add(count[0])),
        state("stopped"));
  }

  @Test
  void aTurn_takesAtMostABatchFromTheLoopsOwnQueue_beforeEventsFromOtherThreads()
      throws InterruptedException {
    TestLoop loop = TestLoop.create(LoopOptions.DEFAULTS.withBatchSize(4), 0);
    List<Integer> stoppedAt = new ArrayList<>();
    Machine<int[]> machine = loop.start(ticker(stoppedAt), new int[1]);
    OtherThread.run(() -> machine.send("stop"));

    machine.send("tick");
    loop.runUntilIdle();

    assertThat(stoppedAt).containsExactly(4);
    assertThat(machine.state().path()).isEqualTo("stopped");
  }

  @Test
  void aTurn_takesAtMostABatchFromOtherThreads_beforeTheLoopsOwnQueueAgain()
      throws InterruptedException {
    TestLoop loop = TestLoop.create(LoopOptions.DEFAULTS.withBatchSize(2), 0);
    List<String> seen = new ArrayList<>();
    Machine<Object> machine = loop.start(machine("log",
        Charts.<Object>state("a")
            .on("outside", null, (context, step) -> {
              seen.add("outside");
              if (seen.size() == 1) {
                step.machine().send("inside");
              }
            })
            .on("inside", null, Charts.run(() -> seen.add("inside")))), new Object());
    OtherThread.run(() -> {
      for (int i = 0; i < 5; i++) {
        machine.send("outside");
      }
    });

    loop.runUntilIdle();

    // turn 1: two from the inbox (the first queues "inside"); turn 2: "inside", then two more
    assertThat(seen).containsExactly("outside", "outside", "inside", "outside", "outside",
        "outside");
  }

  @Test
  void eventsSentBeforeTheMachineStarted_areProcessedAfterItsStart_inOrder()
      throws InterruptedException {
    TestLoop loop = TestLoop.create();
    List<String> seen = new ArrayList<>();
    MachineDefinition<Object> definition = machine("early",
        Charts.<Object>state("a")
            .entry(Charts.run(() -> seen.add("started")))
            .on("first", "b", Charts.run(() -> seen.add("first"))),
        Charts.<Object>state("b").on("second", "c", Charts.run(() -> seen.add("second"))),
        state("c"));
    AtomicReference<Machine<Object>> started = new AtomicReference<>();
    // started from another thread, the start waits in the loop's inbox ...
    OtherThread.run(() -> started.set(loop.start(definition, new Object())));
    Machine<Object> machine = started.get();

    // ... while events sent on the loop thread reach the machine first
    machine.send("first");
    machine.send("second");
    loop.runUntilIdle();

    assertThat(seen).containsExactly("started", "first", "second");
    assertThat(machine.state().path()).isEqualTo("c");
  }
}
