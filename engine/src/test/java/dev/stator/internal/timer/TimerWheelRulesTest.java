package dev.stator.internal.timer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The wheel's rules one by one: what {@code expire} fires and reports, what {@code cancel} answers,
 * which deadline {@code nextDeadline} gives, that timers far ahead, overdue or many still fire on
 * time, that a throwing timer leaves the rest of its batch pending, that the clock's readings may
 * lie anywhere in the long range, and that the wheel keeps no timer that fired or was cancelled.
 */
final class TimerWheelRulesTest {

  private static final long TICK = 1L << 20;
  private static final int BUCKETS = 64;

  private static final class Timer extends TimerWheel.Node {
    final String name;
    final List<String> fired;

    Timer(String name, List<String> fired) {
      this(name, fired, false);
    }

    Timer(String name, List<String> fired, boolean keepsSlot) {
      super(keepsSlot);
      this.name = name;
      this.fired = fired;
    }

    @Override
    protected void expire() {
      fired.add(name);
    }
  }

  private final List<String> fired = new ArrayList<>();
  private final TimerWheel wheel = new TimerWheel(0, TICK, BUCKETS);

  private Timer scheduled(String name, long deadline) {
    Timer timer = new Timer(name, fired);
    wheel.schedule(timer, deadline);
    return timer;
  }

  @Test
  void expire_firesWhatIsDue_earliestFirst_andReportsHowMany() {
    scheduled("late", 7 * TICK);
    scheduled("early", 3 * TICK);
    scheduled("later", 70 * TICK);

    assertThat(wheel.expire(8 * TICK)).isEqualTo(2);
    assertThat(fired).containsExactly("early", "late");
    assertThat(wheel.expire(8 * TICK)).isZero();
    assertThat(wheel.size()).isEqualTo(1);
  }

  @Test
  void aTimerThatFired_doesNotFireAgain() {
    scheduled("once", 2 * TICK);

    wheel.expire(3 * TICK);
    wheel.expire(200 * TICK);

    assertThat(fired).containsExactly("once");
    assertThat(wheel.size()).isZero();
    assertThat(wheel.nextDeadline()).isEqualTo(Long.MAX_VALUE);
  }

  @Test
  void cancel_isTrueOnlyForAPendingTimer() {
    Timer fires = scheduled("fires", TICK);
    Timer cancelled = scheduled("cancelled", 2 * TICK);

    assertThat(wheel.cancel(cancelled)).isTrue();
    assertThat(wheel.cancel(cancelled)).isFalse();
    wheel.expire(5 * TICK);
    assertThat(wheel.cancel(fires)).isFalse();
    assertThat(fired).containsExactly("fires");
  }

  @Test
  void nextDeadline_isTheEarliestPendingDeadline_orMaxValueWhenNoneIs() {
    assertThat(wheel.nextDeadline()).isEqualTo(Long.MAX_VALUE);

    // one rotation and a tick ahead: in the bucket of tick 1, which comes first in the walk
    Timer farAhead = scheduled("far", (BUCKETS + 1) * TICK + 5);
    assertThat(farAhead.deadline()).isEqualTo((BUCKETS + 1) * TICK + 5);
    assertThat(wheel.nextDeadline()).isEqualTo((BUCKETS + 1) * TICK + 5);
    scheduled("soon", 3 * TICK + 7);
    scheduled("sameTick", 3 * TICK + 9);
    assertThat(wheel.nextDeadline()).isEqualTo(3 * TICK + 7);

    wheel.expire(3 * TICK + 8);
    assertThat(wheel.nextDeadline()).isEqualTo(3 * TICK + 9);
  }

  @Test
  void timersInManyBucketsAndMoreThanARotationAhead_fireAtTheirDeadlines_notBefore() {
    scheduled("b5", 5 * TICK);
    scheduled("b6", 6 * TICK);
    scheduled("rotation", 3L * BUCKETS * TICK + 1);

    wheel.expire(6 * TICK);
    assertThat(fired).containsExactly("b5", "b6");
    wheel.expire(3L * BUCKETS * TICK);
    assertThat(fired).containsExactly("b5", "b6");
    wheel.expire(3L * BUCKETS * TICK + 1);
    assertThat(fired).containsExactly("b5", "b6", "rotation");
  }

