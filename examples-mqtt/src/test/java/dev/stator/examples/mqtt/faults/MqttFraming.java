package dev.stator.examples.mqtt.faults;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * MQTT's framing (3.1.1, section 2.2): one byte of packet type and flags, the remaining length in
 * one to four bytes of seven bits each (the high bit says another byte follows), then that many
 * bytes. Every packet is at least two bytes long, so one byte past a boundary is inside a packet.
 * Given a listener, it also hands over each whole packet.
 */
public final class MqttFraming implements Framing {

  private enum Part { TYPE, LENGTH, BODY }

  private static final String[] TYPES = {"RESERVED", "CONNECT", "CONNACK", "PUBLISH", "PUBACK",
      "PUBREC", "PUBREL", "PUBCOMP", "SUBSCRIBE", "SUBACK", "UNSUBSCRIBE", "UNSUBACK", "PINGREQ",
      "PINGRESP", "DISCONNECT", "RESERVED"};

  /** Hears each whole packet that passed. */
  @FunctionalInterface
  public interface PacketListener {
    /** A packet passed: its first byte (type and flags) and what follows the remaining length. */
    void packet(int header, byte[] body);
  }

  private final PacketListener tracer;
  private final ByteArrayOutputStream packet = new ByteArrayOutputStream();
  private Part part = Part.TYPE;
  private long remaining;
  private long multiplier;
  private int lengthBytes;
  private int header;

  /** Follows the boundaries only. */
  public MqttFraming() {
    this(null);
  }

  /** Follows the boundaries and hands each packet to {@code tracer} (null: none). */
  public MqttFraming(PacketListener tracer) {
    this.tracer = tracer;
  }

  /**
   * {@return framings that describe every packet into {@code log}, each line starting with the
   * connection and direction: what a failing run's log needs to show what was on the wire}
   */
  public static FramingFactory tracingInto(FaultLog log) {
    return (connection, direction) -> new MqttFraming((header, body) -> log.add("conn#"
        + connection + " " + direction.name().toLowerCase(Locale.ROOT) + " "
        + describe(header, body)));
  }

  @Override
  public void advance(byte[] bytes, int offset, int length) {
    int i = offset;
    int end = offset + length;
    while (i < end) {
      switch (part) {
        case TYPE -> {
          header = bytes[i++] & 0xFF;
          part = Part.LENGTH;
          remaining = 0;
          multiplier = 1;
          lengthBytes = 0;
          packet.reset();
        }
        case LENGTH -> {
          int b = bytes[i++] & 0xFF;
          remaining += (b & 0x7F) * multiplier;
          multiplier *= 128;
          lengthBytes++;
          if ((b & 0x80) == 0) {
            part = remaining == 0 ? Part.TYPE : Part.BODY;
            if (remaining == 0) {
              trace();
            }
          } else if (lengthBytes == 4) {
            throw new IllegalStateException("remaining length longer than four bytes");
          }
        }
        case BODY -> {
          int take = (int) Math.min(remaining, end - i);
          if (tracer != null) {
            packet.write(bytes, i, take);
          }
          i += take;
          remaining -= take;
          if (remaining == 0) {
            part = Part.TYPE;
            trace();
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

  private void trace() {
    if (tracer != null) {
      tracer.packet(header, packet.toByteArray());
    }
  }

  /** {@return the packet in one line: its type, and what identifies a PUBLISH or an ack} */
  public static String describe(int header, byte[] body) {
    int type = header >>> 4;
    StringBuilder text = new StringBuilder(TYPES[type]);
    if (type == 3) {
      int qos = (header >>> 1) & 3;
      int topicLength = ((body[0] & 0xFF) << 8) | (body[1] & 0xFF);
      String topic = new String(body, 2, topicLength, StandardCharsets.UTF_8);
      int at = 2 + topicLength;
      text.append(" qos").append(qos);
      if ((header & 8) != 0) {
        text.append(" dup");
      }
      if (qos > 0) {
        text.append(" id ").append(((body[at] & 0xFF) << 8) | (body[at + 1] & 0xFF));
        at += 2;
      }
      text.append(' ').append(topic).append(" '")
          .append(new String(body, at, body.length - at, StandardCharsets.UTF_8)).append('\'');
    } else if (type >= 4 && type <= 7 || type >= 9 && type <= 11) {
      text.append(" id ").append(((body[0] & 0xFF) << 8) | (body[1] & 0xFF));
    }
    return text.toString();
  }
}
