package dev.stator;

import static dev.stator.Charts.machine;
import static dev.stator.Charts.state;
import static org.assertj.core.api.Assertions.assertThat;

import dev.stator.testing.TestLoop;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A timer started by an action answers whether cancelling it did anything: true only while it was
 * still pending, so an action can tell a cancelled timeout from one that already fired.
 */
final class TimerHandleTest {

  private final TestLoop loop = TestLoop.create();
  private final List<Object> answers = new ArrayList<>();
  private TimerHandle timer;

  private MachineDefinition<Object> withTimer() {
    return machine("timed",
        Charts.<Object>state("a")
            .entry((context, step) -> timer = step.startTimer(Duration.ofSeconds(5), "ring"))
            .on("ring", null, Charts.run(() -> answers.add("rang")))
            .on("cancel", null, Charts.run(() -> answers.add(timer.cancel())))
            .on("pending?", null, Charts.run(() -> answers.add(timer.isPending()))),
        state("b"));
  }

  @Test
  void cancellingAPendingTimer_returnsTrue_andItNeverFires() {
    Machine<Object> machine = loop.start(withTimer(), new Object());

    machine.send("cancel");
    machine.send("pending?");
    loop.runUntilIdle();
    loop.advance(Duration.ofSeconds(10));

    assertThat(answers).containsExactly(true, false);
    assertThat(loop.pendingTimers()).isZero();
  }

  @Test
  void cancellingAFiredTimer_returnsFalse() {
    Machine<Object> machine = loop.start(withTimer(), new Object());

    loop.advance(Duration.ofSeconds(5));
    machine.send("pending?");
    machine.send("cancel");
    loop.runUntilIdle();

    assertThat(answers).containsExactly("rang", false, false);
  }

  @Test
  void cancellingTwice_returnsTrueOnlyTheFirstTime() {
    Machine<Object> machine = loop.start(withTimer(), new Object());

    machine.send("pending?");
    machine.send("cancel");
    machine.send("cancel");
    loop.runUntilIdle();

    assertThat(answers).containsExactly(true, true, false);
  }

  @Test
  void aTimer_firesAtItsDeadline_notBefore() {
    loop.start(withTimer(), new Object());

    loop.advance(Duration.ofMillis(4_999));
    assertThat(answers).isEmpty();
    loop.advance(Duration.ofMillis(1));
    assertThat(answers).containsExactly("rang");
  }

  @Test
  void stepNanoTime_isTheLoopsVirtualTime() {
    long[] seen = new long[2];
    Machine<Object> machine = loop.start(machine("clock",
        Charts.<Object>state("a")
            .entry((context, step) -> seen[0] = step.nanoTime())
            .on("read", null, (context, step) -> seen[1] = step.nanoTime())), new Object());

    loop.advance(Duration.ofSeconds(3));
    machine.send("read");
    loop.runUntilIdle();

    assertThat(seen[1] - seen[0]).isEqualTo(Duration.ofSeconds(3).toNanos());
  }
}
