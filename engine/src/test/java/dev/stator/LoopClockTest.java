package dev.stator;

import static dev.stator.Charts.machine;
import static org.assertj.core.api.Assertions.assertThat;

import dev.stator.testing.TestLoop;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A loop's time comes from its {@link LoopClock}: virtual on a test loop, moved only by the test;
 * {@link LoopClock#system()} on a real loop. A callback's {@code step.nanoTime()} reads the same
 * clock.
 */
final class LoopClockTest {

  @Test
  void aTestLoopsClock_isVirtual_andMovesOnlyWhenTheTestAdvancesIt() {
    try (TestLoop loop = TestLoop.create()) {
      LoopClock clock = loop.clock();
      long start = clock.nanoTime();

      loop.runUntilIdle();
      assertThat(clock.nanoTime()).isEqualTo(start);

      loop.advance(Duration.ofMillis(1500));
      assertThat(clock.nanoTime() - start).isEqualTo(1_500_000_000L);
      assertThat(loop.elapsed()).isEqualTo(Duration.ofNanos(clock.nanoTime()));
    }
  }

  @Test
  void aStepsTime_isTheLoopsClock() {
    List<Long> seen = new ArrayList<>();
    try (TestLoop loop = TestLoop.create()) {
      Machine<Object> machine = loop.start(machine("clocked",
          Charts.<Object>state("a")
              .entry((context, step) -> seen.add(step.nanoTime()))
              .on("again", "b"),
          Charts.<Object>state("b")
              .entry((context, step) -> seen.add(step.nanoTime()))), new Object());
      loop.advance(Duration.ofSeconds(3));
      machine.send("again");
      loop.runUntilIdle();

      assertThat(seen).containsExactly(0L, 3_000_000_000L);
      assertThat(loop.clock().nanoTime()).isEqualTo(3_000_000_000L);
    }
  }

  @Test
  void aRealLoop_runsOnTheSystemClock() throws Exception {
    try (EventLoop loop = EventLoop.start("clock-test")) {
      assertThat(loop.clock()).isSameAs(LoopClock.system());
    }
    LoopClock system = LoopClock.system();
    long before = system.nanoTime();
    long after = system.nanoTime();
    assertThat(after).isGreaterThanOrEqualTo(before);
    assertThat(system).hasToString("LoopClock.system()");
  }

  @Test
  void anyOneMethodTimeSource_isAClock_soAGuavaTickerAdaptsWithAMethodReference() {
    // the shape of Guava's Ticker, without depending on Guava: ticker::read is a LoopClock
    final class FixedTicker {
      long read() {
        return 42;
      }
    }
    FixedTicker ticker = new FixedTicker();
    LoopClock clock = ticker::read;

    assertThat(clock.nanoTime()).isEqualTo(42);
  }
}
