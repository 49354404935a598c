package dev.stator.internal.timer;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;

/**
 * A hashed timing wheel: O(1) schedule and cancel, expiry in deadline order. Loop-confined.
 *
 * <p>Each timer sits in the bucket of its deadline's tick, in a doubly linked list, so cancelling
 * is an unlink. Expiring walks the buckets of the ticks that passed and fires the timers whose
 * deadline has come, sorted by deadline (stable, so timers with one deadline fire in the order they
 * were scheduled). A timer is never fired before its deadline; on a real clock it fires at most
 * about one tick late. A clock jump longer than a rotation walks every bucket once.
 *
 * <p><b>Why a slab.</b> The lists are made of slot numbers in primitive arrays, not of references
 * between timer objects. A new timer linked into a list of old ones would store a young reference
 * into an old object, which the G1 collector's write barrier makes expensive (a fence, often a
 * card to enqueue) on every schedule and cancel; with int links the only reference stored is the
 * timer itself, once, into its slot. Slots are reused through a free list; the arrays grow by
 * doubling and never shrink.
 */
public final class TimerWheel {

  private static final int NONE = -1;
  private static final byte IDLE = 0;
  private static final byte PENDING = 1;
  private static final byte COLLECTED = 2;
  private static final Comparator<Node> BY_DEADLINE = Comparator.comparingLong(n -> n.deadline);

  /** A timer; subclasses say what expiring means. */
  public abstract static class Node {
    long deadline;
    int slot = NONE;
    byte state = IDLE;
    /**
     * Whether the node keeps its slot when it is cancelled or fires, for a timer scheduled again
     * and again (a state timeout): rescheduling it then stores no reference at all. Such a node
     * must be {@link #discard discarded} when it will not be used again.
     */
    final boolean keepsSlot;

    /** Creates a node that gives its slot back whenever it stops being pending. */
    protected Node() {
      this(false);
    }

    /**
     * Creates a node.
     *
     * @param keepsSlot whether it keeps its slot between schedules
     */
    protected Node(boolean keepsSlot) {
      this.keepsSlot = keepsSlot;
    }

    /** Called on the loop thread when the deadline has come; must not throw. */
    protected abstract void expire();

    /** Returns whether the timer is scheduled and has neither fired nor been cancelled. */
    public final boolean isPending() {
      return state != IDLE;
    }

    /** Returns the deadline, on the wheel's clock. */
    public final long deadline() {
      return deadline;
    }
  }

  private final long origin;
  private final long tickNanos;
  private final int tickShift;
  private final int[] heads;
  private final int[] tails;
  private final int mask;
  private long processedTick;
  private int size;
  private final ArrayList<Node> due = new ArrayList<>();

  // the slab: one slot per pending timer
  private Node[] owners = new Node[64];
  private long[] deadlines = new long[64];
  private int[] nexts = new int[64];
  private int[] prevs = new int[64];
  private int[] buckets = new int[64];
  private int freeSlots = NONE;
  private int usedSlots;

  /**
   * Creates a wheel.
   *
   * @param now the clock's reading now
   * @param tickNanos the resolution
   * @param buckets a power of two
   */
  public TimerWheel(long now, long tickNanos, int buckets) {
    if (Integer.bitCount(buckets) != 1) {
      throw new IllegalArgumentException("buckets must be a power of two, not " + buckets);
    }
    this.origin = now;
    this.tickNanos = tickNanos;
    this.tickShift = Long.bitCount(tickNanos) == 1 ? Long.numberOfTrailingZeros(tickNanos) : -1;
    this.heads = new int[buckets];
    this.tails = new int[buckets];
    Arrays.fill(heads, NONE);
    Arrays.fill(tails, NONE);
    this.mask = buckets - 1;
    this.processedTick = -1;
  }

  private long tickOf(long time) {
    // a shift when the tick is a power of two (the loops' is): a division costs more than the
    // rest of a schedule
    return tickShift >= 0 ? (time - origin) >> tickShift : Math.floorDiv(time - origin, tickNanos);
  }

  /** Returns how many timers are pending. */
  public int size() {
    return size;
  }

