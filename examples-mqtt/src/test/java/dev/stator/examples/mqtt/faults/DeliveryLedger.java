package dev.stator.examples.mqtt.faults;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * What one subscriber received of a workload, checked against what MQTT 3.1.1 promises. The
 * workload publishes, on each topic, the messages numbered 0 to {@code count - 1} in that order, at
 * one QoS, from one publisher; the ledger is told of each message as the subscriber receives it.
 *
 * <p>The guarantees checked, per topic (one topic is one publisher, one QoS):
 * <ul>
 *   <li>QoS 0: at most once: no message twice; some may be lost.
 *   <li>QoS 1: at least once: every message, some maybe more than once.
 *   <li>QoS 2: exactly once: every message, none twice.
 *   <li>Order: the first deliveries of the messages come in the order they were published. This is
 *       what section 4.6 gives across reconnects: the sender re-sends unacknowledged PUBLISH
 *       packets in their original order [MQTT-4.6.0-1] and the broker forwards each topic's
 *       messages in the order it received them [MQTT-4.6.0-6], so a message never arrives for the
 *       first time after a later one; but a QoS 1 message re-sent after a lost PUBACK may arrive
 *       again after later ones (1, 2, 3, 2, 3, 4 is allowed; 1, 3, 2 is not). For QoS 0 and 2,
 *       where nothing is delivered twice, that is strict order.
 * </ul>
 * Thread-safe.
 */
public final class DeliveryLedger {

  /**
   * One topic of the workload.
   *
   * @param topic the topic name
   * @param qos the QoS every message on it is published and subscribed with
   * @param count how many messages are published on it, numbered from 0
   */
  public record Stream(String topic, int qos, int count) {
  }

  /**
   * The ledger's reckoning.
   *
   * @param expected messages published on every topic
   * @param delivered distinct messages received
   * @param lostAtQos0 QoS 0 messages never received (allowed)
   * @param duplicatedAtQos1 QoS 1 deliveries beyond the first (allowed)
   * @param lostAtQos12 QoS 1 and 2 messages never received (each a violation too)
   * @param duplicatedAtQos2 QoS 2 deliveries beyond the first (each a violation too)
   * @param violations every breach of a guarantee, one line each; empty when all held
   * @param misordered the topics whose first deliveries came out of order, each with its line of
   *     {@code violations}
   * @param doubled the QoS 2 topics with a message delivered more than once, each with its line
   *     of {@code violations}
   */
  public record Verdict(int expected, int delivered, int lostAtQos0, int duplicatedAtQos1,
      int lostAtQos12, int duplicatedAtQos2, List<String> violations,
      Map<String, String> misordered, Map<String, String> doubled) {

    /** {@return messages never received, at any QoS} */
    public int lost() {
      return expected - delivered;
    }
  }

  private final Map<String, Stream> streams = new LinkedHashMap<>();
  private final Map<String, List<Integer>> received = new LinkedHashMap<>();
  private final Map<String, BitSet> seen = new LinkedHashMap<>();
  private final List<String> strays = new ArrayList<>();
  private final CompletableFuture<Void> complete = new CompletableFuture<>();

  /** Expects the given topics. */
  public DeliveryLedger(List<Stream> expected) {
    for (Stream stream : expected) {
      streams.put(stream.topic(), stream);
      received.put(stream.topic(), new ArrayList<>());
      seen.put(stream.topic(), new BitSet(stream.count()));
    }
    checkComplete();
  }

  /** Records that the subscriber received message {@code number} on {@code topic}. */
  public synchronized void received(String topic, String number) {
    List<Integer> log = received.get(topic);
    int value;
    try {
      value = Integer.parseInt(number);
    } catch (NumberFormatException e) {
      strays.add("a message '" + number + "' on " + topic + " that the workload never published");
      return;
    }
    if (log == null || value < 0 || value >= streams.get(topic).count()) {
      strays.add("message " + number + " on " + topic + ", which the workload never published");
      return;
    }
    log.add(value);
    seen.get(topic).set(value);
    checkComplete();
  }

  /**
   * {@return a future completed once every QoS 1 and QoS 2 message was received at least once:
   * what a run waits for (QoS 0 messages may never come)}
   */
  public CompletableFuture<Void> complete() {
    return complete;
  }

  /** {@return what was received on {@code topic} so far, in order} */
  public synchronized List<Integer> received(String topic) {
    return List.copyOf(received.getOrDefault(topic, List.of()));
  }

  /** {@return the topics, each with what it received so far, in order} */
  public synchronized String describe() {
    StringBuilder text = new StringBuilder();
    received.forEach((topic, log) -> text.append(topic).append(" (qos ")
        .append(streams.get(topic).qos()).append("): ").append(log).append('\n'));
    return text.toString();
  }

  /** {@return what was received, checked against the guarantees} */
  public synchronized Verdict verdict() {
    List<String> violations = new ArrayList<>(strays);
    Map<String, String> misordered = new LinkedHashMap<>();
    Map<String, String> doubled = new LinkedHashMap<>();
    int expected = 0;
    int delivered = 0;
    int lostAtQos0 = 0;
    int duplicatedAtQos1 = 0;
    int lostAtQos12 = 0;
    int duplicatedAtQos2 = 0;
    for (Stream stream : streams.values()) {
      List<Integer> log = received.get(stream.topic());
      BitSet distinct = seen.get(stream.topic());
      int missing = stream.count() - distinct.cardinality();
      int duplicates = log.size() - distinct.cardinality();
      expected += stream.count();
      delivered += distinct.cardinality();
      String where = stream.topic() + " (qos " + stream.qos() + ")";
      if (stream.qos() == 0) {
        lostAtQos0 += missing;
      } else if (missing > 0) {
        lostAtQos12 += missing;
        violations.add(where + ": " + missing + " of " + stream.count() + " never arrived: "
            + missingOnes(distinct, stream.count()));
      }
      if (stream.qos() == 1) {
        duplicatedAtQos1 += duplicates;
      } else if (duplicates > 0) {
        duplicatedAtQos2 += stream.qos() == 2 ? duplicates : 0;
        String line = where + ": " + duplicates + " delivered twice: " + log;
        violations.add(line);
        if (stream.qos() == 2) {
          doubled.put(stream.topic(), line);
        }
      }
      int last = -1;
      BitSet firsts = new BitSet(stream.count());
      for (int value : log) {
        if (firsts.get(value)) {
          continue;
        }
        firsts.set(value);
        if (value < last) {
          String line = where + ": " + value + " first arrived after " + last + ": " + log;
          violations.add(line);
          misordered.put(stream.topic(), line);
          break;
        }
        last = value;
      }
    }
    return new Verdict(expected, delivered, lostAtQos0, duplicatedAtQos1, lostAtQos12,
        duplicatedAtQos2, List.copyOf(violations), Map.copyOf(misordered), Map.copyOf(doubled));
  }

  private void checkComplete() {
    for (Stream stream : streams.values()) {
      if (stream.qos() > 0 && seen.get(stream.topic()).cardinality() < stream.count()) {
        return;
      }
    }
    complete.complete(null);
  }

  private static List<Integer> missingOnes(BitSet distinct, int count) {
    List<Integer> missing = new ArrayList<>();
    for (int i = distinct.nextClearBit(0); i < count && missing.size() < 20;
        i = distinct.nextClearBit(i + 1)) {
      missing.add(i);
    }
    return missing;
  }
}
