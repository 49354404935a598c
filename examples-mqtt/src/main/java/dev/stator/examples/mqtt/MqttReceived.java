package dev.stator.examples.mqtt;

import java.util.Arrays;
import java.util.Objects;

/**
 * An application message received from the broker.
 *
 * <p><b>Thread-safety:</b> immutable (the payload is copied on the way in and out).
 *
 * @param topic the topic name it was published to
 * @param payload its payload
 * @param qos the QoS it was delivered with: 0, 1 or 2
 * @param retained whether the broker sent it as a retained message
 * @param duplicate whether the DUP flag was set (a redelivery of a QoS 1 message that may have
 *     been seen already; a QoS 2 message is never handed over twice by one client)
 */
public record MqttReceived(String topic, byte[] payload, int qos, boolean retained,
    boolean duplicate) {

  /**
   * Checks and copies.
   *
   * @param topic the topic name
   * @param payload the payload
   * @param qos 0, 1 or 2
   * @param retained the RETAIN flag
   * @param duplicate the DUP flag
   */
  public MqttReceived {
    Objects.requireNonNull(topic, "topic");
    payload = payload.clone();
    if (qos < 0 || qos > 2) {
      throw new IllegalArgumentException("qos: expected 0, 1 or 2, not " + qos);
    }
  }

  /** {@return a copy of the payload} */
  @Override
  public byte[] payload() {
    return payload.clone();
  }

  /** {@return the payload decoded as UTF-8} */
  public String payloadAsString() {
    return new String(payload, java.nio.charset.StandardCharsets.UTF_8);
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof MqttReceived that && topic.equals(that.topic)
        && Arrays.equals(payload, that.payload) && qos == that.qos
        && retained == that.retained && duplicate == that.duplicate;
  }

  @Override
  public int hashCode() {
    return Objects.hash(topic, Arrays.hashCode(payload), qos, retained, duplicate);
  }

  @Override
  public String toString() {
    return "MqttReceived[" + topic + ", " + payload.length + " bytes, qos " + qos
        + (retained ? ", retained" : "") + (duplicate ? ", dup" : "") + "]";
  }
}
