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
   * @param id its packet identifier, 0 at QoS 0
   */
  public record Publish(int connection, Direction direction, String topic, String payload,
      int qos, boolean dup, int id) {
  }

  private final List<Publish> publishes = new ArrayList<>();
  /**
   * The client's QoS 2 publishing, in wire order: each upstream QoS 2 PUBLISH, and each PUBREC
   * the broker sent (as a {@code Publish} with a null topic).
   */
  private final List<Publish> qos2Flow = new ArrayList<>();
  /**
   * The broker's QoS 2 publishing, in wire order: each downstream QoS 2 PUBLISH, and each PUBREL
   * the broker sent (as a {@code Publish} with a null topic).
   */
  private final List<Publish> inboundQos2Flow = new ArrayList<>();

  /**
   * {@return framings recording every PUBLISH into this trace, and describing every packet into
   * {@code log} as well when it is not null}
   */
  public FramingFactory framings(FaultLog log) {
    return (connection, direction) -> new MqttFraming((header, body) -> {
      if (header >>> 4 == 3) {
        record(connection, direction, header, body);
      } else if (header >>> 4 == 5 && direction == Direction.DOWNSTREAM && body.length >= 2) {
        recordPubrec(connection, ((body[0] & 0xFF) << 8) | (body[1] & 0xFF));
      } else if (header >>> 4 == 6 && direction == Direction.DOWNSTREAM && body.length >= 2) {
        recordPubrel(connection, ((body[0] & 0xFF) << 8) | (body[1] & 0xFF));
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
    int id = qos > 0 ? ((body[2 + topicLength] & 0xFF) << 8) | (body[3 + topicLength] & 0xFF) : 0;
    int at = 2 + topicLength + (qos > 0 ? 2 : 0);
    Publish publish = new Publish(connection, direction, topic,
        new String(body, at, body.length - at, StandardCharsets.UTF_8), qos, (header & 8) != 0, id);
    publishes.add(publish);
    if (qos == 2) {
      (direction == Direction.UPSTREAM ? qos2Flow : inboundQos2Flow).add(publish);
    }
  }

  private synchronized void recordPubrel(int connection, int id) {
    inboundQos2Flow.add(new Publish(connection, Direction.DOWNSTREAM, null, null, 2, false, id));
  }

  /**
   * {@return where the client handed over a QoS 2 message of {@code topic} more often than the
   * broker started flows for it: a flow is a packet identifier from its first PUBLISH to the
   * broker's PUBREL, and the client hands over each flow's message once [MQTT-4.3.3-2]; a broker
   * that sends a message again under a new identifier, or after its PUBREL, starts a new flow,
   * and the second delivery is its doing; empty when the client kept to that}
   *
   * @param delivered what the client handed its subscriber on {@code topic}, in order
   */
  public synchronized List<String> clientQos2HandOverBreaches(String topic,
      List<Integer> delivered) {
    Map<String, Integer> flows = new LinkedHashMap<>();
    Map<Integer, String> open = new LinkedHashMap<>();
    for (Publish step : inboundQos2Flow) {
      if (step.topic() == null || !step.topic().equals(topic)) {
        // a PUBREL, or the identifier taken for another topic's message: the flow here is over
        open.remove(step.id());
      } else if (!step.payload().equals(open.get(step.id()))) {
        open.put(step.id(), step.payload());
        flows.merge(step.payload(), 1, Integer::sum);
      }
    }
    Map<String, Integer> handed = new LinkedHashMap<>();
    delivered.forEach(number -> handed.merge(Integer.toString(number), 1, Integer::sum));
    List<String> breaches = new ArrayList<>();
    handed.forEach((payload, times) -> {
      int started = flows.getOrDefault(payload, 0);
      if (times > started) {
        breaches.add("Stator's client handed over " + topic + " " + payload + " " + times
            + " times; the broker started " + started + " flow(s) for it");
      }
    });
    return breaches;
  }

  private synchronized void recordPubrec(int connection, int id) {
    qos2Flow.add(new Publish(connection, Direction.DOWNSTREAM, null, null, 2, false, id));
  }

  /**
   * {@return where the client itself could have made a QoS 2 message of {@code topic} arrive
   * twice: by sending it under two packet identifiers, or by sending its PUBLISH again after the
   * broker's PUBREC for it, which [MQTT-4.3.3-1] forbids (the broker then owns the message and
   * takes a new PUBLISH for a new one); empty when the client did neither}
   */
  public synchronized List<String> clientQos2DuplicateCauses(String topic) {
    List<String> causes = new ArrayList<>();
    Map<String, Integer> idOf = new LinkedHashMap<>();
    Map<Integer, String> received = new LinkedHashMap<>();
    Map<Integer, String> inFlight = new LinkedHashMap<>();
    for (Publish step : qos2Flow) {
      if (step.topic() == null) {
        String payload = inFlight.get(step.id());
        if (payload != null) {
          received.put(step.id(), payload);
        }
        continue;
      }
      if (!step.topic().equals(topic)) {
        // an identifier taken for another topic's message ends the flow it had here
        inFlight.remove(step.id());
        received.remove(step.id());
        continue;
      }
      Integer before = idOf.put(step.payload(), step.id());
      if (before != null && before != step.id()) {
        causes.add("conn#" + step.connection() + " sent " + topic + " " + step.payload()
            + " under id " + step.id() + ", sent before under id " + before);
      }
      if (step.payload().equals(received.get(step.id()))) {
        causes.add("conn#" + step.connection() + " sent " + topic + " " + step.payload()
            + " (id " + step.id() + ") again after the broker's PUBREC for it");
      }
      if (!step.payload().equals(inFlight.get(step.id()))) {
        received.remove(step.id());
      }
      inFlight.put(step.id(), step.payload());
    }
    return causes;
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
