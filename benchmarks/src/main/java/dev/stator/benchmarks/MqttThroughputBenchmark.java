package dev.stator.benchmarks;

import dev.stator.EventLoop;
import dev.stator.examples.mqtt.MqttClientOptions;
import dev.stator.examples.mqtt.StatorMqttClient;
import dev.stator.examples.mqtt.faults.HiveMqBroker;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttCallback;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * MQTT messages per second through Stator's client ({@code examples-mqtt}) beside Eclipse Paho's
 * ({@code org.eclipse.paho.client.mqttv3} 1.2.5, its asynchronous client), at QoS 0 and QoS 1,
 * through the same broker: HiveMQ Community Edition 2025.5, embedded in the benchmark's JVM on a
 * loopback port, its files in a temporary directory, its queue per client raised from 1,000 to
 * 100,000 messages (with the default, a subscriber's QoS 1 messages beyond its in-flight window
 * and the queue were dropped, for both libraries). (Moquette 0.17, the first choice, left some
 * QoS 1 PUBLISHes of a batch unacknowledged, and the invocation then waited out its patience.)
 *
 * <p><b>What one operation is.</b> Each library has a publisher and a subscriber of its own, two
 * clients connected to the broker, the subscriber subscribed at QoS 1 to the topic the publisher
 * publishes on. An invocation publishes a batch of {@value #BATCH} messages of 16 bytes at the
 * benchmark's QoS, at once (the publisher does not wait between them), and ends:
 * <ul>
 *   <li>at QoS 1, when the subscriber has received all of them and the publisher has every PUBACK
 *       (Stator: every publish future completed; Paho: every delivery token complete);
 *   <li>at QoS 0, which the broker may drop (a broker may drop QoS 0 messages for a subscriber
 *       whose connection cannot take more), when the subscriber has received a fence: one QoS 1 message
 *       published after the batch on the same topic. Everything the broker forwarded of the batch
 *       came before it; the share of the batch that arrived is printed at the end of each trial.
 * </ul>
 * The score is messages per second ({@code @OperationsPerInvocation}, the fence not counted): one
 * message's whole trip, publisher to broker to subscriber, with the batch keeping up to
 * {@value #BATCH} messages in flight. The broker's work is in every figure and is the same for
 * both.
 *
 * <p><b>How each is set up.</b> Stator: each client on an {@link EventLoop} of its own (two loop
 * threads), keepalive 60 s, clean session. Paho: {@link MqttAsyncClient} with
 * {@link MemoryPersistence}, keepalive 60 s, clean session, max in-flight {@value #BATCH} (Paho
 * refuses a publish beyond its in-flight limit, 10 by default), its own threads. The broker's
 * threads and both clients' share the machine's cores.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@State(Scope.Benchmark)
public class MqttThroughputBenchmark {

  /** Messages per invocation. */
  static final int BATCH = 1000;
  static final long PATIENCE_SECONDS = 30;
  static final byte[] PAYLOAD = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
  static final byte[] FENCE = "fence".getBytes(StandardCharsets.US_ASCII);

  /** The QoS of every message and of both subscriptions. */
  @Param({"0", "1"})
  public int qos;

  private HiveMqBroker broker;
  private int port;
  private EventLoop publisherLoop;
  private EventLoop subscriberLoop;
  private StatorMqttClient statorPublisher;
  private StatorMqttClient statorSubscriber;
  private MqttAsyncClient pahoPublisher;
  private MqttAsyncClient pahoSubscriber;
  private volatile CountDownLatch received = new CountDownLatch(0);
  private volatile CompletableFuture<Void> fence = new CompletableFuture<>();
  private final AtomicLong arrived = new AtomicLong();
  private long published;

  @Setup(Level.Trial)
  public void start() throws Exception {
    // the broker of the fault runs: its configuration holds a subscriber's queue of 100,000
    broker = new HiveMqBroker(java.nio.file.Files.createTempDirectory("mqtt-bench-broker"));
    port = broker.address().getPort();

    publisherLoop = EventLoop.start("mqtt-bench-publisher");
    subscriberLoop = EventLoop.start("mqtt-bench-subscriber");
    statorPublisher = StatorMqttClient.create(publisherLoop, statorOptions("stator-pub"));
    statorSubscriber = StatorMqttClient.create(subscriberLoop, statorOptions("stator-sub"));
    statorPublisher.connect().get(PATIENCE_SECONDS, TimeUnit.SECONDS);
    statorSubscriber.connect().get(PATIENCE_SECONDS, TimeUnit.SECONDS);
    statorSubscriber.subscribe("bench/stator", 1, message -> arrived(message.payload()))
        .get(PATIENCE_SECONDS, TimeUnit.SECONDS);

    pahoPublisher = paho("paho-pub");
    pahoSubscriber = paho("paho-sub");
    pahoSubscriber.setCallback(new MqttCallback() {
      @Override
      public void connectionLost(Throwable cause) {
      }

      @Override
      public void messageArrived(String topic, MqttMessage message) {
        arrived(message.getPayload());
      }

      @Override
      public void deliveryComplete(IMqttDeliveryToken token) {
      }
    });
    pahoSubscriber.subscribe("bench/paho", 1)
        .waitForCompletion(TimeUnit.SECONDS.toMillis(PATIENCE_SECONDS));
  }

  @TearDown(Level.Trial)
  public void stop() throws Exception {
    if (qos == 0) {
      System.out.printf("%nQoS 0 messages that arrived: %d of %d (%.2f %%)%n", arrived.get(),
          published, 100.0 * arrived.get() / Math.max(1, published));
    }
    statorPublisher.disconnect().get(PATIENCE_SECONDS, TimeUnit.SECONDS);
    statorSubscriber.disconnect().get(PATIENCE_SECONDS, TimeUnit.SECONDS);
    publisherLoop.close();
    subscriberLoop.close();
    for (MqttAsyncClient client : new MqttAsyncClient[] {pahoPublisher, pahoSubscriber}) {
      client.disconnect().waitForCompletion(TimeUnit.SECONDS.toMillis(PATIENCE_SECONDS));
      client.close();
    }
    broker.close();
  }

  /** A batch through Stator's client. */
  @Benchmark
  @OperationsPerInvocation(BATCH)
  public void stator() throws Exception {
    CountDownLatch latch = new CountDownLatch(BATCH);
    CompletableFuture<Void> fenced = new CompletableFuture<>();
    received = latch;
    fence = fenced;
    CompletableFuture<?>[] sent = new CompletableFuture<?>[BATCH];
    for (int i = 0; i < BATCH; i++) {
      sent[i] = statorPublisher.publish("bench/stator", PAYLOAD, qos, false);
    }
    published += BATCH;
    CompletableFuture.allOf(sent).get(PATIENCE_SECONDS, TimeUnit.SECONDS);
    if (qos == 0) {
      statorPublisher.publish("bench/stator", FENCE, 1, false);
      fenced.get(PATIENCE_SECONDS, TimeUnit.SECONDS);
    } else {
      await(latch);
    }
  }

  /** A batch through Paho's client. */
  @Benchmark
  @OperationsPerInvocation(BATCH)
  public void paho() throws Exception {
    CountDownLatch latch = new CountDownLatch(BATCH);
    CompletableFuture<Void> fenced = new CompletableFuture<>();
    received = latch;
    fence = fenced;
    IMqttDeliveryToken[] tokens = new IMqttDeliveryToken[BATCH];
    for (int i = 0; i < BATCH; i++) {
      tokens[i] = pahoPublisher.publish("bench/paho", PAYLOAD, qos, false);
    }
    published += BATCH;
    for (IMqttDeliveryToken token : tokens) {
      token.waitForCompletion(TimeUnit.SECONDS.toMillis(PATIENCE_SECONDS));
    }
    if (qos == 0) {
      pahoPublisher.publish("bench/paho", FENCE, 1, false);
      fenced.get(PATIENCE_SECONDS, TimeUnit.SECONDS);
    } else {
      await(latch);
    }
  }

  private void arrived(byte[] payload) {
    if (java.util.Arrays.equals(payload, FENCE)) {
      fence.complete(null);
    } else {
      arrived.incrementAndGet();
      received.countDown();
    }
  }

  private static void await(CountDownLatch latch) throws InterruptedException, TimeoutException {
    if (!latch.await(PATIENCE_SECONDS, TimeUnit.SECONDS)) {
      throw new TimeoutException(latch.getCount() + " of " + BATCH + " messages never arrived");
    }
  }

  private MqttClientOptions statorOptions(String clientId) {
    return MqttClientOptions.builder("127.0.0.1", port, clientId)
        .keepAlive(Duration.ofSeconds(60))
        .build();
  }

  private MqttAsyncClient paho(String clientId) throws MqttException {
    MqttAsyncClient client = new MqttAsyncClient("tcp://127.0.0.1:" + port, clientId,
        new MemoryPersistence());
    MqttConnectOptions options = new MqttConnectOptions();
    options.setCleanSession(true);
    options.setKeepAliveInterval(60);
    options.setMaxInflight(BATCH);
    client.connect(options).waitForCompletion(TimeUnit.SECONDS.toMillis(PATIENCE_SECONDS));
    return client;
  }
}
