package dev.stator.examples.mqtt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Bad options and arguments are refused with the option's name and what was expected. */
class MqttClientOptionsTest {

  @Test
  void optionsOutOfRangeAreRefusedNamingTheOptionAndWhatWasExpected() {
    assertThatThrownBy(() -> MqttClientOptions.builder("localhost", 0, "c").build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("MqttClientOptions.port: expected 1 to 65535, not 0");
    assertThatThrownBy(() -> MqttClientOptions.builder("localhost", 1883, "c")
        .keepAlive(Duration.ofMillis(1500)).build())
        .hasMessage("MqttClientOptions.keepAlive: expected whole seconds from 1 s to 65535 s, not"
            + " PT1.5S");
    assertThatThrownBy(() -> MqttClientOptions.builder("localhost", 1883, "").build())
        .hasMessage("MqttClientOptions.clientId: expected 1 to 65535 bytes of UTF-8, not \"\"");
    assertThatThrownBy(() -> MqttClientOptions.builder("localhost", 1883, "c")
        .backoff(Duration.ofSeconds(2), Duration.ofSeconds(1)).build())
        .hasMessage("MqttClientOptions.maxBackoff: expected at least minBackoff (PT2S), not PT1S");
    assertThatThrownBy(() -> MqttClientOptions.builder(" ", 1883, "c").build())
        .hasMessage("MqttClientOptions.host: expected a host name, not blank");
  }

  @Test
  void theDefaultsAreACleanSessionAOneMinuteKeepaliveAndNoStore() {
    MqttClientOptions options = MqttClientOptions.builder("localhost", 1883, "c").build();

    assertThat(options.cleanSession()).isTrue();
    assertThat(options.keepAlive()).isEqualTo(Duration.ofSeconds(60));
    assertThat(options.durableStore()).isEmpty();
    assertThat(options.password()).isNull();
  }

  @Test
  void thePasswordIsCopiedInAndOut() {
    MqttClientOptions options = MqttClientOptions.builder("localhost", 1883, "c")
        .credentials("alice", "s3cret").build();

    options.password()[0] = 'X';

    assertThat(new String(options.password(), java.nio.charset.StandardCharsets.UTF_8))
        .isEqualTo("s3cret");
  }

  @Test
  void aQosOutsideZeroToTwoIsRefusedBeforeAnythingIsSent() throws Exception {
    try (dev.stator.EventLoop loop = dev.stator.EventLoop.start("mqtt-options")) {
      StatorMqttClient client = StatorMqttClient.create(loop,
          MqttClientOptions.builder("127.0.0.1", 1883, "never-connected").build());

      assertThatThrownBy(() -> client.publish("a/b", new byte[0], 3, false))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("qos: expected 0, 1 or 2, not 3");
      assertThatThrownBy(() -> client.subscribe("a/#", -1, message -> { }))
          .hasMessage("qos: expected 0, 1 or 2, not -1");
      client.disconnect().get(5, java.util.concurrent.TimeUnit.SECONDS);
    }
  }
}
