/**
 * An MQTT 3.1.1 client whose connection controller, keepalive and QoS flows are Stator machines:
 * {@link dev.stator.examples.mqtt.StatorMqttClient}. Netty's MQTT codec encodes and decodes the
 * packets; the machines decide what to send and when.
 */
module dev.stator.examples.mqtt {
  requires transitive dev.stator.engine;
  requires transitive dev.stator.store;
  requires dev.stator.dsl;
  requires io.netty.buffer;
  requires io.netty.codec;
  requires io.netty.codec.mqtt;
  requires io.netty.common;
  requires io.netty.transport;

  exports dev.stator.examples.mqtt;
  // the JSON context codec reads and writes the durable flows' contexts reflectively
  opens dev.stator.examples.mqtt.internal to tools.jackson.databind;
}
