package dev.stator.examples.mqtt;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stator.EventLoop;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Stator's client and the Paho reference client through a real Moquette broker, every QoS. */
class MqttInteropTest {
  private static Broker broker;
  private static EventLoop loop;
  private static final AtomicInteger PEERS = new AtomicInteger();
  private Paho paho;

  @BeforeAll
  static void startBroker() {
    broker = Broker.shared();
    loop = EventLoop.start("mqtt-interop");
  }

  @AfterAll
  static void stopBroker() {
    loop.close();
  }

  /** One client id per test: see {@link Broker#shared()} for why an id is never reused. */
  @BeforeEach
  void connectPaho() throws Exception {
    paho = new Paho(broker, "paho-peer-" + PEERS.incrementAndGet());
  }

  @AfterEach
  void disconnectPaho() throws Exception {
    paho.close();
  }

  @ParameterizedTest(name = "QoS {0}")
  @ValueSource(ints = {0, 1, 2})
  void messagesPublishedByPahoReachStatorsSubscriber(int qos) throws Exception {
    String id = "stator-sub-" + qos;
    StatorMqttClient client = StatorMqttClient.create(loop, broker.options(id).build());
    client.connect().get(10, TimeUnit.SECONDS);
    broker.awaitAccepted(id);
    LinkedBlockingQueue<MqttReceived> received = new LinkedBlockingQueue<>();
    client.subscribe("sensors/+/temp", qos, received::add).get(10, TimeUnit.SECONDS);

    for (int i = 0; i < 20; i++) {
      paho.publish("sensors/" + i + "/temp", "reading " + i, qos, false);
    }

    for (int i = 0; i < 20; i++) {
      MqttReceived message = received.poll(10, TimeUnit.SECONDS);
      assertThat(message).as("message %d", i).isNotNull();
      assertThat(message.topic()).isEqualTo("sensors/" + i + "/temp");
      assertThat(message.payloadAsString()).isEqualTo("reading " + i);
      assertThat(message.qos()).isEqualTo(qos);
    }
    client.disconnect().get(10, TimeUnit.SECONDS);
    assertThat(received).isEmpty();
  }

  @ParameterizedTest(name = "QoS {0}")
  @ValueSource(ints = {0, 1, 2})
  void messagesPublishedByStatorReachPahosSubscriber(int qos) throws Exception {
    paho.subscribe("orders/#", 2);
    String id = "stator-pub-" + qos;
    StatorMqttClient client = StatorMqttClient.create(loop, broker.options(id).build());
    client.connect().get(10, TimeUnit.SECONDS);
    broker.awaitAccepted(id);

    for (int i = 0; i < 20; i++) {
      client.publish("orders/" + i, ("order " + i).getBytes(StandardCharsets.UTF_8), qos, false)
          .get(10, TimeUnit.SECONDS);
    }

    for (int i = 0; i < 20; i++) {
      Paho.Received message = paho.next();
      assertThat(message).as("message %d", i).isNotNull();
      assertThat(message.topic()).isEqualTo("orders/" + i);
      assertThat(message.payload()).isEqualTo("order " + i);
      assertThat(message.qos()).isEqualTo(qos);
    }
    client.disconnect().get(10, TimeUnit.SECONDS);
    assertThat(client.controller().lifecycle()).isCompleted();
  }

  @Test
  void flowsInFlightTogetherUseDistinctPacketIdentifiersAndAllArrive() throws Exception {
    paho.subscribe("burst/#", 1);
    try (Relay relay = new Relay(broker.port())) {
      StatorMqttClient client = StatorMqttClient.create(loop, MqttClientOptions.builder(
          "127.0.0.1", relay.port(), "stator-burst").build());
      client.connect().get(10, TimeUnit.SECONDS);
      broker.awaitAccepted("stator-burst");

      List<CompletableFuture<Void>> flows = new ArrayList<>();
      for (int i = 0; i < 300; i++) {
        flows.add(client.publish("burst/" + i, new byte[] {(byte) i}, 1 + i % 2, false));
      }
      CompletableFuture.allOf(flows.toArray(new CompletableFuture<?>[0]))
          .get(20, TimeUnit.SECONDS);

      assertThat(relay.publishIds).hasSize(300).doesNotHaveDuplicates();
      for (int i = 0; i < 300; i++) {
        assertThat(paho.next()).as("message %d", i).isNotNull();
      }
      client.disconnect().get(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void afterUnsubscribeTheFiltersMessagesNoLongerArrive() throws Exception {
    StatorMqttClient client = StatorMqttClient.create(loop, broker.options("stator-unsub")
        .build());
    client.connect().get(10, TimeUnit.SECONDS);
    broker.awaitAccepted("stator-unsub");
    LinkedBlockingQueue<MqttReceived> news = new LinkedBlockingQueue<>();
    LinkedBlockingQueue<MqttReceived> markers = new LinkedBlockingQueue<>();
    LinkedBlockingQueue<MqttReceived> unmatched = new LinkedBlockingQueue<>();
    client.setMessageListener(unmatched::add);
    client.subscribe("news/#", 1, news::add).get(10, TimeUnit.SECONDS);
    client.subscribe("marker", 1, markers::add).get(10, TimeUnit.SECONDS);
    paho.publish("news/1", "before", 1, false);
    assertThat(news.poll(10, TimeUnit.SECONDS)).isNotNull();

    client.unsubscribe("news/#").get(10, TimeUnit.SECONDS);
    paho.publish("news/2", "after", 1, false);
    paho.publish("marker", "end", 1, false);

    assertThat(markers.poll(10, TimeUnit.SECONDS)).isNotNull();
    assertThat(news).isEmpty();
    assertThat(unmatched).isEmpty();
    client.disconnect().get(10, TimeUnit.SECONDS);
  }
}
