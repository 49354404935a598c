package dev.stator.examples.mqtt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.stator.EventLoop;
import dev.stator.Failure;
import dev.stator.LoopObserver;
import dev.stator.LoopOptions;
import dev.stator.MachineFailedException;
import dev.stator.examples.mqtt.faults.DeliveryLedger;
import dev.stator.examples.mqtt.faults.Direction;
import dev.stator.examples.mqtt.faults.Fault;
import dev.stator.examples.mqtt.faults.FaultKind;
import dev.stator.examples.mqtt.faults.FaultLog;
import dev.stator.examples.mqtt.faults.FaultPlan;
import dev.stator.examples.mqtt.faults.FaultProxy;
import dev.stator.examples.mqtt.faults.HiveMqBroker;
import dev.stator.examples.mqtt.faults.MqttFraming;
import dev.stator.examples.mqtt.faults.PahoPeer;
import dev.stator.examples.mqtt.faults.RunTotals;
import dev.stator.examples.mqtt.faults.WireTrace;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Stator's MQTT client under network faults, against a real broker (HiveMQ Community Edition,
 * in this process, its sessions in files so that a killed broker restarts with them) and the
 * reference client (Paho). Moquette, which the other tests use, is not the broker here: its 0.17
 * session threads end on some DUP re-sends and lose every message of the sessions they served. Each run, from one seed: Stator's client connects through the
 * {@link FaultProxy} with a persistent session and a keepalive of 1 s, Paho connects to the broker
 * directly; Paho publishes {@value #PER_TOPIC} numbered messages at each QoS to Stator's client,
 * and Stator's client as many to Paho, all at once, while the proxy injects the run's seeded
 * faults (drops, delays, cuts mid-packet, resets, blackholes, broker kills). Each run checks what
 * {@link DeliveryLedger} says MQTT 3.1.1 promises (QoS 1 at least once, QoS 2 exactly once, the
 * first deliveries of each topic in publishing order), that every blackholed broker was declared
 * dead within 1.5 keepalive intervals, that no future the client handed out, nor its machines'
 * lifecycles, is left pending at the end, that the lost connections were all explained by the
 * network (an I/O error, or the missing PINGRESP), and that the one unexpected error some runs
 * inject (a subscriber that throws an {@link Error}) came back as exactly one failure report.
 *
 * <p>Seeds from 1 up, as many as {@value #BUDGET_SECONDS} s allow (the run under way finishes);
 * {@code -Dmqtt.faults.seconds=N} runs longer, {@code -Dmqtt.faults.seed=S} runs seed S alone, as a
 * failing run's message says, and {@code -Dmqtt.faults.trace=true} adds every packet through the
 * proxy to the run's log. What the broker breaks (a topic forwarded out of order, or a QoS 2
 * message forwarded twice after the broker was killed mid-flow) is laid at its door by the wire
 * record and counted, not failed: the client under test is judged on what it sent and handed
 * over.
 */
final class MqttNetworkFaultTest {

  /** Seeds run, from 1 up, until this many seconds have passed. */
  static final long BUDGET_SECONDS = 10;
  static final int PER_TOPIC = 15;
  static final Duration KEEPALIVE = Duration.ofSeconds(1);
  /** 1.5 keepalive intervals, the client's promise, plus what a loaded two-core machine adds. */
  static final long DETECTION_BOUND_MILLIS = KEEPALIVE.toMillis() * 3 / 2;
  static final long DETECTION_TOLERANCE_MILLIS = 400;
  static final long PATIENCE_SECONDS = 20;

  static final FaultPlan.Shape SHAPE = new FaultPlan.Shape(List.of(FaultKind.DROP, FaultKind.DROP,
      FaultKind.RESET, FaultKind.RESET, FaultKind.TRUNCATE, FaultKind.TRUNCATE, FaultKind.DELAY,
      FaultKind.DELAY, FaultKind.BLACKHOLE, FaultKind.KILL_BROKER), 600, 250, 1500, 50, 300);

  @TempDir
  static Path brokerData;
  static HiveMqBroker broker;

  @BeforeAll
  static void startBroker() throws IOException {
    broker = new HiveMqBroker(brokerData);
  }

  @AfterAll
  static void stopBroker() throws IOException {
    broker.close();
  }

  /** The unexpected error some runs inject: not a network fault, so it must be reported. */
  static final class Poison extends Error {
    private static final long serialVersionUID = 1L;

    Poison(String message) {
      super(message);
    }
  }

  /** Hears every failure report of the run's loop. */
  static final class Reports implements LoopObserver {
    final List<Failure> failures = new CopyOnWriteArrayList<>();

    @Override
    public void faulted(String definitionId, Failure failure) {
      failures.add(failure);
    }
  }

  /**
   * Follows Stator's client's connections, and holds the run's poison: the number of the message
   * on whose delivery the subscriber throws an {@link Error} (0: none), a bug in user code that
   * the client must report as a failure rather than take for a network fault.
   */
  static final class Connections implements MqttConnectionListener {
    final int poisonAt;
    final List<Throwable> losses = new CopyOnWriteArrayList<>();
    volatile boolean connected;
    volatile int connections;
    volatile boolean poisoned;
    /** The QoS 1 and 2 publishes whose futures failed: none may, but in a poisoned run. */
    final List<String> failedPublishes = new CopyOnWriteArrayList<>();
    /** Messages handed to the subscriber: written on the client's loop thread only. */
    volatile int delivered;
    private CompletableFuture<Long> nextLoss = new CompletableFuture<>();

    Connections(int poisonAt) {
      this.poisonAt = poisonAt;
    }

    @Override
    public void connected(boolean sessionPresent) {
      connections++;
      connected = true;
    }

    @Override
    public void connectionLost(Throwable cause) {
      connected = false;
      losses.add(cause);
      CompletableFuture<Long> lost;
      synchronized (this) {
        lost = nextLoss;
        nextLoss = new CompletableFuture<>();
      }
      lost.complete(System.nanoTime());
    }

    /** {@return a future of the time of the next loss} */
    synchronized CompletableFuture<Long> nextLoss() {
      return nextLoss;
    }
  }

  /** A blackhole that fired while the client was connected: when, and the loss it must cause. */
  record Detection(long firedNanos, CompletableFuture<Long> lost) {
  }

  @Test
  void underSeededNetworkFaults_everyQosKeepsItsPromise_andNothingIsLeftPending()
      throws Exception {
    String only = System.getProperty("mqtt.faults.seed");
    long budgetNanos = TimeUnit.SECONDS.toNanos(
        Long.getLong("mqtt.faults.seconds", BUDGET_SECONDS));
    long began = System.nanoTime();
    RunTotals totals = new RunTotals();
    List<AssertionError> failed = new ArrayList<>();
    List<Long> seeds = new ArrayList<>();
    for (long seed = only == null ? 1 : Long.parseLong(only);
        seeds.isEmpty() || only == null && System.nanoTime() - began < budgetNanos; seed++) {
      seeds.add(seed);
      try {
        RunTotals.Run run = run(seed);
        System.out.println("[mqtt-faults] " + run);
        totals.add(run);
      } catch (AssertionError e) {
        System.out.println("[mqtt-faults] seed " + seed + " FAILED: " + firstLine(e));
        failed.add(e);
      }
    }
    System.out.println("[mqtt-faults] total: " + totals + "; " + failed.size() + " runs failed");
    if (!failed.isEmpty()) {
      StringBuilder summary = new StringBuilder(failed.size() + " of " + seeds.size()
          + " runs failed:");
      failed.forEach(e -> summary.append("\n  ").append(firstLine(e)));
      AssertionError all = new AssertionError(summary + "\nthe first in full:\n"
          + failed.get(0).getMessage(), failed.get(0));
      throw all;
    }
    if (only == null) {
      assertThat(totals.faultCount()).as("faults injected over the runs").isPositive();
    }
  }

  @Test
  void aBlackholedBroker_isDeclaredDead_withinOneAndAHalfKeepaliveIntervals() throws Exception {
    FaultLog log = new FaultLog();
    try (EventLoop loop = EventLoop.start("mqtt-blackhole");
        FaultProxy proxy = FaultProxy.builder(broker.address())
            .framing((connection, direction) -> new MqttFraming())
            .log(log).start()) {
      Connections watch = new Connections(0);
      StatorMqttClient client = StatorMqttClient.create(loop, options(proxy, "stator-blackhole"));
      client.addConnectionListener(watch);
      List<Long> detections = new ArrayList<>();
      for (int round = 0; round < 3; round++) {
        client.connect().get(PATIENCE_SECONDS, TimeUnit.SECONDS);
        CompletableFuture<Long> lost = watch.nextLoss();
        long fired = System.nanoTime();
        assertThat(proxy.fireNow(Fault.after(0, Direction.UPSTREAM, FaultKind.BLACKHOLE)))
            .as("open connections to blackhole").isEqualTo(1);
        long millis = TimeUnit.NANOSECONDS.toMillis(
            lost.get(PATIENCE_SECONDS, TimeUnit.SECONDS) - fired);
        detections.add(millis);
        assertThat(millis).as("dead broker detected after (ms); log:%n%s", log.dump())
            .isLessThanOrEqualTo(DETECTION_BOUND_MILLIS + DETECTION_TOLERANCE_MILLIS);
      }
      System.out.println("[mqtt-faults] blackhole detections (ms, bound "
          + DETECTION_BOUND_MILLIS + " + " + DETECTION_TOLERANCE_MILLIS + "): " + detections);
      assertThat(watch.losses).hasSize(3).allSatisfy(cause ->
          assertThat(cause).isInstanceOf(MqttClientException.class)
              .hasMessageContaining("PINGRESP"));
      client.disconnect().get(PATIENCE_SECONDS, TimeUnit.SECONDS);
      client.closed().get(PATIENCE_SECONDS, TimeUnit.SECONDS);
    }
  }

  private static String firstLine(Throwable e) {
    String message = String.valueOf(e.getMessage());
    int end = message.indexOf('\n');
    return end < 0 ? message : message.substring(0, end) + " " + message.lines().skip(1)
        .filter(line -> line.contains("Expecting") || line.contains("first arrived")
            || line.contains("never arrived") || line.contains("twice")).findFirst().orElse("");
  }

  /**
   * What the seeded runs found, pinned with a scripted peer on a plain socket: a server may reuse
   * a QoS 2 packet identifier for a new PUBLISH as soon as it has sent the PUBREL that ends the
   * old flow (Moquette does, before the PUBCOMP), and when both come in one read the PUBLISH is a
   * new message, not a duplicate: the receiver ignores repeats "until it has received the
   * corresponding PUBREL" [MQTT-4.3.3-2], and it has.
   */
  @Test
  void aQos2IdentifierReusedRightAfterItsPubrel_carriesANewMessage_thatIsHandedOver()
      throws Exception {
    try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        EventLoop loop = EventLoop.start("mqtt-reused-id")) {
      StatorMqttClient client = StatorMqttClient.create(loop, MqttClientOptions.builder(
          "127.0.0.1", server.getLocalPort(), "stator-reused-id").keepAlive(Duration.ofSeconds(60))
          .build());
      CompletableFuture<Void> connected = client.connect();
      try (Socket peer = server.accept()) {
        peer.setSoTimeout(5000);
        ScriptedPeer script = new ScriptedPeer(peer);
        assertThat(script.next() >>> 4).as("CONNECT").isEqualTo(1);
        script.send(0x20, 2, 0, 0);
        connected.get(PATIENCE_SECONDS, TimeUnit.SECONDS);
        List<String> handed = new CopyOnWriteArrayList<>();
        CompletableFuture<Void> both = new CompletableFuture<>();
        CompletableFuture<Void> subscribed = client.subscribe("r", 2, message -> {
          handed.add(message.payloadAsString());
          if (handed.size() == 2) {
            both.complete(null);
          }
        });
        assertThat(script.next() >>> 4).as("SUBSCRIBE").isEqualTo(8);
        script.send(0x90, 3, script.body[0], script.body[1], 2);
        subscribed.get(PATIENCE_SECONDS, TimeUnit.SECONDS);

        script.send(0x34, 6, 0, 1, 'r', 0, 1, 'a');
        assertThat(script.next()).as("PUBREC of the first").isEqualTo(0x50);
        script.send(0x62, 2, 0, 1, 0x34, 6, 0, 1, 'r', 0, 1, 'b');
        assertThat(script.next()).as("PUBCOMP of the first").isEqualTo(0x70);
        assertThat(script.next()).as("PUBREC of the second").isEqualTo(0x50);
        script.send(0x62, 2, 0, 1);
        assertThat(script.next()).as("PUBCOMP of the second").isEqualTo(0x70);

        both.get(PATIENCE_SECONDS, TimeUnit.SECONDS);
        assertThat(handed).containsExactly("a", "b");
      } finally {
        client.disconnect();
      }
    }
  }

  /** The broker's side of a scripted exchange: writes raw packets, reads the client's. */
  static final class ScriptedPeer {
    private final Socket socket;
    private final java.util.ArrayDeque<Integer> headers = new java.util.ArrayDeque<>();
    private final java.util.ArrayDeque<byte[]> bodies = new java.util.ArrayDeque<>();
    private final MqttFraming framing = new MqttFraming((header, body) -> {
      headers.add(header);
      bodies.add(body);
    });
    byte[] body;

    ScriptedPeer(Socket socket) {
      this.socket = socket;
    }

    void send(int... bytes) throws IOException {
      byte[] raw = new byte[bytes.length];
      for (int i = 0; i < bytes.length; i++) {
        raw[i] = (byte) bytes[i];
      }
      socket.getOutputStream().write(raw);
      socket.getOutputStream().flush();
    }

    /** {@return the first byte of the client's next packet, its body kept in {@link #body}} */
    int next() throws IOException {
      byte[] buffer = new byte[1024];
      while (headers.isEmpty()) {
        int read = socket.getInputStream().read(buffer);
        if (read < 0) {
          throw new java.io.EOFException("the client closed the connection");
        }
        framing.advance(buffer, 0, read);
      }
      body = bodies.poll();
      return headers.poll();
    }
  }

  private static MqttClientOptions options(FaultProxy proxy, String clientId) {
    return MqttClientOptions.builder("127.0.0.1", proxy.port(), clientId)
        .cleanSession(false)
        .keepAlive(KEEPALIVE)
        .connectTimeout(Duration.ofSeconds(1))
        .backoff(Duration.ofMillis(20), Duration.ofMillis(200))
        .build();
  }

  private static List<DeliveryLedger.Stream> streams(String prefix) {
    List<DeliveryLedger.Stream> streams = new ArrayList<>();
    for (int qos = 0; qos <= 2; qos++) {
      streams.add(new DeliveryLedger.Stream(prefix + "/q" + qos, qos, PER_TOPIC));
    }
    return streams;
  }

  /** One seeded run; fails with the seed, the proxy's log and what each side received. */
  private static RunTotals.Run run(long seed) throws Exception {
    long start = System.nanoTime();
    Random random = new Random(seed);
    int faults = 1 + random.nextInt(3);
    int poisonAt = random.nextInt(5) == 0 ? 1 + random.nextInt(3 * PER_TOPIC - 5) : 0;
    FaultPlan plan = FaultPlan.seeded(random.nextLong(), faults, SHAPE);
    FaultLog log = new FaultLog();
    log.add("run seed " + seed + ": " + faults + " faults" + (poisonAt > 0
        ? ", the subscriber throws on message " + poisonAt : ""));
    String inbound = "f/" + seed + "/in";
    String outbound = "f/" + seed + "/out";
    DeliveryLedger atStator = new DeliveryLedger(streams(inbound));
    DeliveryLedger atPaho = new DeliveryLedger(streams(outbound));
    Reports reports = new Reports();
    Connections watch = new Connections(poisonAt);
    List<Detection> detections = new CopyOnWriteArrayList<>();
    List<CompletableFuture<?>> handedOut = new ArrayList<>();
    EventLoop loop = EventLoop.start("mqtt-faults-" + seed,
        LoopOptions.DEFAULTS.withObserver(any -> reports));
    WireTrace trace = new WireTrace();
    FaultProxy proxy = FaultProxy.builder(broker.address()).plan(plan)
        .framing(trace.framings(Boolean.getBoolean("mqtt.faults.trace") ? log : null))
        .broker(broker).log(log).listener(fired -> {
          if (fired.fault().kind() == FaultKind.BLACKHOLE && watch.connected) {
            detections.add(new Detection(fired.nanoTime(), watch.nextLoss()));
          }
        }).start();
    PahoPeer paho = new PahoPeer(broker.address().getPort(), "paho-" + seed,
        (topic, payload) -> atPaho.received(topic, payload), log);
    StatorMqttClient client = null;
    try {
      paho.connect();
      paho.subscribe(outbound + "/+", 2);
      client = StatorMqttClient.create(loop, options(proxy, "stator-" + seed));
      client.addConnectionListener(watch);
      Runnable work = workload(client, paho, inbound, outbound, atStator, handedOut, log, watch);
      runAndAwait(client, paho, work, watch, atStator, atPaho, handedOut);
      proxy.quiesce();
      proxy.brokerUp().get(PATIENCE_SECONDS, TimeUnit.SECONDS);
      long slowest = watch.poisoned ? 0 : checkDetections(detections);
      closeAndCheckNothingPending(client, loop, handedOut);
      checkReports(watch, reports, client);
      DeliveryLedger.Verdict in = atStator.verdict();
      DeliveryLedger.Verdict out = atPaho.verdict();
      int brokerBreaches = watch.poisoned ? 0
          : checkGuarantees(in, out, trace, atStator, inbound, outbound);
      // a poisoned run's client is closed by its poison: its deliveries judge nothing
      int judged = watch.poisoned ? 0 : 1;
      return new RunTotals.Run(seed, judged * (in.expected() + out.expected()),
          judged * (in.delivered() + out.delivered()),
          judged * (in.lostAtQos0() + out.lostAtQos0()),
          judged * (in.lostAtQos12() + out.lostAtQos12()),
          judged * (in.duplicatedAtQos1() + out.duplicatedAtQos1()),
          judged * (in.duplicatedAtQos2() + out.duplicatedAtQos2()), log.firedByKind(),
          Math.max(0, watch.connections - 1), paho.reconnections(), watch.poisoned,
          reports.failures.size(), detections.size(), slowest, brokerBreaches,
          TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
    } catch (Throwable e) {
      throw new AssertionError("run with seed " + seed + " failed (-Dmqtt.faults.seed=" + seed
          + " reruns it): " + e + "\n" + log.dump() + "\nreceived by Stator's client:\n"
          + atStator.describe() + "received by Paho:\n" + atPaho.describe()
          + "failure reports: " + reports.failures, e);
    } finally {
      if (client != null) {
        client.disconnect();
      }
      paho.close();
      proxy.close();
      loop.close();
    }
  }

  /**
   * Checks each QoS's promise end to end, and the order: a breach of order is laid at the
   * client's door when the wire shows the client sent its PUBLISH packets out of order or handed
   * over what it received out of the order it came in; else it is the broker's, and counted. A
   * QoS 2 message of the client's that reached Paho twice is laid at the client's door when the
   * wire shows the client sent it under two identifiers or re-sent it after its PUBREC; else the
   * broker forwarded one message twice (HiveMQ does when it is killed after forwarding a PUBLISH
   * and before its PUBREC goes out: it keeps no record of the flow across the restart, and takes
   * the client's DUP re-send, which [MQTT-4.3.3-1] requires, for a new message), and it is
   * counted. Likewise a QoS 2 message the client handed over twice is the client's doing only
   * when the broker had not sent it in a new flow (under a new identifier, or after the PUBREL
   * of the first).
   *
   * @return how many topics the broker forwarded out of order or twice
   */
  private static int checkGuarantees(DeliveryLedger.Verdict in, DeliveryLedger.Verdict out,
      WireTrace trace, DeliveryLedger atStator, String inbound, String outbound) {
    List<String> breaches = new ArrayList<>();
    in.violations().stream().filter(v -> !in.misordered().containsValue(v)
        && !in.doubled().containsValue(v)).forEach(v -> breaches.add("at Stator's client: " + v));
    int brokerBreaches = 0;
    for (String topic : in.doubled().keySet()) {
      List<String> handedTwice = trace.clientQos2HandOverBreaches(topic, atStator.received(topic));
      breaches.addAll(handedTwice);
      if (handedTwice.isEmpty()) {
        brokerBreaches++;
      }
    }
    for (var doubled : out.doubled().entrySet()) {
      List<String> causes = trace.clientQos2DuplicateCauses(doubled.getKey());
      breaches.addAll(causes);
      if (causes.isEmpty()) {
        brokerBreaches++;
      }
    }
    out.violations().stream().filter(v -> !out.misordered().containsValue(v)
        && !out.doubled().containsValue(v)).forEach(v -> breaches.add("at Paho: " + v));
    for (DeliveryLedger.Stream stream : streams(inbound)) {
      String topic = stream.topic();
      List<Integer> delivered = atStator.received(topic);
      if (!trace.deliveredInWireOrder(topic, delivered)) {
        breaches.add("Stator's client handed over " + topic + " as " + delivered
            + ", not in the order it received it: " + trace.payloads(Direction.DOWNSTREAM, topic));
      } else if (in.misordered().containsKey(topic)) {
        // the client handed over what it received in the order it came: the order came from the
        // broker (its first sending out of order, or a new message sent before the re-sending of
        // one whose first sending the network lost)
        brokerBreaches++;
      }
    }
    for (DeliveryLedger.Stream stream : streams(outbound)) {
      List<String> sentOutOfOrder = trace.clientOrderBreaches(stream.topic());
      breaches.addAll(sentOutOfOrder);
      if (sentOutOfOrder.isEmpty() && out.misordered().containsKey(stream.topic())) {
        brokerBreaches++;
      }
    }
    assertThat(breaches).as("breaches of MQTT 3.1.1's promises").isEmpty();
    return brokerBreaches;
  }

  /**
   * {@return the workload: Stator's client subscribes (again if the connection drops before the
   * SUBACK), then both sides publish every message, Paho from a thread of its own}
   */
  private static Runnable workload(StatorMqttClient client, PahoPeer paho, String inbound,
      String outbound, DeliveryLedger atStator, List<CompletableFuture<?>> handedOut,
      FaultLog log, Connections watch) {
    return () -> {
      try {
        CompletableFuture<Void> connected = client.connect();
        handedOut.add(connected);
        connected.get(PATIENCE_SECONDS, TimeUnit.SECONDS);
        subscribe(client, inbound + "/+", atStator, handedOut, log, watch);
        CompletableFuture<Void> pahoDone = CompletableFuture.runAsync(() -> {
          try {
            for (int i = 0; i < PER_TOPIC; i++) {
              for (int qos = 0; qos <= 2; qos++) {
                paho.publish(inbound + "/q" + qos, Integer.toString(i), qos);
              }
            }
          } catch (Exception e) {
            throw new IllegalStateException("Paho could not publish", e);
          }
        });
        for (int i = 0; i < PER_TOPIC; i++) {
          for (int qos = 0; qos <= 2; qos++) {
            CompletableFuture<Void> published = client.publish(outbound + "/q" + qos,
                Integer.toString(i).getBytes(StandardCharsets.US_ASCII), qos, false);
            if (qos > 0) {
              String what = outbound + "/q" + qos + " " + i;
              handedOut.add(published.whenComplete((ok, e) -> {
                if (e != null) {
                  watch.failedPublishes.add(what + ": " + e);
                }
              }));
            } else {
              handedOut.add(published.exceptionally(notConnected -> null));
            }
          }
        }
        pahoDone.get(PATIENCE_SECONDS, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      } catch (ExecutionException | TimeoutException e) {
        throw new IllegalStateException(e);
      }
    };
  }

  private static void subscribe(StatorMqttClient client, String filter, DeliveryLedger ledger,
      List<CompletableFuture<?>> handedOut, FaultLog log, Connections watch)
      throws InterruptedException, TimeoutException, ExecutionException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(PATIENCE_SECONDS);
    while (true) {
      CompletableFuture<Void> subscribed = client.subscribe(filter, 2,
          message -> {
            ledger.received(message.topic(), message.payloadAsString());
            if (++watch.delivered == watch.poisonAt) {
              watch.poisoned = true;
              throw new Poison("the subscriber throws on message " + watch.poisonAt);
            }
          });
      handedOut.add(subscribed);
      try {
        subscribed.get(PATIENCE_SECONDS, TimeUnit.SECONDS);
        return;
      } catch (ExecutionException e) {
        if (!(e.getCause() instanceof MqttClientException) || System.nanoTime() > deadline) {
          throw e;
        }
        log.add("subscribe failed (" + e.getCause().getMessage() + "); again once connected");
        CompletableFuture<Void> connected = client.connect();
        handedOut.add(connected);
        connected.get(PATIENCE_SECONDS, TimeUnit.SECONDS);
      }
    }
  }

  /**
   * Runs the workload and waits until every QoS 1 and 2 message has arrived both ways and every
   * future handed out has completed, or until the client closed on its poison.
   */
  private static void runAndAwait(StatorMqttClient client, PahoPeer paho, Runnable work,
      Connections watch, DeliveryLedger atStator, DeliveryLedger atPaho,
      List<CompletableFuture<?>> handedOut) throws Exception {
    try {
      work.run();
    } catch (IllegalStateException e) {
      if (!watch.poisoned) {
        throw e;
      }
    }
    CompletableFuture<Void> delivered = CompletableFuture.allOf(atStator.complete(),
        atPaho.complete(), CompletableFuture.allOf(handedOut.stream()
            .map(future -> future.handle((ok, e) -> null)).toArray(CompletableFuture[]::new)));
    try {
      CompletableFuture.anyOf(delivered, client.closed()).handle((done, e) -> null)
          .get(PATIENCE_SECONDS, TimeUnit.SECONDS);
    } catch (TimeoutException stillWaiting) {
      // what is missing is said below
    }
    if (watch.poisoned) {
      client.closed().get(PATIENCE_SECONDS, TimeUnit.SECONDS);
      return;
    }
    if (!delivered.isDone()) {
      throw new AssertionError("not every QoS 1 and 2 message arrived within " + PATIENCE_SECONDS
          + " s: at Stator's client " + atStator.verdict().violations() + "; at Paho "
          + atPaho.verdict().violations());
    }
    delivered.get(PATIENCE_SECONDS, TimeUnit.SECONDS);
    assertThat(paho.awaitDeliveries(TimeUnit.SECONDS.toMillis(PATIENCE_SECONDS)))
        .as("Paho's QoS 1 and 2 messages acknowledged").isTrue();
  }

  private static long checkDetections(List<Detection> detections) throws Exception {
    long slowest = 0;
    for (Detection detection : detections) {
      long millis = TimeUnit.NANOSECONDS.toMillis(
          detection.lost().get(PATIENCE_SECONDS, TimeUnit.SECONDS) - detection.firedNanos());
      assertThat(millis).as("a blackholed broker declared dead after (ms)")
          .isLessThanOrEqualTo(DETECTION_BOUND_MILLIS + DETECTION_TOLERANCE_MILLIS);
      slowest = Math.max(slowest, millis);
    }
    return slowest;
  }

  /** Disconnects, then checks that every future handed out and every lifecycle has completed. */
  private static void closeAndCheckNothingPending(StatorMqttClient client, EventLoop loop,
      List<CompletableFuture<?>> handedOut) throws Exception {
    CompletableFuture<Void> disconnected = client.disconnect();
    disconnected.get(PATIENCE_SECONDS, TimeUnit.SECONDS);
    client.closed().get(PATIENCE_SECONDS, TimeUnit.SECONDS);
    List<CompletableFuture<?>> pending = new ArrayList<>();
    for (CompletableFuture<?> future : handedOut) {
      if (!future.isDone()) {
        pending.add(future);
      }
    }
    assertThat(pending).as("futures the client handed out, still pending after it closed")
        .isEmpty();
    assertThat(client.controller().lifecycle()).as("the controller's lifecycle").isDone();
    assertThat(client.transport().lifecycle()).as("the transport's lifecycle").isDone();
    int live = CompletableFuture.supplyAsync(loop::liveMachines, loop::execute)
        .get(PATIENCE_SECONDS, TimeUnit.SECONDS);
    assertThat(live).as("machines still running on the loop after the client closed").isZero();
  }

  /**
   * Checks that each lost connection has a network cause, that the poison (if thrown) came back
   * as exactly one failure report with the transport's lifecycle failing with it, and that no
   * other failure report was made: none for the injected network faults, which are expected.
   */
  private static void checkReports(Connections watch, Reports reports, StatorMqttClient client) {
    for (Throwable cause : watch.losses) {
      boolean network = cause instanceof IOException || (cause instanceof MqttClientException
          && cause.getMessage().contains("PINGRESP"));
      if (!network) {
        fail("a lost connection with no network cause, and no report for it: " + cause);
      }
    }
    if (!watch.poisoned) {
      assertThat(reports.failures).as("failure reports in a run of network faults only")
          .isEmpty();
      assertThat(watch.failedPublishes).as("QoS 1 and 2 publishes that failed").isEmpty();
      return;
    }
    assertThat(reports.failures).as("failure reports of the one unexpected error").singleElement()
        .satisfies(failure -> assertThat(failure.cause()).isInstanceOf(Poison.class));
    CompletableFuture<?> transport = client.transport().lifecycle();
    assertThat(transport).as("the lifecycle of the transport, whose step threw")
        .isCompletedExceptionally();
    Throwable end = transport.handle((ok, e) -> e).join();
    if (end instanceof java.util.concurrent.CompletionException wrapped) {
      end = wrapped.getCause();
    }
    assertThat(end).isInstanceOf(MachineFailedException.class);
    assertThat(((MachineFailedException) end).failure().cause()).isInstanceOf(Poison.class);
  }
}
