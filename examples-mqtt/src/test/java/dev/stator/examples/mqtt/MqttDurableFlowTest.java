package dev.stator.examples.mqtt;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stator.EventLoop;
import dev.stator.Status;
import dev.stator.durable.MachineImage;
import dev.stator.store.JdbcMachineStore;
import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A durable client's QoS 2 flow survives the client's process being killed: a child JVM publishes
 * at QoS 2 and is killed with {@code destroyForcibly} once its flow is stored waiting for PUBCOMP
 * (the relay drops its PUBREL); a new client restored from the same SQLite store sends PUBREL again
 * on its first connection [MQTT-4.4.0-1], and the Paho subscriber sees the message exactly once.
 */
class MqttDurableFlowTest {

  @Test
  void aQos2FlowInterruptedByKillingTheProcessIsFinishedByARestoredClientAndDeliveredOnce(
      @TempDir Path dir) throws Exception {
    Broker broker = Broker.shared();
    Path file = dir.resolve("flows.db");
    String clientId = "killed-durable";
    String topic = "durable/exactly-once";
    try (Paho paho = new Paho(broker, "paho-durable");
        Relay relay = new Relay(broker.port());
        JdbcMachineStore store = JdbcMachineStore.sqlite(file)) {
      paho.subscribe(topic, 2);
      CompletableFuture<Integer> pubrelDropped = relay.dropFromClient(type -> type == 6);

      Process child = startClientProcess(relay.port(), file, clientId, topic, "publish",
          "exactly once");
      List<String> childSaid = readLines(child);
      try {
        assertThat(pubrelDropped.get(30, TimeUnit.SECONDS)).isEqualTo(6);
        Poll.until(Duration.ofSeconds(10), "the flow stored waiting for PUBCOMP",
            () -> storedFlows(store, "mqtt-publish-qos2", clientId).stream()
                .anyMatch(image -> image.activeStates().equals(List.of("AWAITING_PUBCOMP"))));
      } finally {
        child.destroyForcibly();
        assertThat(child.waitFor(10, TimeUnit.SECONDS)).isTrue();
      }
      Poll.until(Duration.ofSeconds(5), "the child's output read", () -> !childSaid.isEmpty());
      assertThat(childSaid).containsExactly("CONNECTED");

      try (EventLoop loop = EventLoop.start("restored-client")) {
        StatorMqttClient restored = StatorMqttClient.create(loop, broker.options(clientId)
            .cleanSession(false).store(store).build());
        List<CompletableFuture<Void>> flows = restored.restoredFlows().get(5, TimeUnit.SECONDS);
        assertThat(flows).hasSize(1);
        restored.connect().get(10, TimeUnit.SECONDS);
        flows.get(0).get(10, TimeUnit.SECONDS);

        restored.publish(topic, "end".getBytes(StandardCharsets.UTF_8), 2, false)
            .get(10, TimeUnit.SECONDS);
        assertThat(MqttSessionTest.messagesUntilEnd(paho)).containsExactly("exactly once");
        Poll.until(Duration.ofSeconds(10), "the completed flows forgotten by the store",
            () -> storedFlows(store, "mqtt-publish-qos2", clientId).isEmpty());
        restored.disconnect().get(10, TimeUnit.SECONDS);
      }
    }
  }

  @Test
  void aReceivedQos2MessageIsNotHandedOverAgainByTheClientRestoredAfterAKill(@TempDir Path dir)
      throws Exception {
    Broker broker = Broker.shared();
    Path file = dir.resolve("flows.db");
    String clientId = "killed-receiver";
    String topic = "durable/received-once";
    try (Paho paho = new Paho(broker, "paho-durable-sender");
        Relay relay = new Relay(broker.port());
        JdbcMachineStore store = JdbcMachineStore.sqlite(file)) {
      CompletableFuture<Integer> pubrecDropped = relay.dropFromClient(type -> type == 5);
      Process child = startClientProcess(relay.port(), file, clientId, topic, "receive");
      List<String> childSaid = readLines(child);
      try {
        Poll.until(Duration.ofSeconds(30), "the child subscribed",
            () -> childSaid.contains("SUBSCRIBED"));
        paho.publish(topic, "handed over once", 2, false);
        assertThat(pubrecDropped.get(10, TimeUnit.SECONDS)).isEqualTo(5);
        Poll.until(Duration.ofSeconds(10), "the received flow stored waiting for PUBREL",
            () -> !storedFlows(store, "mqtt-receive-qos2", clientId).isEmpty());
      } finally {
        child.destroyForcibly();
        assertThat(child.waitFor(10, TimeUnit.SECONDS)).isTrue();
      }
      Poll.until(Duration.ofSeconds(5), "the child's output read", () -> childSaid.size() >= 3);
      assertThat(childSaid).containsExactly("CONNECTED", "SUBSCRIBED",
          "RECEIVED handed over once");

      try (EventLoop loop = EventLoop.start("restored-receiver")) {
        StatorMqttClient restored = StatorMqttClient.create(loop, broker.options(clientId)
            .cleanSession(false).store(store).build());
        List<MqttReceived> handedOver = new CopyOnWriteArrayList<>();
        restored.setMessageListener(handedOver::add);
        assertThat(restored.flows().get(5, TimeUnit.SECONDS)).hasSize(1);
        restored.connect().get(10, TimeUnit.SECONDS);

        // the broker sends the PUBLISH again (it never had the PUBREC), then PUBREL
        Poll.until(Duration.ofSeconds(20), "the restored flow released and forgotten",
            () -> storedFlows(store, "mqtt-receive-qos2", clientId).isEmpty());
        assertThat(handedOver).isEmpty();
        restored.disconnect().get(10, TimeUnit.SECONDS);
      }
    }
  }

  private static List<MachineImage> storedFlows(JdbcMachineStore store, String definitionId,
      String clientId) {
    return store.loadAll(definitionId).stream()
        .filter(image -> image.machineId().startsWith("mqtt-" + clientId + "/"))
        .filter(image -> image.status() == Status.RUNNING)
        .toList();
  }

  private static Process startClientProcess(int port, Path store, String clientId, String topic,
      String... mode) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    String classpath = System.getProperty("java.class.path")
        + (System.getProperty("jdk.module.path") == null ? ""
            : File.pathSeparator + System.getProperty("jdk.module.path"));
    List<String> command = new java.util.ArrayList<>(List.of(java, "-Xmx128m",
        "-XX:TieredStopAtLevel=1", "-cp", classpath, KilledClientProcess.class.getName(),
        Integer.toString(port), store.toString(), clientId, topic));
    command.addAll(List.of(mode));
    return new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
  }

  private static List<String> readLines(Process child) {
    List<String> lines = new CopyOnWriteArrayList<>();
    Thread reader = new Thread(() -> {
      try (BufferedReader in = new BufferedReader(new InputStreamReader(child.getInputStream(),
          StandardCharsets.UTF_8))) {
        String line;
        while ((line = in.readLine()) != null) {
          lines.add(line);
        }
      } catch (java.io.IOException killed) {
        // the child was killed
      }
    }, "child-output");
    reader.setDaemon(true);
    reader.start();
    return lines;
  }
}
