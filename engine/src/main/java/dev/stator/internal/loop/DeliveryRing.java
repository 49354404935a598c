package dev.stator.internal.loop;

/**
 * The loop thread's own FIFO of (target, event) pairs: events sent from the loop thread itself.
 * Two parallel arrays that grow by doubling, so steady-state use allocates nothing. Loop-confined.
 */
final class DeliveryRing {
  private Object[] targets;
  private Object[] events;
  private int head;
  private int size;

  DeliveryRing(int capacity) {
    targets = new Object[capacity];
    events = new Object[capacity];
  }

  boolean isEmpty() {
    return size == 0;
  }

  /** Returns how many pairs wait; read from another thread, a recent value. */
  int size() {
    return size;
  }

  void add(Object target, Object event) {
    if (size == targets.length) {
      grow();
    }
    int tail = (head + size) & (targets.length - 1);
    targets[tail] = target;
    events[tail] = event;
    size++;
  }

  /** Returns the target of the head pair; {@link #pollEvent()} then removes the pair. */
  Object peekTarget() {
    return targets[head];
  }

  Object pollEvent() {
    Object event = events[head];
    targets[head] = null;
    events[head] = null;
    head = (head + 1) & (targets.length - 1);
    size--;
    return event;
  }

  /** Counts the pairs whose target is {@code target}. */
  int count(Object target) {
    int count = 0;
    for (int i = 0; i < size; i++) {
      if (targets[(head + i) & (targets.length - 1)] == target) {
        count++;
      }
    }
    return count;
  }

  private void grow() {
    int capacity = targets.length;
    Object[] newTargets = new Object[capacity * 2];
    Object[] newEvents = new Object[capacity * 2];
    for (int i = 0; i < size; i++) {
      newTargets[i] = targets[(head + i) & (capacity - 1)];
      newEvents[i] = events[(head + i) & (capacity - 1)];
    }
    targets = newTargets;
    events = newEvents;
    head = 0;
  }
}
