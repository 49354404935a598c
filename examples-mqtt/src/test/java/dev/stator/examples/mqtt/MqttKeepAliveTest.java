package dev.stator.examples.mqtt;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stator.EventLoop;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Keepalive [MQTT-3.1.2-23]: PINGREQ every interval, and a silent peer declared dead. */
class MqttKeepAliveTest {
  private static final Duration KEEPALIVE = Duration.ofSeconds(1);
  private static Broker broker;
  private static EventLoop loop;

  @BeforeAll
  static void start() {
    broker = Broker.shared();
    loop = EventLoop.start("mqtt-keepalive");
  }

  @AfterAll
  static void stop() {
    loop.close();
  }

  @Test
  void anIdleClientSendsPingreqWithinEveryKeepaliveAndStaysConnected() throws Exception {
    try (Relay relay = new Relay(broker.port())) {
      StatorMqttClient client = StatorMqttClient.create(loop, options(relay, "pinger"));
      List<Throwable> losses = new CopyOnWriteArrayList<>();
      client.addConnectionListener(new MqttConnectionListener() {
        @Override
        public void connectionLost(Throwable cause) {
          losses.add(cause);
        }
      });
      client.connect().get(10, TimeUnit.SECONDS);

      Poll.until(Duration.ofSeconds(5), "three PINGREQs",
          () -> relay.fromClient.stream().filter(b -> b == 0xC0).count() >= 3);

      List<Long> at = List.copyOf(relay.fromClientAt);
      for (int i = 1; i < at.size(); i++) {
        assertThat(Duration.ofNanos(at.get(i) - at.get(i - 1)))
            .as("gap before client packet %d", i)
            .isLessThanOrEqualTo(KEEPALIVE);
      }
      assertThat(losses).isEmpty();
      assertThat(client.isConnected()).isTrue();
      client.disconnect().get(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void aPeerThatStopsAnsweringIsDeclaredDeadWithinOneAndAHalfKeepalivesAndTheClientReconnects()
      throws Exception {
    try (Relay relay = new Relay(broker.port())) {
      StatorMqttClient client = StatorMqttClient.create(loop, options(relay, "frozen"));
      CompletableFuture<Long> lostAt = new CompletableFuture<>();
      CompletableFuture<Throwable> cause = new CompletableFuture<>();
      List<Boolean> connections = new CopyOnWriteArrayList<>();
      client.addConnectionListener(new MqttConnectionListener() {
        @Override
        public void connected(boolean sessionPresent) {
          connections.add(sessionPresent);
        }

        @Override
        public void connectionLost(Throwable why) {
          lostAt.complete(System.nanoTime());
          cause.complete(why);
        }
      });
      client.connect().get(10, TimeUnit.SECONDS);

      long frozenAt = System.nanoTime();
      relay.freeze();

      Duration detection = Duration.ofNanos(lostAt.get(5, TimeUnit.SECONDS) - frozenAt);
      assertThat(detection).isLessThanOrEqualTo(KEEPALIVE.multipliedBy(3).dividedBy(2)
          .plusMillis(150));
      assertThat(cause.get()).isInstanceOf(MqttClientException.class)
          .hasMessageContaining("no PINGRESP within PT1.5S");
      relay.passAll();
      relay.cut();
      Poll.until(Duration.ofSeconds(5), "a second connection", () -> connections.size() == 2);
      assertThat(client.isConnected()).isTrue();
      client.disconnect().get(10, TimeUnit.SECONDS);
    }
  }

  private static MqttClientOptions options(Relay relay, String clientId) {
    return MqttClientOptions.builder("127.0.0.1", relay.port(), clientId).keepAlive(KEEPALIVE)
        .backoff(Duration.ofMillis(20), Duration.ofMillis(100)).build();
  }
}
