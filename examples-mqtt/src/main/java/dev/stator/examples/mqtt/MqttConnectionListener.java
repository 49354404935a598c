package dev.stator.examples.mqtt;

/**
 * Told when a {@link StatorMqttClient} gets connected (CONNACK accepted) and when it loses the
 * connection (peer closed, I/O error, or no PINGRESP within 1.5 keepalive intervals).
 *
 * <p><b>Thread-safety:</b> both methods run on the client's loop thread, one call at a time, and
 * must not block. A listener that throws is logged; the client carries on.
 */
public interface MqttConnectionListener {

  /**
   * The broker accepted the connection.
   *
   * @param sessionPresent the CONNACK's session-present flag
   */
  default void connected(boolean sessionPresent) {}

  /**
   * The connection was lost; the client backs off and dials again.
   *
   * @param cause why: an {@code IOException}, or an {@link MqttClientException} naming the
   *     missing PINGRESP
   */
  default void connectionLost(Throwable cause) {}
}
