package dev.stator.dsl;

import dev.stator.Machine;
import dev.stator.TimerHandle;
import dev.stator.model.Action;
import dev.stator.model.Trigger;
import java.time.Duration;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.WeakHashMap;

/**
 * The parts of one {@link StateBuilder#every} declaration: an entry action that starts a timer
 * with this declaration's own tick event, a targetless transition on that tick that starts the
 * next timer and runs the user's action, and an exit action that cancels the pending timer.
 *
 * <p>Built on the public step timers ({@code Step.startTimer}), which outlive a state; the pending
 * timer of each running machine is kept here, by machine, so that the exit can cancel it. The map
 * holds machines weakly: a machine that fails or is reset drops its timers itself, and its entry
 * goes with it. Safe to share between loops: the map is synchronized, and each machine only ever
 * touches its own entry, on its loop thread.
 *
 * @param <C> the context type
 */
final class Periodic<C> {
  private final Tick tick;
  private final Duration period;
  private final Map<Machine<?>, TimerHandle> pending =
      Collections.synchronizedMap(new WeakHashMap<>());

  Periodic(String stateName, Duration period) {
    Objects.requireNonNull(period, "period");
    if (period.isNegative() || period.isZero()) {
      throw new IllegalArgumentException("state '" + stateName + "': every(period) needs a"
          + " positive period, not " + period);
    }
    this.period = period;
    this.tick = new Tick(stateName, period);
  }

  /** The trigger of the transition taken on each tick: this declaration's own event. */
  Trigger trigger() {
    return new Trigger.OnEvent(tick);
  }

  /** The entry action: the first tick comes one period after the state was entered. */
  Action<C, Object> arm() {
    return (context, step) -> pending.put(step.machine(), step.startTimer(period, tick));
  }

  /** The action of the tick's transition: the next tick, one period after this one. */
  Action<C, Object> rearm() {
    return arm();
  }

  /** The exit action: no tick reaches the state after it was left. */
  Action<C, Object> disarm() {
    return (context, step) -> {
      TimerHandle handle = pending.remove(step.machine());
      if (handle != null) {
        handle.cancel();
      }
    };
  }

  /**
   * The event of one {@code every} declaration; equal only to itself, so that no other event and
   * no other declaration's tick takes its transition.
   */
  static final class Tick {
    private final String description;

    Tick(String stateName, Duration period) {
      this.description = "every " + period + " in " + stateName;
    }

    @Override
    public String toString() {
      return description;
    }
  }
}
