package dev.stator.examples.mqtt;

/**
 * The broker answered SUBSCRIBE with the failure return code 0x80 in its SUBACK
 * (MQTT 3.1.1, section 3.9.3). {@link StatorMqttClient#subscribe} completes exceptionally with it.
 *
 * <p><b>Thread-safety:</b> immutable once thrown.
 */
public final class MqttSubscriptionRefusedException extends MqttClientException {
  private static final long serialVersionUID = 1L;

  /**
   * Makes one.
   *
   * @param filter the topic filter the broker refused
   */
  public MqttSubscriptionRefusedException(String filter) {
    super("the broker refused the subscription to '" + filter + "' (SUBACK return code 0x80)");
  }
}
