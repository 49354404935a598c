package dev.stator.examples.mqtt.faults;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The wire trace reads PUBLISH packets as the proxy passes them, and lays breaches of order. */
final class WireTraceTest {

  private final WireTrace trace = new WireTrace();

  /** {@return a whole PUBLISH packet, as it crosses the wire} */
  private static byte[] publish(String topic, String payload, int qos, boolean dup, int id) {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    byte[] name = topic.getBytes(StandardCharsets.UTF_8);
    body.write(name.length >> 8);
    body.write(name.length & 0xFF);
    body.writeBytes(name);
    if (qos > 0) {
      body.write(id >> 8);
      body.write(id & 0xFF);
    }
    body.writeBytes(payload.getBytes(StandardCharsets.UTF_8));
    ByteArrayOutputStream packet = new ByteArrayOutputStream();
    packet.write(0x30 | (dup ? 8 : 0) | qos << 1);
    packet.write(body.size());
    packet.writeBytes(body.toByteArray());
    return packet.toByteArray();
  }

  private void pass(int connection, Direction direction, byte[]... packets) {
    Framing framing = trace.framings(null).create(connection, direction);
    for (byte[] packet : packets) {
      framing.advance(packet, 0, packet.length);
    }
  }

  @Test
  void itRecordsEveryPublishPassed_withItsTopicPayloadQosAndDup_andNothingElse() {
    byte[] pingreq = {(byte) 0xC0, 0};
    pass(1, Direction.DOWNSTREAM, publish("t", "0", 1, false, 7), pingreq,
        publish("t", "1", 2, true, 8), publish("u", "0", 0, false, 0));

    assertThat(trace.payloads(Direction.DOWNSTREAM, "t")).containsExactly("0", "1");
    assertThat(trace.payloads(Direction.DOWNSTREAM, "u")).containsExactly("0");
    assertThat(trace.payloads(Direction.UPSTREAM, "t")).isEmpty();
  }

  @Test
  void theClient_breaksOrder_onlyBySendingATopicBackwardsOnOneConnection() {
    pass(1, Direction.UPSTREAM, publish("t", "0", 1, false, 1), publish("t", "1", 1, false, 2));
    pass(2, Direction.UPSTREAM, publish("t", "1", 1, true, 2), publish("t", "2", 1, false, 3));
    assertThat(trace.clientOrderBreaches("t")).isEmpty();

    pass(3, Direction.UPSTREAM, publish("t", "3", 1, false, 4), publish("t", "2", 1, true, 3));
    assertThat(trace.clientOrderBreaches("t")).containsExactly("conn#3 sent t 2 after 3");
  }

  @Test
  void theBroker_reorders_whenAMessageFirstArrivesAfterALaterOne() {
    pass(1, Direction.DOWNSTREAM, publish("t", "0", 1, false, 1), publish("t", "1", 1, false, 2),
        publish("t", "0", 1, true, 1));
    assertThat(trace.brokerReordered("t")).isFalse();

    pass(2, Direction.DOWNSTREAM, publish("t", "3", 1, false, 3), publish("t", "2", 1, false, 4));
    assertThat(trace.brokerReordered("t")).isTrue();
  }

  @Test
  void theClient_handsOverInWireOrder_whenWhatItDeliveredIsASubsequenceOfTheWire() {
    pass(1, Direction.DOWNSTREAM, publish("t", "0", 2, false, 1), publish("t", "2", 2, false, 2),
        publish("t", "1", 2, false, 3));

    assertThat(trace.deliveredInWireOrder("t", List.of(0, 2, 1))).isTrue();
    assertThat(trace.deliveredInWireOrder("t", List.of(0, 1))).isTrue();
    assertThat(trace.deliveredInWireOrder("t", List.of(0, 1, 2))).isFalse();
    assertThat(trace.deliveredInWireOrder("t", List.of(0, 3))).isFalse();
  }
}