  @Test
  void aTimerScheduledWithADeadlineAlreadyPassed_firesAtTheNextExpire() {
    wheel.expire(10 * TICK);

    scheduled("overdue", 0);
    wheel.expire(10 * TICK + 1);

    assertThat(fired).containsExactly("overdue");
  }

  @Test
  void moreTimersThanTheSlabStartsWith_areAllPendingAndFire() {
    for (int i = 0; i < 200; i++) {
      scheduled("t" + i, (i % 10 + 1) * TICK);
    }
    assertThat(wheel.size()).isEqualTo(200);

    assertThat(wheel.expire(20 * TICK)).isEqualTo(200);
    assertThat(fired).hasSize(200);
  }

  @Test
  void theClocksReadings_mayLieAnywhereInTheLongRange() {
    for (long origin : new long[] {Long.MAX_VALUE / 2 + 1, Long.MIN_VALUE / 2 - 1, -1}) {
      List<String> seen = new ArrayList<>();
      TimerWheel shifted = new TimerWheel(origin, TICK, BUCKETS);
      shifted.schedule(new Timer("t", seen), origin + 5 * TICK);

      shifted.expire(origin + 5 * TICK - 1);
      assertThat(seen).as("origin %d", origin).isEmpty();
      shifted.expire(origin + 5 * TICK);
      assertThat(seen).as("origin %d", origin).containsExactly("t");
    }
  }

  @Test
  void aTimerThatThrows_leavesTheRestOfItsBatchPending() {
    TimerWheel.Node throwing = new TimerWheel.Node() {
      @Override
      protected void expire() {
        throw new AssertionError("fatal in a timer");
      }
    };
    wheel.schedule(throwing, TICK);
    scheduled("after", 2 * TICK);

    assertThatThrownBy(() -> wheel.expire(3 * TICK)).hasMessage("fatal in a timer");
    assertThat(fired).isEmpty();
    assertThat(wheel.size()).isEqualTo(1);
    assertThat(wheel.nextDeadline()).isEqualTo(2 * TICK);

    assertThat(wheel.expire(3 * TICK)).isEqualTo(1);
    assertThat(fired).containsExactly("after");
  }

  private WeakReference<Timer> firedAndDropped() {
    Timer timer = scheduled("dropped", TICK);
    wheel.expire(2 * TICK);
    return new WeakReference<>(timer);
  }

  private WeakReference<Timer> cancelledAndDropped() {
    Timer timer = scheduled("dropped", 5 * TICK);
    wheel.cancel(timer);
    return new WeakReference<>(timer);
  }

  private WeakReference<Timer> discardedAndDropped() {
    Timer timer = new Timer("kept", fired, true);
    wheel.schedule(timer, 5 * TICK);
    wheel.cancel(timer);
    wheel.schedule(timer, 6 * TICK);
    wheel.discard(timer);
    return new WeakReference<>(timer);
  }

  private static boolean collected(WeakReference<?> reference) {
    for (int i = 0; i < 20 && reference.get() != null; i++) {
      System.gc();
    }
    return reference.get() == null;
  }

  @Test
  void aTimerThatFiredWasCancelledOrDiscarded_isNotKeptByTheWheel() {
    WeakReference<Timer> fired = firedAndDropped();
    WeakReference<Timer> cancelled = cancelledAndDropped();
    WeakReference<Timer> discarded = discardedAndDropped();

    assertThat(collected(fired)).as("fired").isTrue();
    assertThat(collected(cancelled)).as("cancelled").isTrue();
    assertThat(collected(discarded)).as("discarded").isTrue();
    assertThat(wheel.size()).isZero();
  }
}
