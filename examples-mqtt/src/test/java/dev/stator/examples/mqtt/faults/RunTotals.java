package dev.stator.examples.mqtt.faults;

import java.util.EnumMap;
import java.util.Map;

/**
 * The figures of many seeded runs added up, for the line each run and the whole test print. Not
 * thread-safe: the test thread adds the runs one after another.
 */
public final class RunTotals {

  private int runs;
  private int messages;
  private int delivered;
  private int lostAtQos0;
  private int lostAtQos12;
  private int duplicatedAtQos1;
  private int duplicatedAtQos2;
  private int statorReconnections;
  private int pahoReconnections;
  private int poisoned;
  private int failureReports;
  private int deadPeerDetections;
  private long slowestDetectionMillis;
  private int brokerBreaches;
  private long millis;
  private final Map<FaultKind, Integer> faults = new EnumMap<>(FaultKind.class);

  /**
   * One run's figures.
   *
   * @param seed the run's seed
   * @param messages messages published, both ways
   * @param delivered distinct messages received, both ways
   * @param lostAtQos0 QoS 0 messages never received
   * @param lostAtQos12 QoS 1 and 2 messages never received
   * @param duplicatedAtQos1 QoS 1 deliveries beyond the first
   * @param duplicatedAtQos2 QoS 2 deliveries beyond the first
   * @param faults the faults that fired, by kind
   * @param statorReconnections times Stator's client connected again
   * @param pahoReconnections times Paho connected again
   * @param poisoned whether the run's unexpected error was thrown
   * @param failureReports failure reports the loop's observer heard
   * @param detections dead-peer detections measured
   * @param slowestDetectionMillis the slowest of them
   * @param brokerBreaches topics the broker forwarded out of order, or with a QoS 2 message
   *     twice (not the client's doing)
   * @param millis the run's wall time
   */
  public record Run(long seed, int messages, int delivered, int lostAtQos0, int lostAtQos12,
      int duplicatedAtQos1, int duplicatedAtQos2, Map<FaultKind, Integer> faults,
      int statorReconnections, int pahoReconnections, boolean poisoned, int failureReports,
      int detections, long slowestDetectionMillis, int brokerBreaches, long millis) {

    @Override
    public String toString() {
      return String.format("seed %d: %d ms, %d messages, %d delivered, lost %d (qos0) %d (qos1/2),"
          + " duplicated %d (qos1) %d (qos2), faults %s, reconnections %d stator %d paho%s,"
          + " failure reports %d, dead-peer detections %d (slowest %d ms), topics the broker"
          + " reordered or doubled %d", seed, millis, messages, delivered, lostAtQos0, lostAtQos12,
          duplicatedAtQos1, duplicatedAtQos2, faults, statorReconnections, pahoReconnections,
          poisoned ? ", poisoned" : "", failureReports, detections, slowestDetectionMillis,
          brokerBreaches);
    }
  }

  /** Adds a run. */
  public void add(Run run) {
    runs++;
    messages += run.messages();
    delivered += run.delivered();
    lostAtQos0 += run.lostAtQos0();
    lostAtQos12 += run.lostAtQos12();
    duplicatedAtQos1 += run.duplicatedAtQos1();
    duplicatedAtQos2 += run.duplicatedAtQos2();
    statorReconnections += run.statorReconnections();
    pahoReconnections += run.pahoReconnections();
    poisoned += run.poisoned() ? 1 : 0;
    failureReports += run.failureReports();
    deadPeerDetections += run.detections();
    slowestDetectionMillis = Math.max(slowestDetectionMillis, run.slowestDetectionMillis());
    millis += run.millis();
    brokerBreaches += run.brokerBreaches();
    run.faults().forEach((kind, count) -> faults.merge(kind, count, Integer::sum));
  }

  /** {@return how many runs were added} */
  public int runs() {
    return runs;
  }

  /** {@return how many faults fired in all the runs} */
  public int faultCount() {
    return faults.values().stream().mapToInt(Integer::intValue).sum();
  }

  @Override
  public String toString() {
    return String.format("%d runs in %d ms: %d messages, %d delivered; lost %d at qos 0, %d at"
        + " qos 1/2; duplicated %d at qos 1, %d at qos 2; %d faults injected %s; reconnections"
        + " %d stator, %d paho; %d runs poisoned, %d failure reports; %d dead-peer detections,"
        + " slowest %d ms; %d topics reordered or doubled by the broker", runs, millis, messages,
        delivered,
        lostAtQos0, lostAtQos12, duplicatedAtQos1, duplicatedAtQos2, faultCount(), faults,
        statorReconnections, pahoReconnections, poisoned, failureReports, deadPeerDetections,
        slowestDetectionMillis, brokerBreaches);
  }
}
