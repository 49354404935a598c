package dev.stator.examples.mqtt.internal;

/**
 * The context of one QoS 1 or QoS 2 flow: the packet identifier and, for an outgoing flow, the
 * message itself, so that it can be sent again after a reconnect or by a restored client. Plain
 * data, written to the store as JSON by a durable client; the flow machines' actions reach the
 * client through the definitions, never through the context. Confined to the loop thread.
 */
public final class Flow {
  /** The client id that owns the flow. */
  public String clientId;
  /** The packet identifier, 1 to 65535. */
  public int packetId;
  /** The topic name (outgoing flows and received QoS 2 messages). */
  public String topic;
  /** The payload of an outgoing flow; empty for an incoming one. */
  public byte[] payload = new byte[0];
  /** 1 or 2. */
  public int qos;
  /** The RETAIN flag of an outgoing flow. */
  public boolean retain;
  /** Whether the PUBLISH was written once already, so that a resend sets DUP [MQTT-3.3.1-1]. */
  public boolean sent;
  /** When the flow started, for resending in the original order [MQTT-4.6.0-1]. */
  public long sequence;

  /** For the JSON codec. */
  public Flow() {}

  Flow(String clientId, int packetId, String topic, byte[] payload, int qos, boolean retain) {
    this.clientId = clientId;
    this.packetId = packetId;
    this.topic = topic;
    this.payload = payload;
    this.qos = qos;
    this.retain = retain;
  }

  @Override
  public String toString() {
    return "Flow[" + clientId + " #" + packetId + " qos " + qos + " " + topic + "]";
  }
}
