package dev.stator.examples.mqtt;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stator.EventLoop;
import dev.stator.examples.mqtt.faults.HiveMqBroker;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.BitSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Many QoS 1 messages at once, as the throughput benchmark sends them: batches of a thousand
 * published without waiting, through HiveMQ, each message acknowledged and each delivered to
 * the subscriber at least once. What it pins down is the client's bookkeeping under volume:
 * packet identifiers wrapping past 65,535, a thousand flows in flight, no acknowledgement lost.
 */
@Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
final class MqttVolumeTest {

  static final int BATCHES = 70;
  static final int BATCH = 1000;

  @TempDir
  Path brokerData;

  @Test
  void seventyThousandQos1Messages_inBatchesOfAThousand_areEachAcknowledgedAndDelivered()
      throws Exception {
    try (HiveMqBroker broker = new HiveMqBroker(brokerData);
        EventLoop publishing = EventLoop.start("mqtt-volume-pub");
        EventLoop subscribing = EventLoop.start("mqtt-volume-sub")) {
      StatorMqttClient publisher = StatorMqttClient.create(publishing, options(broker, "pub"));
      StatorMqttClient subscriber = StatorMqttClient.create(subscribing, options(broker, "sub"));
      publisher.connect().get(30, TimeUnit.SECONDS);
      subscriber.connect().get(30, TimeUnit.SECONDS);
      BitSet seen = new BitSet(BATCHES * BATCH);
      CompletableFuture<Void> all = new CompletableFuture<>();
      subscriber.subscribe("volume", 1, message -> {
        synchronized (seen) {
          seen.set(Integer.parseInt(message.payloadAsString()));
          if (seen.cardinality() == BATCHES * BATCH) {
            all.complete(null);
          }
        }
      }).get(30, TimeUnit.SECONDS);

      for (int batch = 0; batch < BATCHES; batch++) {
        CompletableFuture<?>[] acknowledged = new CompletableFuture<?>[BATCH];
        for (int i = 0; i < BATCH; i++) {
          byte[] payload = Integer.toString(batch * BATCH + i).getBytes(StandardCharsets.US_ASCII);
          acknowledged[i] = publisher.publish("volume", payload, 1, false);
        }
        CompletableFuture.allOf(acknowledged).get(30, TimeUnit.SECONDS);
      }
      all.get(30, TimeUnit.SECONDS);

      assertThat(seen.cardinality()).isEqualTo(BATCHES * BATCH);
      publisher.disconnect().get(30, TimeUnit.SECONDS);
      subscriber.disconnect().get(30, TimeUnit.SECONDS);
    }
  }

  private static MqttClientOptions options(HiveMqBroker broker, String id) {
    return MqttClientOptions.builder("127.0.0.1", broker.address().getPort(), "volume-" + id)
        .keepAlive(Duration.ofSeconds(60)).build();
  }
}
