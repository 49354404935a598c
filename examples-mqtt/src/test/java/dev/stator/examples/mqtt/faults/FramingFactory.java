package dev.stator.examples.mqtt.faults;

/** Makes the {@link Framing} of one direction of one proxied connection. */
@FunctionalInterface
public interface FramingFactory {

  /** {@return a framing for {@code direction} of connection number {@code connection}} */
  Framing create(int connection, Direction direction);
}
