package dev.stator.examples.mqtt;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stator.EventLoop;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Persistent sessions: what is unacknowledged when a connection drops is sent again on the next
 * connection, with its original packet identifier, PUBLISH with DUP and PUBREL as they were
 * [MQTT-4.4.0-1]; and a broker's stored session is resumed.
 */
class MqttSessionTest {
  private static Broker broker;
  private static EventLoop loop;

  @BeforeAll
  static void start() {
    broker = Broker.shared();
    loop = EventLoop.start("mqtt-session");
  }

  @AfterAll
  static void stop() {
    loop.close();
  }

  /**
   * The PUBLISH never reaches the broker; after the reconnect it goes again with DUP and its
   * identifier, and the flow completes. No one subscribes to the topic here: Moquette 0.17 routes
   * a DUP PUBLISH only to the subscribers it failed to reach before, and with subscribers but none
   * failed its session loop dies on {@code retain(0)} (see docs/mqtt-example.md).
   */
  @ParameterizedTest(name = "QoS {0}")
  @ValueSource(ints = {1, 2})
  void aLostPublishIsSentAgainWithDupAndItsIdentifierOnReconnect(int qos) throws Exception {
    try (Relay relay = new Relay(broker.port())) {
      StatorMqttClient client = StatorMqttClient.create(loop, viaRelay(relay, "dup-" + qos));
      client.connect().get(10, TimeUnit.SECONDS);
      broker.awaitAccepted("dup-" + qos);
      CompletableFuture<Integer> dropped = relay.dropFromClient(type -> type == 3);

      CompletableFuture<Void> published = client.publish("nobody/listens", new byte[] {1, 2}, qos,
          false);
      assertThat(dropped.get(10, TimeUnit.SECONDS)).isEqualTo(3);
      assertThat(published).isNotDone();
      relay.passAll();
      relay.cut();

      published.get(10, TimeUnit.SECONDS);
      int first = 0x30 | qos << 1;
      assertThat(relay.fromClient).containsSubsequence(first, 0x10, first | 0x08);
      assertThat(relay.publishIds).hasSize(2).containsOnly(relay.publishIds.get(0));
      client.disconnect().get(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void unacknowledgedPublishesAreSentAgainInTheirOriginalOrder() throws Exception {
    try (Relay relay = new Relay(broker.port())) {
      StatorMqttClient client = StatorMqttClient.create(loop, viaRelay(relay, "in-order"));
      client.connect().get(10, TimeUnit.SECONDS);
      broker.awaitAccepted("in-order");
      CompletableFuture<Integer> dropped = relay.dropFromClient(type -> type == 3);

      List<CompletableFuture<Void>> published = new ArrayList<>();
      for (int i = 0; i < 5; i++) {
        published.add(client.publish("nobody/listens/" + i, new byte[] {(byte) i}, 1 + i % 2,
            false));
      }
      dropped.get(10, TimeUnit.SECONDS);
      Poll.until(Duration.ofSeconds(5), "five PUBLISHes dropped",
          () -> relay.publishIds.size() == 5);
      List<Integer> original = List.copyOf(relay.publishIds);
      assertThat(client.flows().get(5, TimeUnit.SECONDS)).hasSize(5);
      relay.passAll();
      relay.cut();

      CompletableFuture.allOf(published.toArray(new CompletableFuture<?>[0]))
          .get(10, TimeUnit.SECONDS);
      assertThat(relay.publishIds.subList(5, 10)).isEqualTo(original);
      assertThat(client.flows().get(5, TimeUnit.SECONDS)).isEmpty();
      client.disconnect().get(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void aLostPubrelIsSentAgainOnReconnectAndTheMessageIsDeliveredOnce() throws Exception {
    try (Relay relay = new Relay(broker.port()); Paho paho = new Paho(broker, "paho-pubrel")) {
      paho.subscribe("pubrel/lost", 2);
      StatorMqttClient client = StatorMqttClient.create(loop, viaRelay(relay, "pubrel"));
      client.connect().get(10, TimeUnit.SECONDS);
      broker.awaitAccepted("pubrel");
      CompletableFuture<Integer> dropped = relay.dropFromClient(type -> type == 6);

      CompletableFuture<Void> published = client.publish("pubrel/lost",
          "once".getBytes(StandardCharsets.UTF_8), 2, false);
      assertThat(dropped.get(10, TimeUnit.SECONDS)).isEqualTo(6);
      assertThat(published).isNotDone();
      relay.passAll();
      relay.cut();

      published.get(10, TimeUnit.SECONDS);
      assertThat(relay.fromClient).containsSubsequence(0x34, 0x62, 0x10, 0x62)
          .filteredOn(b -> b >> 4 == 3).hasSize(1);       // PUBREL again, never the PUBLISH
      client.publish("pubrel/lost", "end".getBytes(StandardCharsets.UTF_8), 2, false)
          .get(10, TimeUnit.SECONDS);
      assertThat(messagesUntilEnd(paho)).containsExactly("once");
      client.disconnect().get(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void aDuplicateQos2PublishFromTheBrokerIsAcknowledgedAgainAndHandedOverOnce() throws Exception {
    try (Relay relay = new Relay(broker.port()); Paho paho = new Paho(broker, "paho-dup-in")) {
      StatorMqttClient client = StatorMqttClient.create(loop, viaRelay(relay, "dup-in"));
      LinkedBlockingQueue<MqttReceived> received = new LinkedBlockingQueue<>();
      client.connect().get(10, TimeUnit.SECONDS);
      broker.awaitAccepted("dup-in");
      client.subscribe("dup/in", 2, received::add).get(10, TimeUnit.SECONDS);
      CompletableFuture<Integer> pubrecDropped = relay.dropFromClient(type -> type == 5);

      paho.publish("dup/in", "twice sent, once seen", 2, false);
      assertThat(pubrecDropped.get(10, TimeUnit.SECONDS)).isEqualTo(5);
      relay.passAll();
      relay.cut();

      Poll.until(Duration.ofSeconds(10), "PUBCOMP for the released message",
          () -> relay.fromClient.contains(0x70));
      assertThat(relay.fromClient.stream().filter(b -> b == 0x50)).hasSize(2);
      assertThat(received).hasSize(1);
      assertThat(received.peek().payloadAsString()).isEqualTo("twice sent, once seen");
      client.disconnect().get(10, TimeUnit.SECONDS);
    }
  }

  private static MqttClientOptions viaRelay(Relay relay, String clientId) {
    return MqttClientOptions.builder("127.0.0.1", relay.port(), clientId).cleanSession(false)
        .backoff(Duration.ofMillis(20), Duration.ofMillis(100)).build();
  }

  @Test
  void aResumedSessionReceivesWhatTheBrokerKeptWhileTheClientWasAway() throws Exception {
    StatorMqttClient first = StatorMqttClient.create(loop, broker.options("away")
        .cleanSession(false).build());
    first.connect().get(10, TimeUnit.SECONDS);
    broker.awaitAccepted("away");
    first.subscribe("mailbox/#", 1, message -> { }).get(10, TimeUnit.SECONDS);
    first.disconnect().get(10, TimeUnit.SECONDS);
    try (Paho paho = new Paho(broker, "paho-mailer")) {
      paho.publish("mailbox/1", "while away", 1, false);
    }

    StatorMqttClient second = StatorMqttClient.create(loop, broker.options("away")
        .cleanSession(false).build());
    LinkedBlockingQueue<MqttReceived> received = new LinkedBlockingQueue<>();
    List<Boolean> sessionPresent = new ArrayList<>();
    second.setMessageListener(received::add);
    second.addConnectionListener(new MqttConnectionListener() {
      @Override
      public void connected(boolean present) {
        sessionPresent.add(present);
      }
    });
    second.connect().get(10, TimeUnit.SECONDS);

    MqttReceived message = received.poll(10, TimeUnit.SECONDS);
    assertThat(message).isNotNull();
    assertThat(message.topic()).isEqualTo("mailbox/1");
    assertThat(message.payloadAsString()).isEqualTo("while away");
    assertThat(sessionPresent).containsExactly(true);
    second.disconnect().get(10, TimeUnit.SECONDS);
  }

  /** The payloads Paho received up to the one that says "end", which is left out. */
  static List<String> messagesUntilEnd(Paho paho) throws InterruptedException {
    List<String> payloads = new ArrayList<>();
    while (true) {
      Paho.Received next = paho.next();
      assertThat(next).as("a message, or the end marker, within 10 s").isNotNull();
      if (next.payload().equals("end")) {
        return payloads;
      }
      payloads.add(next.payload());
    }
  }
}
