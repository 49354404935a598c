package dev.stator.examples.mqtt.faults;

/**
 * One planned fault: armed on a connection, it fires once {@code gapBytes} more bytes have passed
 * in {@code direction} (0: at the next byte in that direction).
 *
 * @param kind what happens
 * @param direction the direction whose byte count triggers it (and, for {@link FaultKind#DELAY}
 *     and {@link FaultKind#TRUNCATE}, the direction it acts on)
 * @param gapBytes bytes of {@code direction} forwarded after arming and before firing
 * @param millis the delay of {@link FaultKind#DELAY}, the broker's downtime of
 *     {@link FaultKind#KILL_BROKER}; 0 for the others
 * @param spanBytes how many bytes a {@link FaultKind#DELAY} holds back; 0 for the others
 */
public record Fault(FaultKind kind, Direction direction, long gapBytes, long millis,
    long spanBytes) {

  public Fault {
    if (gapBytes < 0 || millis < 0 || spanBytes < 0) {
      throw new IllegalArgumentException("negative figure in " + kind + ": gap " + gapBytes
          + ", millis " + millis + ", span " + spanBytes);
    }
  }

  /** {@return a fault of {@code kind} firing after {@code gapBytes} of {@code direction}} */
  public static Fault after(long gapBytes, Direction direction, FaultKind kind) {
    return new Fault(kind, direction, gapBytes, 0, 0);
  }

  /** {@return a delay of {@code millis} on {@code spanBytes} bytes, after {@code gapBytes}} */
  public static Fault delay(long gapBytes, Direction direction, long millis, long spanBytes) {
    return new Fault(FaultKind.DELAY, direction, gapBytes, millis, spanBytes);
  }

  /** {@return a broker kill after {@code gapBytes} of {@code direction}, {@code millis} down} */
  public static Fault killBroker(long gapBytes, Direction direction, long millis) {
    return new Fault(FaultKind.KILL_BROKER, direction, gapBytes, millis, 0);
  }

  @Override
  public String toString() {
    String what = switch (kind) {
      case DELAY -> "DELAY " + millis + " ms over " + spanBytes + " B";
      case KILL_BROKER -> "KILL_BROKER down " + millis + " ms";
      default -> kind.name();
    };
    return what + " after " + gapBytes + " B "
        + direction.name().toLowerCase(java.util.Locale.ROOT);
  }
}
