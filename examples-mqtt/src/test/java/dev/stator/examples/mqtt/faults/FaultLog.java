package dev.stator.examples.mqtt.faults;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Every decision and event of a {@link FaultProxy}, with the milliseconds since the log began:
 * printed with a failing run, it says what the proxy did and when. Counts the faults that fired,
 * by kind. Thread-safe.
 */
public final class FaultLog {

  private final long startNanos = System.nanoTime();
  private final List<String> lines = new ArrayList<>();
  private final Map<FaultKind, Integer> fired = new EnumMap<>(FaultKind.class);

  /** Records one line. */
  public synchronized void add(String line) {
    lines.add(String.format("%7.1f ms  %s", (System.nanoTime() - startNanos) / 1e6, line));
  }

  synchronized void fired(FaultKind kind, String line) {
    fired.merge(kind, 1, Integer::sum);
    add(line);
  }

  /** {@return how many faults of each kind fired (kinds that never fired are absent)} */
  public synchronized Map<FaultKind, Integer> firedByKind() {
    return new EnumMap<>(fired);
  }

  /** {@return how many faults fired in all} */
  public synchronized int firedCount() {
    return fired.values().stream().mapToInt(Integer::intValue).sum();
  }

  /** {@return every line so far} */
  public synchronized List<String> lines() {
    return List.copyOf(lines);
  }

  /** {@return every line so far, one per line} */
  public synchronized String dump() {
    return String.join("\n", lines);
  }
}
