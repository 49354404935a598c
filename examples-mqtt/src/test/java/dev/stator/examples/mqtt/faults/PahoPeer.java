package dev.stator.examples.mqtt.faults;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BiConsumer;
import org.eclipse.paho.client.mqttv3.IMqttActionListener;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.IMqttToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttCallback;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

/**
 * The reference client (Eclipse Paho) as the other party of a workload, connected to the broker
 * directly with a persistent session: it survives the broker's kills by dialling again at once
 * (Paho's own automatic reconnect waits a second first) and publishes again, after the
 * reconnection, what it could not hand over while disconnected. Paho itself re-sends its
 * unacknowledged QoS 1 and 2 messages on reconnecting. Thread-safe.
 */
public final class PahoPeer implements AutoCloseable {

  private static final long PATIENCE_SECONDS = 20;

  private final MqttAsyncClient client;
  private final MqttConnectOptions options = new MqttConnectOptions();
  private final ScheduledExecutorService redial = Executors.newSingleThreadScheduledExecutor(
      runnable -> {
        Thread thread = new Thread(runnable, "paho-peer-redial");
        thread.setDaemon(true);
        return thread;
      });
  private final List<IMqttDeliveryToken> tokens = new CopyOnWriteArrayList<>();
  private final FaultLog log;
  private volatile boolean closing;
  private long generation;
  private CompletableFuture<Long> nextConnection = new CompletableFuture<>();
  private int reconnections;

  /**
   * Makes a peer, not yet connected.
   *
   * @param brokerPort the broker's port on 127.0.0.1
   * @param clientId the client id
   * @param onMessage told of each message received: its topic and its payload as text
   * @param log where reconnections are recorded
   */
  public PahoPeer(int brokerPort, String clientId, BiConsumer<String, String> onMessage,
      FaultLog log) throws MqttException {
    this.log = log;
    this.client = new MqttAsyncClient("tcp://127.0.0.1:" + brokerPort, clientId,
        new MemoryPersistence());
    options.setCleanSession(false);
    options.setAutomaticReconnect(false);
    options.setKeepAliveInterval(30);
    options.setConnectionTimeout(5);
    options.setMaxInflight(10_000);
    client.setCallback(new MqttCallback() {
      @Override
      public void connectionLost(Throwable cause) {
        log.add("paho " + clientId + " lost its connection: " + cause);
        scheduleDial(0);
      }

      @Override
      public void messageArrived(String topic, MqttMessage message) {
        onMessage.accept(topic, new String(message.getPayload(), StandardCharsets.US_ASCII));
      }

      @Override
      public void deliveryComplete(IMqttDeliveryToken token) {
      }
    });
  }

  /** Connects, waiting for the CONNACK. */
  public void connect() throws Exception {
    scheduleDial(0);
    awaitConnectionAfter(0);
  }

  /** Subscribes, waiting for the SUBACK. */
  public void subscribe(String filter, int qos) throws MqttException {
    client.subscribe(filter, qos).waitForCompletion(TimeUnit.SECONDS.toMillis(PATIENCE_SECONDS));
  }

  /**
   * Publishes, and if Paho could not take the message because the connection is down, publishes
   * it again once it is back up.
   */
  public void publish(String topic, String payload, int qos) throws Exception {
    while (true) {
      long before = generation();
      try {
        tokens.add(client.publish(topic, payload.getBytes(StandardCharsets.US_ASCII), qos, false));
        return;
      } catch (MqttException e) {
        if (closing) {
          throw e;
        }
        awaitConnectionAfter(before);
      }
    }
  }

  /** {@return whether every message published at QoS 1 or 2 was acknowledged, waiting a while} */
  public boolean awaitDeliveries(long timeoutMillis) {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
    for (IMqttDeliveryToken token : tokens) {
      long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
      try {
        token.waitForCompletion(Math.max(1, left));
      } catch (MqttException e) {
        return false;
      }
      if (!token.isComplete()) {
        return false;
      }
    }
    return true;
  }

  /** {@return how many times the peer connected again after a loss} */
  public synchronized int reconnections() {
    return reconnections;
  }

  @Override
  public void close() {
    closing = true;
    redial.shutdownNow();
    try {
      if (client.isConnected()) {
        client.disconnect().waitForCompletion(5000);
      }
    } catch (MqttException e) {
      log.add("paho disconnect: " + e);
    }
    try {
      client.close(true);
    } catch (MqttException e) {
      log.add("paho close: " + e);
    }
  }

  private synchronized long generation() {
    return generation;
  }

  private void awaitConnectionAfter(long seen)
      throws InterruptedException, ExecutionException, TimeoutException {
    while (true) {
      CompletableFuture<Long> next;
      synchronized (this) {
        if (generation > seen && client.isConnected()) {
          return;
        }
        next = nextConnection;
      }
      next.get(PATIENCE_SECONDS, TimeUnit.SECONDS);
    }
  }

  private void scheduleDial(long delayMillis) {
    if (closing) {
      return;
    }
    redial.schedule(this::dial, delayMillis, TimeUnit.MILLISECONDS);
  }

  private void dial() {
    if (closing) {
      return;
    }
    try {
      client.connect(options, null, new IMqttActionListener() {
        @Override
        public void onSuccess(IMqttToken token) {
          CompletableFuture<Long> done;
          long now;
          synchronized (PahoPeer.this) {
            now = ++generation;
            if (now > 1) {
              reconnections++;
            }
            done = nextConnection;
            nextConnection = new CompletableFuture<>();
          }
          done.complete(now);
        }

        @Override
        public void onFailure(IMqttToken token, Throwable cause) {
          scheduleDial(50);
        }
      });
    } catch (MqttException e) {
      // already connecting or connected: the callbacks of that attempt decide
      if (e.getReasonCode() != MqttException.REASON_CODE_CONNECT_IN_PROGRESS
          && e.getReasonCode() != MqttException.REASON_CODE_CLIENT_CONNECTED) {
        scheduleDial(50);
      }
    }
  }
}
