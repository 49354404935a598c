package dev.stator.examples.mqtt;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

/** The Eclipse Paho reference client as the peer, with what it received in a queue. */
final class Paho implements AutoCloseable {
  /** A message Paho received. */
  record Received(String topic, String payload, int qos, boolean retained) {}

  final MqttClient client;
  final LinkedBlockingQueue<Received> received = new LinkedBlockingQueue<>();

  Paho(Broker broker, String clientId) throws Exception {
    client = new MqttClient(broker.uri(), clientId, new MemoryPersistence());
    MqttConnectOptions options = new MqttConnectOptions();
    options.setCleanSession(true);
    options.setAutomaticReconnect(false);
    options.setMaxInflight(1000);
    client.connect(options);
    broker.awaitAccepted(clientId);
  }

  void subscribe(String filter, int qos) throws MqttException {
    client.subscribe(filter, qos, (topic, message) -> received.add(new Received(topic,
        new String(message.getPayload(), StandardCharsets.UTF_8), message.getQos(),
        message.isRetained())));
  }

  void publish(String topic, String payload, int qos, boolean retain) throws MqttException {
    MqttMessage message = new MqttMessage(payload.getBytes(StandardCharsets.UTF_8));
    message.setQos(qos);
    message.setRetained(retain);
    client.publish(topic, message);
  }

  /** {@return the next message received, waiting at most 10 s, or null} */
  Received next() throws InterruptedException {
    return received.poll(10, TimeUnit.SECONDS);
  }

  @Override
  public void close() throws MqttException {
    if (client.isConnected()) {
      client.disconnect(2_000);
    }
    client.close();
  }
}
