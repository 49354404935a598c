package dev.stator.examples.mqtt.internal;

import java.util.BitSet;

/**
 * Packet identifiers 1 to 65535 [MQTT-2.3.1-1]: one is taken for each SUBSCRIBE, UNSUBSCRIBE and
 * QoS 1 or 2 PUBLISH, and given back when its exchange completes, never reused while in flight
 * [MQTT-2.3.1-2]. Taken in rotation from the last one given out, so that an id just freed is the
 * last to come back. Confined to the loop thread.
 */
final class PacketIds {
  static final int MAX = 65_535;

  private final BitSet inUse = new BitSet(MAX + 1);
  private int last;

  /**
   * {@return a free identifier, now in use}
   *
   * @throws IllegalStateException if all 65,535 are in flight
   */
  int take() {
    int next = inUse.nextClearBit(last + 1);
    if (next > MAX) {
      next = inUse.nextClearBit(1);
    }
    if (next > MAX) {
      throw new IllegalStateException("all 65535 packet identifiers are in flight");
    }
    inUse.set(next);
    last = next;
    return next;
  }

  /** Marks an identifier in use: one a restored flow holds. */
  void reserve(int id) {
    inUse.set(id);
  }

  void release(int id) {
    inUse.clear(id);
  }

  boolean inUse(int id) {
    return inUse.get(id);
  }

  int count() {
    return inUse.cardinality();
  }
}
