package dev.stator.examples.mqtt;

/**
 * Why an operation of a {@link StatorMqttClient} did not complete: the client is not connected,
 * was closed, or the connection was lost while the operation waited for its answer. The subclasses
 * say more.
 *
 * <p><b>Thread-safety:</b> immutable once thrown.
 */
public class MqttClientException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /**
   * Makes one.
   *
   * @param message what happened
   */
  public MqttClientException(String message) {
    super(message);
  }

  /**
   * Makes one with a cause.
   *
   * @param message what happened
   * @param cause what caused it
   */
  public MqttClientException(String message, Throwable cause) {
    super(message, cause);
  }
}
