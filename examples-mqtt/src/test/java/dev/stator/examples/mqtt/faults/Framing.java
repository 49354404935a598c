package dev.stator.examples.mqtt.faults;

/**
 * Follows the packet boundaries of one direction's byte stream, so that a truncation cuts inside a
 * packet rather than between two. One instance per direction of a connection; not thread-safe.
 */
public interface Framing {

  /** Takes {@code length} more bytes of the stream into account. */
  void advance(byte[] bytes, int offset, int length);

  /** {@return whether the stream, as advanced so far, ends exactly between two packets} */
  boolean atBoundary();

  /** Raw bytes: no boundary is known, so every cut point is taken as lying inside a packet. */
  static Framing none() {
    return new Framing() {
      @Override
      public void advance(byte[] bytes, int offset, int length) {
      }

      @Override
      public boolean atBoundary() {
        return false;
      }
    };
  }
}
