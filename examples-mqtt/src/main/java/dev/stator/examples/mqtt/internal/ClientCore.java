package dev.stator.examples.mqtt.internal;

import dev.stator.EventLoop;
import dev.stator.Failure;
import dev.stator.Machine;
import dev.stator.MachineDefinition;
import dev.stator.Status;
import dev.stator.Step;
import dev.stator.durable.MachineImage;
import dev.stator.durable.RestoreOptions;
import dev.stator.dsl.json.Bindings;
import dev.stator.dsl.json.JsonMachineReader;
import dev.stator.examples.mqtt.MqttClientException;
import dev.stator.examples.mqtt.MqttClientOptions;
import dev.stator.examples.mqtt.MqttConnectionListener;
import dev.stator.examples.mqtt.MqttConnectionRefusedException;
import dev.stator.examples.mqtt.MqttReceived;
import dev.stator.examples.mqtt.MqttSubscriptionRefusedException;
import dev.stator.store.JsonContextCodec;
import dev.stator.store.MachineStore;
import dev.stator.store.Persistence;
import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.mqtt.MqttConnAckMessage;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageIdVariableHeader;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttSubAckMessage;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * The client's session: the context of the connection controller (the JSON machine
 * {@code mqtt/connection.json}), the router of received packets, and the owner of the packet
 * identifiers, the subscriptions and the QoS flow machines. Everything here runs on the loop
 * thread; {@link #call} is how the public client hands work over.
 */
public final class ClientCore {
  private static final System.Logger LOG = System.getLogger("dev.stator.examples.mqtt");
  private static final JsonContextCodec<Flow> FLOW_CODEC = JsonContextCodec.of(Flow.class);

  private final EventLoop loop;
  private final MqttClientOptions options;
  private final InetSocketAddress address;
  private final Persistence persistence;
  private final PacketIds ids = new PacketIds();
  private final Map<Integer, Outgoing> outgoing = new LinkedHashMap<>();
  private final Map<Integer, Machine<Flow>> incoming = new HashMap<>();
  private final Map<Integer, Request> requests = new HashMap<>();
  private final Map<String, Subscription> subscriptions = new LinkedHashMap<>();
  private final List<CompletableFuture<Void>> connectWaiters = new ArrayList<>();
  private final List<MqttConnectionListener> listeners = new CopyOnWriteArrayList<>();
  private final List<CompletableFuture<Void>> restored = new ArrayList<>();
  private final CompletableFuture<Void> closedFuture = new CompletableFuture<>();
  private final MachineDefinition<Flow> publishQos1;
  private final MachineDefinition<Flow> publishQos2;
  private final MachineDefinition<Flow> receiveQos2;
  private final Wire wire;
  private volatile Consumer<MqttReceived> unmatched = message -> { };
  private Machine<ClientCore> controller;
  private volatile boolean connected;
  private boolean sessionPresent;
  private int refusedCode;
  private int attempts;
  private long sequence;
  private Throwable lastCause;
  private boolean closing;

  /** One outgoing flow: its machine and the future its publisher waits on. */
  private record Outgoing(Machine<Flow> machine, CompletableFuture<Void> done) {}

  /** A SUBSCRIBE or UNSUBSCRIBE waiting for its SUBACK or UNSUBACK. */
  private record Request(String filter, boolean subscribe, CompletableFuture<Void> done) {}

  /** A subscription and who receives its messages. */
  private record Subscription(String filter, int qos, Consumer<MqttReceived> handler) {}

  private ClientCore(EventLoop loop, MqttClientOptions options, InetSocketAddress address) {
    this.loop = loop;
    this.options = options;
    this.address = address;
    this.persistence = options.store() == null ? null : Persistence.start(options.store());
    this.publishQos1 = Flows.publishQos1(this);
    this.publishQos2 = Flows.publishQos2(this);
    this.receiveQos2 = Flows.receiveQos2(this);
    this.wire = new Wire(this);
  }

  /**
   * Starts a client's machines on a loop: the transport, the controller loaded from
   * {@code mqtt/connection.json}, and the flows restored from the store, if there is one.
   *
   * @param loop the loop
   * @param options the options
   * @return the core
   */
  public static ClientCore start(EventLoop loop, MqttClientOptions options) {
    InetSocketAddress address = new InetSocketAddress(options.host(), options.port());
    if (address.isUnresolved()) {
      throw new IllegalArgumentException("MqttClientOptions.host: cannot resolve \""
          + options.host() + "\"");
    }
    ClientCore core = new ClientCore(loop, options, address);
    List<MachineImage> images = core.storedFlows();
    MachineDefinition<ClientCore> definition = controllerDefinition(core);
    String prefix = "mqtt-" + options.clientId();
    core.wire.attach(loop.start(Wire.definition(), prefix + "-transport", core.wire));
    core.wire.machine().lifecycle().whenComplete((end, failure) -> {
      if (failure != null) {
        loop.execute(() -> core.transportFailed(failure));
      }
    });
    core.controller = loop.start(definition, prefix + "-connection", core);
    core.controller.lifecycle().whenComplete((end, failure) -> loop.execute(() -> core.ended(
        failure)));
    loop.execute(() -> core.restore(images));
    return core;
  }

  private static MachineDefinition<ClientCore> controllerDefinition(ClientCore core) {
    Duration keepAlive = core.options.keepAlive();
    Bindings<ClientCore> bindings = Bindings.<ClientCore>builder()
        .action("dial", ClientCore::dial)
        .action("sendConnect", ClientCore::sendConnect)
        .action("connected", ClientCore::connected)
        .action("refused", ClientCore::refused)
        .action("hangUp", ClientCore::hangUp)
        .action("attemptFailed", ClientCore::attemptFailed)
        .action("connectionLost", ClientCore::connectionLost)
        .action("openingTimedOut", c -> c.lastCause = new TimeoutException("no CONNACK within "
            + c.options.connectTimeout() + " of dialling " + c.address))
        .action("peerDead", c -> c.lastCause = new MqttClientException("no PINGRESP within "
            + keepAlive.multipliedBy(3).dividedBy(2) + " (1.5 keepalive intervals): the"
            + " connection to " + c.address + " is dead"))
        .action("startBackoffTimer", (ClientCore c, Step<Object> step) -> c.startBackoff(step))
        .action("sendPingreq", c -> c.wire.send(Packets.bare(MqttMessageType.PINGREQ)))
        .action("sendDisconnect", c -> c.wire.send(Packets.bare(MqttMessageType.DISCONNECT)))
        .action("close", ClientCore::closed)
        .hook("failEverything", (c, failure) -> c.failEverything(failure))
        .delay("connectTimeout", core.options.connectTimeout())
        // a PINGREQ three quarters of a keepalive after the last PINGRESP, so that no more than
        // the keepalive passes between two packets [MQTT-3.1.2-23] however long the round trip
        // up to a quarter; the PINGRESP then has three quarters more, so a peer is declared dead
        // 1.5 keepalives after its last PINGRESP at the latest
        .delay("pingInterval", keepAlive.multipliedBy(3).dividedBy(4))
        .delay("pingrespTimeout", keepAlive.multipliedBy(3).dividedBy(4))
        .build();
    try (InputStream json = ClientCore.class.getResourceAsStream("/mqtt/connection.json")) {
      if (json == null) {
        throw new IllegalStateException("mqtt/connection.json is not on the class path");
      }
      return JsonMachineReader.of(bindings).read("mqtt/connection.json", json).definition();
    } catch (IOException e) {
      throw new UncheckedIOException("reading mqtt/connection.json", e);
    }
  }

  // ---- the public client's requests, run on the loop thread ----

  /**
   * Runs a request on the loop thread; a request that throws completes its future exceptionally.
   *
   * @param future the request's future
   * @param request what to do there
   * @param <T> the result type
   * @return the future
   */
  public <T> CompletableFuture<T> call(CompletableFuture<T> future, Runnable request) {
    try {
      loop.execute(() -> {
        try {
          request.run();
        } catch (RuntimeException e) {
          future.completeExceptionally(e);
        }
      });
    } catch (RuntimeException e) {
      future.completeExceptionally(new MqttClientException("the client's loop refused the"
          + " request (is it closed?)", e));
    }
    return future;
  }

  /** {@return the connection controller} */
  public Machine<?> controller() {
    return controller;
  }

  /** {@return the transport machine} */
  public Machine<?> transport() {
    return wire.machine();
  }

  /** {@return whether a CONNACK accepted the current connection, which is still up} */
  public boolean isConnected() {
    return connected;
  }

  /** {@return a future completed once the client is closed and its store writer stopped} */
  public CompletableFuture<Void> closedFuture() {
    return closedFuture;
  }

  /** @param listener receives the messages no subscription of this client matches */
  public void setMessageListener(Consumer<MqttReceived> listener) {
    unmatched = listener;
  }

  /** @param listener told of connections and losses */
  public void addListener(MqttConnectionListener listener) {
    listeners.add(listener);
  }

  /**
   * Connects, or completes at once if connected.
   *
   * @param done completed when a CONNACK accepts the connection
   */
  public void connect(CompletableFuture<Void> done) {
    if (closing) {
      done.completeExceptionally(new MqttClientException("the client is closed"));
    } else if (connected) {
      done.complete(null);
    } else {
      connectWaiters.add(done);
      controller.send("CONNECT");
    }
  }

  /**
   * Disconnects: DISCONNECT if connected, then closes for good.
   *
   * @param done completed once closed
   */
  public void disconnect(CompletableFuture<Void> done) {
    closedFuture.whenComplete((v, e) -> done.complete(null));
    if (!controller.send("DISCONNECT")) {
      done.complete(null);
    }
  }

  /**
   * Publishes.
   *
   * @param topic a valid topic name
   * @param payload the payload
   * @param qos 0, 1 or 2
   * @param retain the RETAIN flag
   * @param done completed when the flow of the QoS completes
   */
  public void publish(String topic, byte[] payload, int qos, boolean retain,
      CompletableFuture<Void> done) {
    if (closing) {
      done.completeExceptionally(new MqttClientException("the client is closed"));
      return;
    }
    if (qos == 0) {
      if (!connected) {
        done.completeExceptionally(new MqttClientException("not connected: a QoS 0 message is"
            + " sent at once or not at all"));
      } else if (wire.send(Packets.publish(topic, payload, 0, retain, false, 0))) {
        done.complete(null);
      } else {
        done.completeExceptionally(new MqttClientException("the connection was lost"));
      }
      return;
    }
    int packetId = ids.take();
    Flow flow = new Flow(options.clientId(), packetId, topic, payload, qos, retain);
    flow.sequence = ++sequence;
    MachineDefinition<Flow> definition = qos == 1 ? publishQos1 : publishQos2;
    String id = flowId("out", packetId);
    Machine<Flow> machine = persistence == null ? loop.start(definition, id, flow)
        : persistence.start(loop, definition, id, flow, FLOW_CODEC);
    outgoing.put(packetId, new Outgoing(machine, done));
    watch(machine);
  }

  /**
   * Subscribes.
   *
   * @param filter a valid filter
   * @param qos the maximum QoS
   * @param handler receives the messages, on the loop thread
   * @param done completed on SUBACK
   */
  public void subscribe(String filter, int qos, Consumer<MqttReceived> handler,
      CompletableFuture<Void> done) {
    subscriptions.put(filter, new Subscription(filter, qos, handler));
    request(filter, true, qos, done);
  }

  /**
   * Unsubscribes.
   *
   * @param filter the filter
   * @param done completed on UNSUBACK
   */
  public void unsubscribe(String filter, CompletableFuture<Void> done) {
    subscriptions.remove(filter);
    request(filter, false, 0, done);
  }

  private void request(String filter, boolean subscribe, int qos, CompletableFuture<Void> done) {
    if (!connected) {
      done.completeExceptionally(new MqttClientException("not connected: "
          + (subscribe ? "SUBSCRIBE " : "UNSUBSCRIBE ") + filter + " was not sent"));
      return;
    }
    int packetId = ids.take();
    requests.put(packetId, new Request(filter, subscribe, done));
    wire.send(subscribe ? Packets.subscribe(packetId, filter, qos)
        : Packets.unsubscribe(packetId, filter));
  }

  /** {@return the outgoing flows restored from the store, each completed when its flow ends} */
  public List<CompletableFuture<Void>> restoredFlows() {
    return List.copyOf(restored);
  }

  /** {@return the flow machines running: outgoing flows first, oldest first, then incoming} */
  public List<Machine<?>> flowMachines() {
    List<Machine<?>> machines = new ArrayList<>();
    outgoing.values().stream().map(Outgoing::machine)
        .sorted(Comparator.comparingLong(ClientCore::sequenceOf)).forEach(machines::add);
    machines.addAll(incoming.values());
    return machines;
  }

  /** {@return the packet identifiers in flight: outgoing flows and requests} */
  public int inFlight() {
    return ids.count();
  }

  // ---- the controller's actions ----

  private void dial() {
    wire.machine().send(new Wire.Dial(address));
  }

  private void sendConnect() {
    wire.send(Packets.connect(options.clientId(), options.cleanSession(),
        (int) options.keepAlive().getSeconds(), options.username(), options.password()));
  }

  private void connected() {
    connected = true;
    attempts = 0;
    lastCause = null;
    List<CompletableFuture<Void>> waiting = new ArrayList<>(connectWaiters);
    connectWaiters.clear();
    // after this step, so that whoever the future wakes sees the controller connected
    loop.execute(() -> waiting.forEach(w -> w.complete(null)));
    if (!sessionPresent) {
      for (Subscription subscription : subscriptions.values()) {
        int packetId = ids.take();
        requests.put(packetId, new Request(subscription.filter(), true, new CompletableFuture<>()));
        wire.send(Packets.subscribe(packetId, subscription.filter(), subscription.qos()));
      }
    }
    outgoing.values().stream()
        .sorted(Comparator.comparingLong(o -> sequenceOf(o.machine())))
        .forEach(o -> o.machine().send(Flows.CONNECTED));
    boolean present = sessionPresent;
    tellListeners(l -> l.connected(present));
  }

  /** A listener that throws is logged: it must not fault the controller. */
  private void tellListeners(Consumer<MqttConnectionListener> call) {
    for (MqttConnectionListener listener : listeners) {
      try {
        call.accept(listener);
      } catch (RuntimeException e) {
        LOG.log(System.Logger.Level.WARNING, "connection listener " + listener + " threw", e);
      }
    }
  }

    private static long sequenceOf(Machine<Flow> machine) {
    return Long.parseLong(machine.id().substring(machine.id().lastIndexOf('-') + 1));
  }

  private void refused() {
    MqttConnectionRefusedException refusal =
        new MqttConnectionRefusedException(refusedCode, options.clientId());
    List<CompletableFuture<Void>> waiting = new ArrayList<>(connectWaiters);
    connectWaiters.clear();
    // after this step, so that whoever the future wakes sees the controller idle again
    loop.execute(() -> waiting.forEach(w -> w.completeExceptionally(refusal)));
  }

  private void hangUp() {
    connected = false;
    wire.machine().send(Wire.HANGUP);
  }

  private void attemptFailed() {
    connected = false;
  }

  private void connectionLost() {
    connected = false;
    Throwable cause = lastCause != null ? lastCause
        : new MqttClientException("the connection to " + address + " was lost");
    failRequests(new MqttClientException("the connection was lost before the broker answered",
        cause));
    tellListeners(l -> l.connectionLost(cause));
  }

  private void startBackoff(Step<Object> step) {
    attempts++;
    long min = options.minBackoff().toNanos();
    long max = options.maxBackoff().toNanos();
    long base = min << Math.min(attempts - 1, 20);
    base = base <= 0 || base > max ? max : base;
    double jitter = 0.8 + 0.4 * ThreadLocalRandom.current().nextDouble();
    step.startTimer(Duration.ofNanos((long) Math.min(max, base * jitter)), "RETRY");
  }

  private void closed() {
    closing = true;
    connected = false;
    wire.machine().send(Wire.CLOSE);
    shutDown(new MqttClientException("the client was closed"));
  }

  private void failEverything(Failure failure) {
    closing = true;
    connected = false;
    wire.machine().send(Wire.CLOSE);
    shutDown(new MqttClientException("the client's controller failed: " + failure.summary()));
  }

  private void shutDown(MqttClientException why) {
    List<CompletableFuture<Void>> waiting = new ArrayList<>(connectWaiters);
    connectWaiters.clear();
    waiting.forEach(w -> w.completeExceptionally(why));
    failRequests(why);
    for (Outgoing flow : new ArrayList<>(outgoing.values())) {
      if (persistence == null) {
        flow.machine().send(Flows.ABANDON);
      }
      flow.done().completeExceptionally(persistence == null ? why : new MqttClientException(
          why.getMessage() + "; the flow stays in the store, and a client with the same store"
          + " and client id finishes it"));
    }
    if (persistence == null) {
      incoming.values().forEach(flow -> flow.send(Flows.ABANDON));
    }
  }

  /**
   * The transport faulted (a bug: its expected errors are transitions): nothing can be sent any
   * more, so the client fails what waits, with the transport's failure report as the cause, and
   * stops its controller.
   */
  private void transportFailed(Throwable failure) {
    if (!closing) {
      closing = true;
      connected = false;
      shutDown(new MqttClientException("the client's transport failed", failure));
      controller.stop();
    }
  }

    /** The controller ended: a final state, or a fault once its hook ran. */
  private void ended(Throwable failure) {
    if (!closing) {
      closing = true;
      wire.machine().send(Wire.CLOSE);
      shutDown(new MqttClientException("the client's controller ended", failure));
    }
    if (persistence == null) {
      closedFuture.complete(null);
    } else {
      CompletableFuture.runAsync(persistence::close).whenComplete((v, e) -> closedFuture
          .complete(null));
    }
  }

  private void failRequests(MqttClientException why) {
    for (Map.Entry<Integer, Request> entry : requests.entrySet()) {
      ids.release(entry.getKey());
      entry.getValue().done().completeExceptionally(why);
    }
    requests.clear();
  }

  // ---- the transport's reports ----

  void transportOpened() {
    controller.send("TRANSPORT_OPEN");
  }

  void transportLost(Throwable cause) {
    if (closing) {
      return;
    }
    if (connected || lastCause == null) {
      lastCause = cause;
    }
    connected = false;
    controller.send("TRANSPORT_LOST");
  }

  /** A packet from the broker, dispatched by type; the transport releases it afterwards. */
  void received(MqttMessage packet) {
    MqttMessageType type = packet.fixedHeader().messageType();
    switch (type) {
      case CONNACK -> {
        MqttConnAckMessage connack = (MqttConnAckMessage) packet;
        int code = connack.variableHeader().connectReturnCode().byteValue() & 0xff;
        sessionPresent = connack.variableHeader().isSessionPresent();
        refusedCode = code;
        controller.send(code == 0 ? "CONNACK_ACCEPTED" : "CONNACK_REFUSED");
      }
      case PINGRESP -> controller.send("PINGRESP");
      case PUBLISH -> receivedPublish((MqttPublishMessage) packet);
      case PUBACK, PUBREC, PUBCOMP -> {
        Outgoing flow = outgoing.get(packetId(packet));
        if (flow != null) {
          flow.machine().send(type.name());
        }
      }
      case PUBREL -> {
        int packetId = packetId(packet);
        // the identifier is free from here: a PUBLISH reusing it, even in the same read, is a new
        // message [MQTT-4.3.3-2], not a resend to the flow that is still sending its PUBCOMP
        Machine<Flow> flow = incoming.remove(packetId);
        if (flow != null) {
          flow.send(Flows.PUBREL);
        } else {
          // a PUBREL for an identifier already released: PUBCOMP all the same [MQTT-4.3.3-2]
          wire.send(Packets.ack(MqttMessageType.PUBCOMP, packetId));
        }
      }
      case SUBACK -> {
        Request request = requests.remove(packetId(packet));
        if (request != null) {
          ids.release(packetId(packet));
          List<Integer> codes = ((MqttSubAckMessage) packet).payload().grantedQoSLevels();
          if (codes.isEmpty() || codes.get(0) >= 0x80) {
            subscriptions.remove(request.filter());
            request.done().completeExceptionally(
                new MqttSubscriptionRefusedException(request.filter()));
          } else {
            request.done().complete(null);
          }
        }
      }
      case UNSUBACK -> {
        Request request = requests.remove(packetId(packet));
        if (request != null) {
          ids.release(packetId(packet));
          request.done().complete(null);
        }
      }
      default -> LOG.log(System.Logger.Level.WARNING, "ignored a {0} from the broker", type);
    }
  }

  private static int packetId(MqttMessage packet) {
    return ((MqttMessageIdVariableHeader) packet.variableHeader()).messageId();
  }

  private void receivedPublish(MqttPublishMessage publish) {
    String topic = publish.variableHeader().topicName();
    int qos = publish.fixedHeader().qosLevel().value();
    int packetId = publish.variableHeader().packetId();
    if (qos == 2 && incoming.containsKey(packetId)) {
      incoming.get(packetId).send(Flows.PUBLISH);
      return;
    }
    ByteBuf content = publish.content();
    byte[] payload = new byte[content.readableBytes()];
    content.getBytes(content.readerIndex(), payload);
    deliver(new MqttReceived(topic, payload, qos, publish.fixedHeader().isRetain(),
        publish.fixedHeader().isDup()));
    if (qos == 1) {
      wire.send(Packets.ack(MqttMessageType.PUBACK, packetId));
    } else if (qos == 2) {
      Flow flow = new Flow(options.clientId(), packetId, topic, new byte[0], 2, false);
      String id = flowId("in", packetId);
      Machine<Flow> machine = persistence == null ? loop.start(receiveQos2, id, flow)
          : persistence.start(loop, receiveQos2, id, flow, FLOW_CODEC);
      incoming.put(packetId, machine);
      watch(machine);
    }
  }

  private void deliver(MqttReceived message) {
    boolean matched = false;
    for (Subscription subscription : subscriptions.values()) {
      if (Topics.matches(subscription.filter(), message.topic())) {
        matched = true;
        handOver(subscription.handler(), message, "the handler of '" + subscription.filter()
            + "'");
      }
    }
    if (!matched) {
      handOver(unmatched, message, "the message listener");
    }
  }

  private static void handOver(Consumer<MqttReceived> handler, MqttReceived message,
      String who) {
    try {
      handler.accept(message);
    } catch (RuntimeException e) {
      LOG.log(System.Logger.Level.WARNING, who + " threw on " + message, e);
    }
  }

  // ---- the flows' actions ----

  void sendPublish(Flow flow) {
    if (connected) {
      wire.send(Packets.publish(flow.topic, flow.payload, flow.qos, flow.retain, flow.sent,
          flow.packetId));
      flow.sent = true;
    }
  }

  void sendAck(MqttMessageType type, Flow flow) {
    if (connected || type != MqttMessageType.PUBREL) {
      wire.send(Packets.ack(type, flow.packetId));
    }
  }

  void flowCompleted(Flow flow) {
    Outgoing entry = outgoing.remove(flow.packetId);
    ids.release(flow.packetId);
    if (entry != null) {
      entry.done().complete(null);
    }
  }

  /** Forgets a durable flow's row once its last step is stored; reports a flow that failed. */
  private void watch(Machine<Flow> machine) {
    machine.lifecycle().whenComplete((end, failure) -> {
      if (failure != null) {
        LOG.log(System.Logger.Level.ERROR, "flow " + machine.id() + " failed", failure);
        loop.execute(() -> forgetFailed(machine, failure));
      } else if (persistence != null && end.status() == Status.COMPLETED) {
        persistence.sync(machine).whenCompleteAsync((v, e) -> persistence.forget(
            List.of(machine.id())));
      }
    });
  }

  private void forgetFailed(Machine<Flow> machine, Throwable failure) {
    outgoing.entrySet().removeIf(entry -> {
      if (entry.getValue().machine() == machine) {
        ids.release(entry.getKey());
        entry.getValue().done().completeExceptionally(
            new MqttClientException("the flow's machine " + machine.id() + " failed", failure));
        return true;
      }
      return false;
    });
    incoming.values().removeIf(flow -> flow == machine);
  }

  private String flowId(String direction, int packetId) {
    return "mqtt-" + options.clientId() + "/" + direction + "/" + packetId + "/"
        + UUID.randomUUID().toString().substring(0, 8) + "-" + sequence;
  }

  // ---- durable flows ----

  private List<MachineImage> storedFlows() {
    MachineStore store = options.store();
    if (store == null) {
      return List.of();
    }
    String prefix = "mqtt-" + options.clientId() + "/";
    List<MachineImage> images = new ArrayList<>();
    for (String definitionId : List.of(Flows.PUBLISH_QOS1, Flows.PUBLISH_QOS2,
        Flows.RECEIVE_QOS2)) {
      for (MachineImage image : store.loadAll(definitionId)) {
        if (image.machineId().startsWith(prefix) && image.status() == Status.RUNNING) {
          images.add(image);
        }
      }
    }
    return images;
  }

  private void restore(List<MachineImage> images) {
    for (MachineImage image : images) {
      MachineDefinition<Flow> definition = switch (image.definitionId()) {
        case Flows.PUBLISH_QOS1 -> publishQos1;
        case Flows.PUBLISH_QOS2 -> publishQos2;
        default -> receiveQos2;
      };
      Machine<Flow> machine;
      try {
        machine = loop.restore(definition, image, persistence.durability(FLOW_CODEC),
            RestoreOptions.DEFAULTS);
      } catch (IllegalArgumentException refused) {
        LOG.log(System.Logger.Level.ERROR, "flow " + image.machineId() + " not restored",
            refused);
        continue;
      }
      Flow flow = FLOW_CODEC.decode(image.context());
      ids.reserve(flow.packetId);
      sequence = Math.max(sequence, flow.sequence);
      if (definition == receiveQos2) {
        incoming.put(flow.packetId, machine);
      } else {
        CompletableFuture<Void> done = new CompletableFuture<>();
        outgoing.put(flow.packetId, new Outgoing(machine, done));
        restored.add(done);
      }
      watch(machine);
    }
  }
}
