package dev.stator.examples.mqtt.faults;

/** One direction of a proxied connection. */
public enum Direction {
  /** From the client to the broker. */
  UPSTREAM,
  /** From the broker to the client. */
  DOWNSTREAM
}
