package dev.stator.internal;

import java.util.ArrayList;
import java.util.Comparator;

/**
 * A hashed timing wheel: O(1) schedule and cancel, expiry in deadline order. Loop-confined.
 *
 * <p>Each timer sits in the bucket of its deadline's tick, in a doubly linked list, so cancelling
 * is an unlink. Expiring walks the buckets of the ticks that passed and fires the timers whose
 * deadline has come, sorted by deadline (stable, so timers with one deadline fire in the order they
 * were scheduled). A timer is never fired before its deadline; on a real clock it fires at most
 * about one tick late. A clock jump longer than a rotation walks every bucket once.
 */
public final class TimerWheel {

  private static final int IDLE = -1;
  private static final int COLLECTED = -2;
  private static final Comparator<Node> BY_DEADLINE = Comparator.comparingLong(n -> n.deadline);

  /** A timer; subclasses say what expiring means. */
  public abstract static class Node {
    long deadline;
    int bucket = IDLE;
    Node prev;
    Node next;

    /** Called on the loop thread when the deadline has come; must not throw. */
    protected abstract void expire();

    /** Returns whether the timer is scheduled and has neither fired nor been cancelled. */
    public final boolean isPending() {
      return bucket != IDLE;
    }

    /** Returns the deadline, on the wheel's ticker. */
    public final long deadline() {
      return deadline;
    }
  }

  private final long origin;
  private final long tickNanos;
  private final Node[] heads;
  private final Node[] tails;
  private final int mask;
  private long processedTick;
  private int size;
  private final ArrayList<Node> due = new ArrayList<>();

  /**
   * Creates a wheel.
   *
   * @param now the ticker's reading now
   * @param tickNanos the resolution
   * @param buckets a power of two
   */
  public TimerWheel(long now, long tickNanos, int buckets) {
    if (Integer.bitCount(buckets) != 1) {
      throw new IllegalArgumentException("buckets must be a power of two, not " + buckets);
    }
    this.origin = now;
    this.tickNanos = tickNanos;
    this.heads = new Node[buckets];
    this.tails = new Node[buckets];
    this.mask = buckets - 1;
    this.processedTick = -1;
  }

  private long tickOf(long time) {
    return Math.floorDiv(time - origin, tickNanos);
  }

  /** Returns how many timers are pending. */
  public int size() {
    return size;
  }

  /**
   * Schedules {@code node} to expire at {@code deadline}.
   *
   * @param node a node that is not pending
   * @param deadline the ticker reading at which it is due
   */
  public void schedule(Node node, long deadline) {
    if (node.bucket != IDLE) {
      throw new IllegalStateException("timer is already scheduled");
    }
    node.deadline = deadline;
    long tick = Math.max(tickOf(deadline), processedTick + 1);
    int index = (int) (tick & mask);
    node.bucket = index;
    node.next = null;
    node.prev = tails[index];
    if (tails[index] == null) {
      heads[index] = node;
    } else {
      tails[index].next = node;
    }
    tails[index] = node;
    size++;
  }

  /**
   * Cancels a pending timer.
   *
   * @param node the timer
   * @return whether it was pending
   */
  public boolean cancel(Node node) {
    int index = node.bucket;
    if (index == IDLE) {
      return false;
    }
    if (index != COLLECTED) {
      unlink(node, index);
    }
    node.bucket = IDLE;
    return true;
  }

  private void unlink(Node node, int index) {
    if (node.prev == null) {
      heads[index] = node.next;
    } else {
      node.prev.next = node.next;
    }
    if (node.next == null) {
      tails[index] = node.prev;
    } else {
      node.next.prev = node.prev;
    }
    node.prev = null;
    node.next = null;
    size--;
  }

  /**
   * Fires every timer whose deadline is at or before {@code now}, earliest first.
   *
   * @param now the ticker's reading
   * @return how many fired
   */
  public int expire(long now) {
    long nowTick = tickOf(now);
    if (nowTick <= processedTick || size == 0) {
      if (size == 0) {
        processedTick = Math.max(processedTick, nowTick - 1);
      }
      return 0;
    }
    long first = processedTick + 1;
    if (nowTick - first >= heads.length) {
      for (int index = 0; index < heads.length; index++) {
        collect(index, now);
      }
    } else {
      for (long tick = first; tick <= nowTick; tick++) {
        collect((int) (tick & mask), now);
      }
    }
    processedTick = nowTick - 1;
    if (due.isEmpty()) {
      return 0;
    }
    if (due.size() > 1) {
      due.sort(BY_DEADLINE);
    }
    int fired = 0;
    try {
      for (int i = 0; i < due.size(); i++) {
        Node node = due.get(i);
        if (node.bucket == COLLECTED) {
          node.bucket = IDLE;
          fired++;
          node.expire();
        }
      }
    } finally {
      for (int i = 0; i < due.size(); i++) {
        Node node = due.get(i);
        if (node.bucket == COLLECTED) {
          // a fatal error interrupted the batch: keep the rest pending rather than lose them
          node.bucket = IDLE;
          schedule(node, node.deadline);
        }
      }
      due.clear();
    }
    return fired;
  }

  private void collect(int index, long now) {
    Node node = heads[index];
    while (node != null) {
      Node next = node.next;
      if (node.deadline <= now) {
        unlink(node, index);
        node.bucket = COLLECTED;
        due.add(node);
      }
      node = next;
    }
  }

  /**
   * Returns the earliest pending deadline, or {@link Long#MAX_VALUE} when no timer is pending.
   * Looks one rotation ahead bucket by bucket, and only when nothing is due within it scans every
   * timer: cheap when timers are dense, exact always.
   */
  public long nextDeadline() {
    if (size == 0) {
      return Long.MAX_VALUE;
    }
    for (long tick = processedTick + 1; tick <= processedTick + heads.length; tick++) {
      long earliest = Long.MAX_VALUE;
      for (Node node = heads[(int) (tick & mask)]; node != null; node = node.next) {
        if (tickOf(node.deadline) <= tick && node.deadline < earliest) {
          earliest = node.deadline;
        }
      }
      if (earliest != Long.MAX_VALUE) {
        return earliest;
      }
    }
    long earliest = Long.MAX_VALUE;
    for (Node head : heads) {
      for (Node node = head; node != null; node = node.next) {
        earliest = Math.min(earliest, node.deadline);
      }
    }
    return earliest;
  }
}
