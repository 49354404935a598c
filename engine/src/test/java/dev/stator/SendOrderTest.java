package dev.stator;

import static dev.stator.Charts.machine;
import static dev.stator.Charts.state;
import static org.assertj.core.api.Assertions.assertThat;

import dev.stator.dsl.Stator;
import dev.stator.testing.TestLoop;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * Events sent from the loop's own thread (by actions, listeners, tasks) are all delivered, each
 * once, in the order they were sent, however many wait at a time; and while they wait,
 * {@code queuedEvents()} counts them.
 */
final class SendOrderTest {

  /** Records every number it receives; on 0 sends itself {@code burst} more, from 1,000 up. */
  private static MachineDefinition<List<Integer>> recorder(int burst) {
    return Stator.<Object, List<Integer>>machine("recorder")
        .initial("RECORDING")
        .state("RECORDING", s -> s.on(Integer.class).then((seen, step) -> {
          int n = step.event();
          seen.add(n);
          if (n == 0) {
            for (int i = 0; i < burst; i++) {
              step.machine().send(1_000 + i);
            }
          }
        }).stay())
        .build();
  }

  @Test
  void eventsSentDuringASingleStep_areDeliveredInTheOrderSent_evenHundredsOfThem() {
    TestLoop loop = TestLoop.create(LoopOptions.DEFAULTS.withBatchSize(7), 0);
    List<Integer> seen = new ArrayList<>();
    Machine<List<Integer>> target = loop.start(recorder(1_500), seen);
    Machine<Object> sender = loop.start(machine("sender",
        Charts.<Object>state("idle").on("go", null, (context, step) -> {
          for (int i = 0; i < 10; i++) {
            target.send(i);
          }
        })), new Object());

    sender.send("go");

    List<Integer> expected = new ArrayList<>(IntStream.range(0, 10).boxed().toList());
    expected.addAll(IntStream.range(1_000, 2_500).boxed().toList());
    assertThat(seen).containsExactlyElementsOf(expected);
  }

  @Test
  void queuedEvents_countsWhatASteps_sendsStillWaitFor() {
    TestLoop loop = TestLoop.create();
    List<Integer> counted = new ArrayList<>();
    List<Integer> seen = new ArrayList<>();
    Machine<List<Integer>> target = loop.start(recorder(0), seen);
    Machine<Object> sender = loop.start(machine("sender",
        Charts.<Object>state("idle").on("go", null, (context, step) -> {
          counted.add(loop.queuedEvents());
          target.send(1);
          target.send(2);
          target.send(3);
          counted.add(loop.queuedEvents());
        })), new Object());

    sender.send("go");

    assertThat(counted).containsExactly(0, 3);
    assertThat(seen).containsExactly(1, 2, 3);
    assertThat(loop.queuedEvents()).isZero();
  }
}
