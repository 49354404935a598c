package dev.stator.examples.mqtt;

/**
 * The broker answered CONNECT with a CONNACK whose return code refuses the connection
 * (MQTT 3.1.1, section 3.2.2.3). {@link StatorMqttClient#connect()} completes exceptionally with
 * it, and the client stops dialling: a refusal is the broker's answer, not a network fault.
 *
 * <p><b>Thread-safety:</b> immutable once thrown.
 */
public final class MqttConnectionRefusedException extends MqttClientException {
  private static final long serialVersionUID = 1L;

  /** The CONNACK return code. */
  private final int returnCode;

  /**
   * Makes one for a return code.
   *
   * @param returnCode the CONNACK return code, 1 to 5 (or any other non-zero value a broker sent)
   * @param clientId the client id that was refused
   */
  public MqttConnectionRefusedException(int returnCode, String clientId) {
    super("the broker refused the connection of client '" + clientId + "': CONNACK return code "
        + returnCode + " (" + describe(returnCode) + ")");
    this.returnCode = returnCode;
  }

  /** {@return the CONNACK return code} */
  public int returnCode() {
    return returnCode;
  }

  /**
   * {@return what a CONNACK return code means, by MQTT 3.1.1's table 3.1}
   *
   * @param returnCode the code
   */
  public static String describe(int returnCode) {
    return switch (returnCode) {
      case 0 -> "connection accepted";
      case 1 -> "unacceptable protocol version";
      case 2 -> "identifier rejected";
      case 3 -> "server unavailable";
      case 4 -> "bad user name or password";
      case 5 -> "not authorized";
      default -> "a return code MQTT 3.1.1 reserves";
    };
  }
}
