package dev.stator.examples.mqtt;

import dev.stator.EventLoop;
import dev.stator.Machine;
import dev.stator.examples.mqtt.internal.ClientCore;
import dev.stator.examples.mqtt.internal.Topics;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * An MQTT 3.1.1 client whose controller is Stator machines, running on a Stator
 * {@link EventLoop}: the connection controller (loaded from the JSON file
 * {@code mqtt/connection.json} on the class path) dials, sends CONNECT, handles the CONNACK,
 * keeps the connection alive with PINGREQ and declares it dead when no PINGRESP comes within 1.5
 * keepalive intervals, reconnects with exponential backoff, and disconnects in order; a transport
 * machine owns the socket, registered with the loop's selector; every QoS 1 and QoS 2 exchange is
 * a machine of its own, durable when the options give a store. Netty's MQTT codec encodes and
 * decodes the packets.
 *
 * <pre>{@code
 * try (EventLoop loop = EventLoop.start("mqtt")) {
 *   StatorMqttClient client = StatorMqttClient.create(loop,
 *       MqttClientOptions.builder("localhost", 1883, "sensor-7").build());
 *   client.connect().get(10, TimeUnit.SECONDS);
 *   client.subscribe("commands/#", 1, message -> System.out.println(message)).get();
 *   client.publish("readings/7", "21.5".getBytes(UTF_8), 2, false).get();
 *   client.disconnect().get();
 * }
 * }</pre>
 *
 * <p><b>Thread-safety:</b> every method may be called from any thread; requests are handed to the
 * loop thread, where the client's state lives, and answered through the returned futures (which
 * complete on the loop thread: do not block in their callbacks). Message handlers and
 * {@link MqttConnectionListener}s run on the loop thread and must not block either.
 */
public final class StatorMqttClient {
  private final ClientCore core;
  private final MqttClientOptions options;

  private StatorMqttClient(ClientCore core, MqttClientOptions options) {
    this.core = core;
    this.options = options;
  }

  /**
   * Creates a client on a loop, not yet connected. With a store, the QoS flows this client id
   * left in flight in the store (an earlier process killed mid-flow, say) are restored at once and
   * sent again when the connection is accepted: see {@link #restoredFlows()}.
   *
   * @param loop the loop whose thread runs the client's machines
   * @param options how to connect
   * @return the client
   * @throws IllegalArgumentException if the broker's host cannot be resolved
   * @throws dev.stator.store.StoreException if the store could not be read
   */
  public static StatorMqttClient create(EventLoop loop, MqttClientOptions options) {
    Objects.requireNonNull(loop, "loop");
    Objects.requireNonNull(options, "options");
    return new StatorMqttClient(ClientCore.start(loop, options), options);
  }

  /** {@return the options it was created with} */
  public MqttClientOptions options() {
    return options;
  }

  /**
   * Connects: dials, sends CONNECT and waits for the CONNACK. A refused dial, a lost connection or
   * a timeout is retried after the backoff, for as long as it takes (bound the wait with
   * {@code orTimeout}); a CONNACK that refuses the connection stops the attempts.
   *
   * @return a future completed when the broker accepts the connection (at once if it has), or
   *     exceptionally with a {@link MqttConnectionRefusedException} naming the return code, or a
   *     {@link MqttClientException} if the client is closed first
   */
  public CompletableFuture<Void> connect() {
    CompletableFuture<Void> done = new CompletableFuture<>();
    return core.call(done, () -> core.connect(done));
  }

  /**
   * Publishes a message.
   *
   * @param topic the topic name: no wildcards
   * @param payload the payload (copied)
   * @param qos 0, 1 or 2
   * @param retain whether the broker keeps it as the topic's retained message
   * @return a future completed when the QoS's flow completes: when the PUBLISH is handed to the
   *     socket for QoS 0 (which fails at once when not connected), on PUBACK for QoS 1, on PUBCOMP
   *     for QoS 2. A QoS 1 or 2 message published while disconnected waits for the connection;
   *     its flow survives reconnects, and with a store, the process
   * @throws IllegalArgumentException for an invalid topic name or QoS
   */
  public CompletableFuture<Void> publish(String topic, byte[] payload, int qos, boolean retain) {
    Topics.checkName(topic);
    checkQos(qos);
    byte[] copy = payload.clone();
    CompletableFuture<Void> done = new CompletableFuture<>();
    return core.call(done, () -> core.publish(topic, copy, qos, retain, done));
  }

