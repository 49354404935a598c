package dev.stator.examples.mqtt.faults;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The PUBLISH packets the {@link FaultProxy} passed on, in the order it passed them: what each
 * party sent, so that a breach of order seen at the end can be laid at the door of the party that
 * committed it. The client's part is checked here: its PUBLISH packets on each connection keep the
 * order they were published in [MQTT-4.6.0-1], and it hands over what it receives in the order it
 * received it; the broker's part (forwarding each topic in order) is reported.
 * Thread-safe.
 */
public final class WireTrace {

  /**
   * One PUBLISH passed on.
   *
   * @param connection the proxy's connection number
   * @param direction which way it went
   * @param topic its topic
   * @param payload its payload, as text
   * @param qos its QoS
   * @param dup its DUP flag
   */
  public record Publish(int connection, Direction direction, String topic, String payload,
      int qos, boolean dup) {
  }

  private final List<Publish> publishes = new ArrayList<>();

  /**
   * {@return framings recording every PUBLISH into this trace, and describing every packet into
   * {@code log} as well when it is not null}
   */
  public FramingFactory framings(FaultLog log) {
    return (connection, direction) -> new MqttFraming((header, body) -> {
      if (header >>> 4 == 3) {
        record(connection, direction, header, body);
      }
      if (log != null) {
        log.add("conn#" + connection + " " + direction.name().toLowerCase(Locale.ROOT) + " "
            + MqttFraming.describe(header, body));
      }
    });
  }

  private synchronized void record(int connection, Direction direction, int header, byte[] body) {
    int qos = (header >>> 1) & 3;
    int topicLength = ((body[0] & 0xFF) << 8) | (body[1] & 0xFF);
    String topic = new String(body, 2, topicLength, StandardCharsets.UTF_8);
    int at = 2 + topicLength + (qos > 0 ? 2 : 0);
    publishes.add(new Publish(connection, direction, topic,
        new String(body, at, body.length - at, StandardCharsets.UTF_8), qos, (header & 8) != 0));
  }

  /** {@return the payloads passed on {@code topic} in {@code direction}, in order} */
  public synchronized List<String> payloads(Direction direction, String topic) {
    List<String> payloads = new ArrayList<>();
    for (Publish publish : publishes) {
      if (publish.direction() == direction && publish.topic().equals(topic)) {
        payloads.add(publish.payload());
      }
    }
    return payloads;
  }

  /**
   * {@return where, on one connection, the client sent a message of {@code topic} after a later
   * one: each a breach of [MQTT-4.6.0-1] by the client; empty when it kept the order}
   */
  public synchronized List<String> clientOrderBreaches(String topic) {
    Map<Integer, Integer> last = new LinkedHashMap<>();
    List<String> breaches = new ArrayList<>();
    for (Publish publish : publishes) {
      if (publish.direction() != Direction.UPSTREAM || !publish.topic().equals(topic)) {
        continue;
      }
      int number = Integer.parseInt(publish.payload());
      Integer before = last.put(publish.connection(), number);
      if (before != null && number <= before) {
        breaches.add("conn#" + publish.connection() + " sent " + topic + " " + number + " after "
            + before);
      }
    }
    return breaches;
  }

  /**
   * {@return whether the broker passed the messages of {@code topic} to the client for the first
   * time out of their publishing order}
   */
  public synchronized boolean brokerReordered(String topic) {
    int last = -1;
    java.util.Set<Integer> seen = new java.util.HashSet<>();
    for (Publish publish : publishes) {
      if (publish.direction() != Direction.DOWNSTREAM || !publish.topic().equals(topic)) {
        continue;
      }
      int number = Integer.parseInt(publish.payload());
      if (seen.add(number)) {
        if (number < last) {
          return true;
        }
        last = number;
      }
    }
    return false;
  }

  /**
   * {@return whether {@code delivered} (what the client handed its subscriber on {@code topic})
   * is a subsequence of what the proxy passed it: nothing the broker did not send, nothing out of
   * the order it came in}
   */
  public boolean deliveredInWireOrder(String topic, List<Integer> delivered) {
    List<String> wire = payloads(Direction.DOWNSTREAM, topic);
    int at = 0;
    for (int number : delivered) {
      String wanted = Integer.toString(number);
      while (at < wire.size() && !wire.get(at).equals(wanted)) {
        at++;
      }
      if (at == wire.size()) {
        return false;
      }
      at++;
    }
    return true;
  }
}
