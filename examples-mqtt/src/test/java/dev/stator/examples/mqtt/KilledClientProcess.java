package dev.stator.examples.mqtt;

import dev.stator.EventLoop;
import dev.stator.store.JdbcMachineStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * The client process {@code MqttDurableFlowTest} kills: a durable client (SQLite store,
 * persistent session) that connects and either publishes one QoS 2 message, then waits for a
 * PUBCOMP that the test's relay sees to it never comes, or subscribes at QoS 2 and prints what it
 * receives. It never shuts anything down: the test ends it with {@code destroyForcibly}.
 *
 * <p>Arguments: port, store file, client id, topic, then {@code publish PAYLOAD} or
 * {@code receive}.
 */
public final class KilledClientProcess {
  private KilledClientProcess() {}

  /**
   * Runs the client until it is killed.
   *
   * @param args port, store file, client id, topic, {@code publish PAYLOAD} or {@code receive}
   * @throws Exception if it cannot connect
   */
  public static void main(String[] args) throws Exception {
    int port = Integer.parseInt(args[0]);
    JdbcMachineStore store = JdbcMachineStore.sqlite(Path.of(args[1]));
    EventLoop loop = EventLoop.start("killed-client");
    StatorMqttClient client = StatorMqttClient.create(loop, MqttClientOptions.builder(
        "127.0.0.1", port, args[2]).cleanSession(false).store(store).build());
    client.connect().get(10, TimeUnit.SECONDS);
    System.out.println("CONNECTED");
    if (args[4].equals("receive")) {
      client.subscribe(args[3], 2, message -> System.out.println("RECEIVED "
          + message.payloadAsString())).get(10, TimeUnit.SECONDS);
      System.out.println("SUBSCRIBED");
      client.closed().join();
    } else {
      client.publish(args[3], args[5].getBytes(StandardCharsets.UTF_8), 2, false).join();
      System.out.println("UNEXPECTED: the flow completed");
    }
  }
}