  private int allocate(Node node) {
    int slot = freeSlots;
    if (slot != NONE) {
      freeSlots = nexts[slot];
    } else {
      if (usedSlots == owners.length) {
        int capacity = owners.length * 2;
        owners = Arrays.copyOf(owners, capacity);
        deadlines = Arrays.copyOf(deadlines, capacity);
        nexts = Arrays.copyOf(nexts, capacity);
        prevs = Arrays.copyOf(prevs, capacity);
        buckets = Arrays.copyOf(buckets, capacity);
      }
      slot = usedSlots++;
    }
    owners[slot] = node;
    return slot;
  }

  private void release(int slot) {
    owners[slot] = null;
    nexts[slot] = freeSlots;
    freeSlots = slot;
  }

  /**
   * Schedules {@code node} to expire at {@code deadline}.
   *
   * @param node a node that is not pending
   * @param deadline the clock reading at which it is due
   */
  public void schedule(Node node, long deadline) {
    if (node.state != IDLE) {
      throw new IllegalStateException("timer is already scheduled");
    }
    int slot = node.slot;
    if (slot == NONE) {
      slot = allocate(node);
      node.slot = slot;
    }
    node.state = PENDING;
    node.deadline = deadline;
    deadlines[slot] = deadline;
    long tick = Math.max(tickOf(deadline), processedTick + 1);
    int index = (int) (tick & mask);
    buckets[slot] = index;
    int tail = tails[index];
    nexts[slot] = NONE;
    prevs[slot] = tail;
    if (tail == NONE) {
      heads[index] = slot;
    } else {
      nexts[tail] = slot;
    }
    tails[index] = slot;
    size++;
  }

  /**
   * Cancels a pending timer.
   *
   * @param node the timer
   * @return whether it was pending
   */
  public boolean cancel(Node node) {
    if (node.state == IDLE) {
      return false;
    }
    if (node.state == PENDING) {
      unlink(node.slot);
      if (!node.keepsSlot) {
        release(node.slot);
        node.slot = NONE;
      }
    }
    node.state = IDLE;
    return true;
  }

  /**
   * Cancels a node if it is pending and gives back its slot, for a node that keeps its slot and
   * will not be scheduled again.
   *
   * @param node the timer
   */
  public void discard(Node node) {
    cancel(node);
    if (node.slot != NONE) {
      release(node.slot);
      node.slot = NONE;
    }
  }

  private void unlink(int slot) {
    int index = buckets[slot];
    int prev = prevs[slot];
    int next = nexts[slot];
    if (prev == NONE) {
      heads[index] = next;
    } else {
      nexts[prev] = next;
    }
    if (next == NONE) {
      tails[index] = prev;
    } else {
      prevs[next] = prev;
    }
    size--;
  }

  /**
   * Fires every timer whose deadline is at or before {@code now}, earliest first.
   *
   * @param now the clock's reading
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
        if (node.state == COLLECTED) {
          node.state = IDLE;
          fired++;
          node.expire();
        }
      }
    } finally {
      for (int i = 0; i < due.size(); i++) {
        Node node = due.get(i);
        if (node.state == COLLECTED) {
          // a fatal error interrupted the batch: keep the rest pending rather than lose them
          node.state = IDLE;
          schedule(node, node.deadline);
        }
      }
      due.clear();
    }
    return fired;
  }

  private void collect(int index, long now) {
    int slot = heads[index];
    while (slot != NONE) {
      int next = nexts[slot];
      if (deadlines[slot] <= now) {
        Node node = owners[slot];
        unlink(slot);
        if (!node.keepsSlot) {
          release(slot);
          node.slot = NONE;
        }
        node.state = COLLECTED;
        due.add(node);
      }
      slot = next;
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
      for (int slot = heads[(int) (tick & mask)]; slot != NONE; slot = nexts[slot]) {
        if (tickOf(deadlines[slot]) <= tick && deadlines[slot] < earliest) {
          earliest = deadlines[slot];
        }
      }
      if (earliest != Long.MAX_VALUE) {
        return earliest;
      }
    }
    long earliest = Long.MAX_VALUE;
    for (int head : heads) {
      for (int slot = head; slot != NONE; slot = nexts[slot]) {
        earliest = Math.min(earliest, deadlines[slot]);
      }
    }
    return earliest;
  }
}
