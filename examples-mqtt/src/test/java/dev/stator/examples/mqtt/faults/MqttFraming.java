package dev.stator.examples.mqtt.faults;

/**
 * MQTT's framing (3.1.1, section 2.2): one byte of packet type and flags, the remaining length in
 * one to four bytes of seven bits each (the high bit says another byte follows), then that many
 * bytes. Every packet is at least two bytes long, so one byte past a boundary is inside a packet.
 */
public final class MqttFraming implements Framing {

  private enum Part { TYPE, LENGTH, BODY }

  private Part part = Part.TYPE;
  private long remaining;
  private long multiplier;
  private int lengthBytes;

  @Override
  public void advance(byte[] bytes, int offset, int length) {
    int i = offset;
    int end = offset + length;
    while (i < end) {
      switch (part) {
        case TYPE -> {
          part = Part.LENGTH;
          remaining = 0;
          multiplier = 1;
          lengthBytes = 0;
          i++;
        }
        case LENGTH -> {
          int b = bytes[i++] & 0xFF;
          remaining += (b & 0x7F) * multiplier;
          multiplier *= 128;
          lengthBytes++;
          if ((b & 0x80) == 0) {
            part = remaining == 0 ? Part.TYPE : Part.BODY;
          } else if (lengthBytes == 4) {
            throw new IllegalStateException("remaining length longer than four bytes");
          }
        }
        case BODY -> {
          int take = (int) Math.min(remaining, end - i);
          i += take;
          remaining -= take;
          if (remaining == 0) {
            part = Part.TYPE;
          }
        }
        default -> throw new AssertionError(part);
      }
    }
  }

  @Override
  public boolean atBoundary() {
    return part == Part.TYPE;
  }
}
