package dev.stator.internal.timer;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The timer wheel against a reference model: a priority queue ordered by (deadline, sequence). */
final class TimerWheelTest {

  private static final long TICK = 1_000_000L;

  private static final class Recorded extends TimerWheel.Node {
    int id;
    long seq;
    final List<Integer> fired;
    long firedAt;
    final long[] clock;

    Recorded(int id, long seq, List<Integer> fired, long[] clock) {
      this(id, seq, fired, clock, false);
    }

    Recorded(int id, long seq, List<Integer> fired, long[] clock, boolean keepsSlot) {
      super(keepsSlot);
      this.id = id;
      this.seq = seq;
      this.fired = fired;
      this.clock = clock;
    }

    @Override
    protected void expire() {
      firedAt = clock[0];
      fired.add(id);
    }
  }

  private record Expected(int id, long deadline, long seq) {}

  @ParameterizedTest(name = "seed {0}")
  @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10})
  void randomSchedulesCancelsAndClockSteps_fireExactlyLikeTheReferenceModel(long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    // odd seeds: a tick the wheel must divide by; even seeds: a power of two it shifts by
    long tick = seed % 2 == 1 ? TICK : 1L << 20;
    long origin = random.nextLong(-1L << 40, 1L << 40);
    long[] clock = {origin};
    TimerWheel wheel = new TimerWheel(origin, tick, 64);
    List<Integer> fired = new ArrayList<>();
    List<Integer> expectedFired = new ArrayList<>();
    PriorityQueue<Expected> model = new PriorityQueue<>(
        Comparator.comparingLong(Expected::deadline).thenComparingLong(Expected::seq));
    List<Recorded> live = new ArrayList<>();
    // nodes that keep their slot, idle, waiting to be scheduled again (as state timeouts are)
    List<Recorded> spare = new ArrayList<>();
    long seq = 0;
    for (int op = 0; op < 20_000; op++) {
      int choice = random.nextInt(10);
      if (choice < 5) {
        long delay = switch (random.nextInt(4)) {
          case 0 -> random.nextLong(0, tick);
          case 1 -> random.nextLong(0, 64 * tick);
          case 2 -> random.nextLong(0, 1000 * tick);
          default -> -random.nextLong(0, 10 * tick);
        };
        Recorded node;
        if (!spare.isEmpty() && random.nextBoolean()) {
          node = spare.remove(random.nextInt(spare.size()));
          node.id = op;
          node.seq = seq;
        } else {
          node = new Recorded(op, seq, fired, clock, random.nextBoolean());
        }
        long deadline = clock[0] + delay;
        wheel.schedule(node, deadline);
        model.add(new Expected(op, deadline, seq++));
        live.add(node);
      } else if (choice < 7 && !live.isEmpty()) {
        Recorded victim = live.remove(random.nextInt(live.size()));
        boolean wasPending = victim.isPending();
        if (victim.keepsSlot && random.nextBoolean()) {
          wheel.discard(victim);
          assertThat(victim.isPending()).isFalse();
        } else {
          assertThat(wheel.cancel(victim)).isEqualTo(wasPending);
          if (victim.keepsSlot) {
            spare.add(victim);
          }
        }
        model.removeIf(e -> e.id() == victim.id);
      } else {
        long step = random.nextInt(20) == 0 ? random.nextLong(0, 2000 * tick)
            : random.nextLong(0, 3 * tick);
        clock[0] += step;
        wheel.expire(clock[0]);
        while (!model.isEmpty() && model.peek().deadline() <= clock[0]) {
          expectedFired.add(model.poll().id());
        }
        assertThat(fired).as("seed %d, op %d", seed, op).isEqualTo(expectedFired);
        for (Recorded node : live) {
          if (!node.isPending() && node.keepsSlot) {
            spare.add(node);
          }
        }
        live.removeIf(n -> !n.isPending());
        assertThat(wheel.size()).isEqualTo(model.size());
        long next = wheel.nextDeadline();
        assertThat(next).isEqualTo(model.isEmpty() ? Long.MAX_VALUE : model.peek().deadline());
      }
    }
  }

  @Test
  void timer_neverFiresBeforeItsDeadline() {
    long[] clock = {0};
    List<Integer> fired = new ArrayList<>();
    TimerWheel wheel = new TimerWheel(0, TICK, 64);
    Recorded node = new Recorded(1, 0, fired, clock);
    wheel.schedule(node, 5 * TICK + 1);

    wheel.expire(5 * TICK);
    assertThat(fired).isEmpty();
    wheel.expire(5 * TICK + 1);
    assertThat(fired).containsExactly(1);
  }

  @Test
  void oneMillionPendingTimers_fitAndExpireInOrder() {
    long[] clock = {0};
    List<Integer> fired = new ArrayList<>();
    TimerWheel wheel = new TimerWheel(0, TICK, 4096);
    SplittableRandom random = new SplittableRandom(7);
    for (int i = 0; i < 1_000_000; i++) {
      wheel.schedule(new Recorded(i, i, fired, clock), random.nextLong(0, 60_000 * TICK));
    }
    assertThat(wheel.size()).isEqualTo(1_000_000);

    clock[0] = 60_000 * TICK;
    wheel.expire(clock[0]);

    assertThat(fired).hasSize(1_000_000);
    assertThat(wheel.size()).isZero();
  }
}
