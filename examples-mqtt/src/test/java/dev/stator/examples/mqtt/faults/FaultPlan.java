package dev.stator.examples.mqtt.faults;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;

/**
 * The faults a {@link FaultProxy} injects, in order: each new connection is armed with the next
 * one, and a connection whose fault did not end it (a {@link FaultKind#DELAY}) is armed with the
 * one after. Every decision is drawn up front from one {@link Random} seeded with the plan's seed,
 * so the same seed gives the same plan whatever the timing; {@link #describe()} lists it. Once the
 * plan is used up, or {@link #stop() stopped}, connections run clean. Thread-safe.
 */
public final class FaultPlan {

  /**
   * What a seeded plan draws from.
   *
   * @param kinds the kinds, each equally likely (list one twice to weigh it double)
   * @param maxGapBytes the largest gap, in bytes, before a fault fires
   * @param maxDelayMillis the longest {@link FaultKind#DELAY}
   * @param maxSpanBytes the most bytes one delay holds back
   * @param minDowntimeMillis the shortest time the broker stays killed
   * @param maxDowntimeMillis the longest time the broker stays killed
   */
  public record Shape(List<FaultKind> kinds, long maxGapBytes, long maxDelayMillis,
      long maxSpanBytes, long minDowntimeMillis, long maxDowntimeMillis) {

    public Shape {
      kinds = List.copyOf(kinds);
      if (kinds.isEmpty() || maxGapBytes < 0 || maxDelayMillis < 1 || maxSpanBytes < 1
          || minDowntimeMillis < 0 || maxDowntimeMillis < minDowntimeMillis) {
        throw new IllegalArgumentException("unusable shape " + kinds + " " + maxGapBytes + " "
            + maxDelayMillis + " " + maxSpanBytes + " " + minDowntimeMillis + " "
            + maxDowntimeMillis);
      }
    }
  }

  private final long seed;
  private final List<Fault> faults;
  private int next;
  private boolean stopped;

  private FaultPlan(long seed, List<Fault> faults) {
    this.seed = seed;
    this.faults = List.copyOf(faults);
  }

  /** {@return the given faults, in this order} */
  public static FaultPlan of(Fault... faults) {
    return new FaultPlan(-1, List.of(faults));
  }

  /** {@return no fault at all: a plain forwarding proxy} */
  public static FaultPlan none() {
    return of();
  }

  /** {@return {@code count} faults drawn from {@code shape} by a generator seeded {@code seed}} */
  public static FaultPlan seeded(long seed, int count, Shape shape) {
    Random random = new Random(seed);
    List<Fault> faults = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      FaultKind kind = shape.kinds().get(random.nextInt(shape.kinds().size()));
      Direction direction = random.nextBoolean() ? Direction.UPSTREAM : Direction.DOWNSTREAM;
      long gap = random.nextLong(shape.maxGapBytes() + 1);
      faults.add(switch (kind) {
        case DELAY -> Fault.delay(gap, direction, 1 + random.nextLong(shape.maxDelayMillis()),
            1 + random.nextLong(shape.maxSpanBytes()));
        case KILL_BROKER -> Fault.killBroker(gap, direction, shape.minDowntimeMillis()
            + random.nextLong(shape.maxDowntimeMillis() - shape.minDowntimeMillis() + 1));
        default -> Fault.after(gap, direction, kind);
      });
    }
    return new FaultPlan(seed, faults);
  }

  /** {@return the seed the plan was drawn with; -1 for a plan given fault by fault} */
  public long seed() {
    return seed;
  }

  /** {@return every fault of the plan, in the order they are handed out} */
  public List<Fault> faults() {
    return faults;
  }

  /** {@return the next fault to arm, or empty once the plan is used up or stopped} */
  public synchronized Optional<Fault> next() {
    if (stopped || next == faults.size()) {
      return Optional.empty();
    }
    return Optional.of(faults.get(next++));
  }

  /** {@return how many faults were handed out} */
  public synchronized int handedOut() {
    return next;
  }

  /** Hands out no more faults. */
  public synchronized void stop() {
    stopped = true;
  }

  /** {@return the plan, one line per fault, with its seed: what reproduces a run} */
  public String describe() {
    StringBuilder text = new StringBuilder("plan, seed " + seed + ", " + faults.size() + " faults");
    for (int i = 0; i < faults.size(); i++) {
      text.append("\n  #").append(i).append(' ').append(faults.get(i));
    }
    return text.toString();
  }
}
