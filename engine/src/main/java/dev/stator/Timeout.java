package dev.stator;

import java.time.Duration;

/**
 * The event of a delayed transition: the machine stayed in {@code state} for {@code delay}.
 * Immutable; safe to share between threads.
 *
 * @param state the name of the state whose timer fired
 * @param delay the delay that passed
 */
public record Timeout(String state, Duration delay) {
  @Override
  public String toString() {
    return "Timeout(" + state + " after " + delay + ")";
  }
}
