package dev.stator.examples.mqtt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stator.EventLoop;
import dev.stator.Machine;
import dev.stator.MachineListener;
import dev.stator.Status;
import dev.stator.Transition;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** CONNECT and CONNACK: refusals, reconnect with backoff, and the orderly DISCONNECT. */
class MqttConnectTest {
  private static Broker secured;
  private static EventLoop loop;

  @BeforeAll
  static void start() {
    secured = Broker.withCredentials("alice", "s3cret");
    loop = EventLoop.start("mqtt-connect");
  }

  @AfterAll
  static void stop() {
    loop.close();
    secured.close();
  }

  @Test
  void aWrongPasswordIsRefusedWithReturnCodeFourAndConnectFailsWithIt() throws Exception {
    StatorMqttClient client = StatorMqttClient.create(loop, secured.options("wrong-password")
        .credentials("alice", "guess").build());

    assertThatThrownBy(() -> client.connect().get(10, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class)
        .cause().isInstanceOf(MqttConnectionRefusedException.class)
        .hasMessage("the broker refused the connection of client 'wrong-password': CONNACK"
            + " return code 4 (bad user name or password)");
    assertThat(client.controller().state().activeStates()).containsExactly("idle");
    assertThat(client.isConnected()).isFalse();
    client.disconnect().get(10, TimeUnit.SECONDS);
  }

  @Test
  void anAnonymousClientIsRefusedByABrokerThatRequiresCredentials() throws Exception {
    StatorMqttClient client = StatorMqttClient.create(loop, secured.options("anonymous").build());

    CompletableFuture<Void> connected = client.connect();

    assertThatThrownBy(() -> connected.get(10, TimeUnit.SECONDS))
        .cause().isInstanceOfSatisfying(MqttConnectionRefusedException.class,
            refused -> assertThat(refused.returnCode()).isEqualTo(REFUSED_ANONYMOUS));
    client.disconnect().get(10, TimeUnit.SECONDS);
  }

  /** What Moquette 0.17 answers a CONNECT without a user name when it allows no anonymous. */
  private static final int REFUSED_ANONYMOUS = 4;

  @Test
  void theRightCredentialsAreAccepted() throws Exception {
    StatorMqttClient client = StatorMqttClient.create(loop, secured.options("right-password")
        .credentials("alice", "s3cret").build());

    client.connect().get(10, TimeUnit.SECONDS);
    secured.awaitAccepted("right-password");

    assertThat(client.isConnected()).isTrue();
    assertThat(client.controller().state().activeStates()).containsExactly("connected/alive");
    client.disconnect().get(10, TimeUnit.SECONDS);
  }

  @Test
  void aSubscriptionTheBrokerRefusesFailsWithItsFilterAndOthersStillWork() throws Exception {
    StatorMqttClient client = StatorMqttClient.create(loop, secured.options("subscriber")
        .credentials("alice", "s3cret").build());
    client.connect().get(10, TimeUnit.SECONDS);
    secured.awaitAccepted("subscriber");

    assertThatThrownBy(() -> client.subscribe("forbidden/plans", 1, message -> { })
        .get(10, TimeUnit.SECONDS))
        .cause().isInstanceOf(MqttSubscriptionRefusedException.class)
        .hasMessage("the broker refused the subscription to 'forbidden/plans' (SUBACK return code"
            + " 0x80)");
    client.subscribe("allowed/plans", 1, message -> { }).get(10, TimeUnit.SECONDS);
    client.disconnect().get(10, TimeUnit.SECONDS);
  }

  @Test
  void connectBacksOffAndDialsAgainUntilABrokerListens() throws Exception {
    int port = Broker.freePort();
    StatorMqttClient client = StatorMqttClient.create(loop, MqttClientOptions.builder(
        "127.0.0.1", port, "patient").backoff(Duration.ofMillis(20), Duration.ofMillis(80))
        .build());
    AtomicInteger backoffs = new AtomicInteger();
    listen(client.controller(), to -> {
      if (to.equals("backoff")) {
        backoffs.incrementAndGet();
      }
    });

    CompletableFuture<Void> connected = client.connect();
    Poll.until(Duration.ofSeconds(5), "three refused dials", () -> backoffs.get() >= 3);
    assertThat(connected).isNotDone();
    try (Broker late = Broker.onPort(port)) {
      connected.get(10, TimeUnit.SECONDS);
      assertThat(client.isConnected()).isTrue();
      client.disconnect().get(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void disconnectSendsDisconnectLastClosesTheConnectionAndEndsTheMachines() throws Exception {
    try (Relay relay = new Relay(Broker.shared().port())) {
      StatorMqttClient client = StatorMqttClient.create(loop, MqttClientOptions.builder(
          "127.0.0.1", relay.port(), "polite").build());
      client.connect().get(10, TimeUnit.SECONDS);
      Broker.shared().awaitAccepted("polite");
      client.publish("polite/hello", new byte[] {1}, 1, false).get(10, TimeUnit.SECONDS);

      client.disconnect().get(10, TimeUnit.SECONDS);

      relay.clientEnded.get(5, TimeUnit.SECONDS);
      assertThat(relay.fromClient).containsExactly(0x10, 0x32, 0xE0);
      assertThat(client.controller().lifecycle().get(5, TimeUnit.SECONDS).finalPath())
          .isEqualTo("closed");
      assertThat(client.transport().lifecycle().get(5, TimeUnit.SECONDS).status())
          .isEqualTo(Status.COMPLETED);
      assertThat(client.isConnected()).isFalse();
      assertThatThrownBy(() -> client.publish("polite/again", new byte[0], 1, false)
          .get(5, TimeUnit.SECONDS)).cause().isInstanceOf(MqttClientException.class)
          .hasMessage("the client is closed");
    }
  }

  @Test
  void aQosZeroPublishWhileDisconnectedFailsAndAQosOnePublishWaitsForTheConnection()
      throws Exception {
    StatorMqttClient client = StatorMqttClient.create(loop,
        Broker.shared().options("early").build());

    CompletableFuture<Void> atMostOnce = client.publish("early/bird", new byte[] {0}, 0, false);
    CompletableFuture<Void> atLeastOnce = client.publish("early/bird", new byte[] {1}, 1, false);

    assertThatThrownBy(() -> atMostOnce.get(5, TimeUnit.SECONDS))
        .cause().isInstanceOf(MqttClientException.class)
        .hasMessageStartingWith("not connected");
    assertThat(atLeastOnce).isNotDone();
    client.connect().get(10, TimeUnit.SECONDS);
    atLeastOnce.get(10, TimeUnit.SECONDS);
    client.disconnect().get(10, TimeUnit.SECONDS);
  }

  @Test
  void aMalformedPacketFromTheBrokerClosesTheConnectionAndTheClientConnectsAgain()
      throws Exception {
    try (Relay relay = new Relay(Broker.shared().port())) {
      StatorMqttClient client = StatorMqttClient.create(loop, MqttClientOptions.builder(
          "127.0.0.1", relay.port(), "offended").backoff(Duration.ofMillis(20),
          Duration.ofMillis(80)).build());
      CompletableFuture<Throwable> lost = new CompletableFuture<>();
      AtomicInteger connections = new AtomicInteger();
      client.addConnectionListener(new MqttConnectionListener() {
        @Override
        public void connected(boolean sessionPresent) {
          connections.incrementAndGet();
        }

        @Override
        public void connectionLost(Throwable cause) {
          lost.complete(cause);
        }
      });
      client.connect().get(10, TimeUnit.SECONDS);
      Broker.shared().awaitAccepted("offended");

      relay.injectToClient(new byte[] {0x00, 0x00});      // packet type 0 is reserved

      assertThat(lost.get(5, TimeUnit.SECONDS)).isInstanceOf(java.net.ProtocolException.class)
          .hasMessageStartingWith("the broker sent a malformed packet");
      Poll.until(Duration.ofSeconds(5), "a second connection", () -> connections.get() == 2);
      client.disconnect().get(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void theControllerLoadedFromJsonHasTheStatesTheDocumentationDraws() throws Exception {
    StatorMqttClient client = StatorMqttClient.create(loop, MqttClientOptions.builder(
        "127.0.0.1", 1883, "drawn").build());

    assertThat(client.controller().definition().id()).isEqualTo("mqtt-connection");
    assertThat(client.controller().definition().statePaths()).containsExactly("idle", "opening",
        "opening/dialling", "opening/handshake", "connected", "connected/alive",
        "connected/awaitingPingresp", "backoff", "closed");
    assertThat(client.controller().definition().warnings()).isEmpty();
    client.disconnect().get(10, TimeUnit.SECONDS);
  }

  private static void listen(Machine<?> machine, java.util.function.Consumer<String> entered) {
    @SuppressWarnings("unchecked")
    Machine<Object> any = (Machine<Object>) machine;
    any.addListener(new MachineListener<Object>() {
      @Override
      public void onTransition(Machine<Object> m, Transition transition) {
        transition.entered().forEach(entered);
      }
    });
  }
}