  /**
   * Subscribes to a topic filter. The subscription is sent again after a reconnect whose
   * CONNACK says the broker kept no session.
   *
   * @param filter the topic filter, wildcards allowed
   * @param qos the maximum QoS to receive with: 0, 1 or 2
   * @param handler receives each message whose topic matches, on the loop thread
   * @return a future completed on SUBACK, or exceptionally with a
   *     {@link MqttSubscriptionRefusedException}, or a {@link MqttClientException} if not
   *     connected or the connection is lost first
   * @throws IllegalArgumentException for an invalid filter or QoS
   */
  public CompletableFuture<Void> subscribe(String filter, int qos,
      Consumer<MqttReceived> handler) {
    Topics.checkFilter(filter);
    checkQos(qos);
    Objects.requireNonNull(handler, "handler");
    CompletableFuture<Void> done = new CompletableFuture<>();
    return core.call(done, () -> core.subscribe(filter, qos, handler, done));
  }

  /**
   * Unsubscribes from a topic filter; its handler receives nothing more.
   *
   * @param filter the topic filter, as subscribed
   * @return a future completed on UNSUBACK
   * @throws IllegalArgumentException for an invalid filter
   */
  public CompletableFuture<Void> unsubscribe(String filter) {
    Topics.checkFilter(filter);
    CompletableFuture<Void> done = new CompletableFuture<>();
    return core.call(done, () -> core.unsubscribe(filter, done));
  }

  /**
   * Disconnects in order: sends DISCONNECT if connected, closes the connection, and closes the
   * client for good. Flows still in flight fail their futures; with a store they stay stored,
   * to be finished by the next client with the same store and client id.
   *
   * @return a future completed once the client is closed
   */
  public CompletableFuture<Void> disconnect() {
    CompletableFuture<Void> done = new CompletableFuture<>();
    return core.call(done, () -> core.disconnect(done));
  }

  /**
   * Sets who receives the messages that no subscription of this client matches: those a broker
   * keeps for a persistent session and sends right after the CONNACK, before this client
   * subscribed again, for instance. Set it before {@link #connect()} not to miss them. By default
   * such messages are acknowledged as their QoS requires and dropped.
   *
   * @param listener called on the loop thread
   */
  public void setMessageListener(Consumer<MqttReceived> listener) {
    core.setMessageListener(Objects.requireNonNull(listener, "listener"));
  }

  /**
   * Adds a listener of connections and losses.
   *
   * @param listener the listener, called on the loop thread
   */
  public void addConnectionListener(MqttConnectionListener listener) {
    core.addListener(Objects.requireNonNull(listener, "listener"));
  }

  /** {@return whether the broker accepted the current connection, and it is still up} */
  public boolean isConnected() {
    return core.isConnected();
  }

  /**
   * {@return the connection controller machine} Its lifecycle future completes when the client
   * is closed, or exceptionally with the failure report if the controller faulted.
   */
  public Machine<?> controller() {
    return core.controller();
  }

  /** {@return the transport machine, which owns the socket} */
  public Machine<?> transport() {
    return core.transport();
  }

  /**
   * {@return a future of the QoS 1 and 2 flow machines running now} Outgoing flows come first,
   * oldest first, then the incoming QoS 2 flows; each machine's lifecycle future completes when
   * its flow ends (or, for a durable flow, when the loop closes).
   */
  public CompletableFuture<List<Machine<?>>> flows() {
    CompletableFuture<List<Machine<?>>> flows = new CompletableFuture<>();
    return core.call(flows, () -> flows.complete(core.flowMachines()));
  }

  /**
   * {@return a future of the outgoing QoS 1 and 2 flows restored from the store when the client
   * was created: one future each, completed when that flow completes} Empty without a store.
   */
  public CompletableFuture<List<CompletableFuture<Void>>> restoredFlows() {
    CompletableFuture<List<CompletableFuture<Void>>> flows = new CompletableFuture<>();
    return core.call(flows, () -> flows.complete(core.restoredFlows()));
  }

  /**
   * {@return a future completed once the client is closed, its machines have ended and its
   * store writer has written what it had}
   */
  public CompletableFuture<Void> closed() {
    return core.closedFuture();
  }

  private static void checkQos(int qos) {
    if (qos < 0 || qos > 2) {
      throw new IllegalArgumentException("qos: expected 0, 1 or 2, not " + qos);
    }
  }

  @Override
  public String toString() {
    return "StatorMqttClient[" + options.clientId() + " → " + options.host() + ":"
        + options.port() + (isConnected() ? ", connected" : "") + "]";
  }
}
