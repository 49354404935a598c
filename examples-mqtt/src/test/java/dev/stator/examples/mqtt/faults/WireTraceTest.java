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

  private static byte[] pubrec(int id) {
    return new byte[] {0x50, 2, (byte) (id >> 8), (byte) id};
  }

  @Test
  void theClient_resendingAQos2PublishNotYetReceived_underItsOwnId_causesNoDuplicate() {
    pass(1, Direction.UPSTREAM, publish("t", "0", 2, false, 3), publish("t", "1", 2, false, 5));
    pass(1, Direction.DOWNSTREAM, pubrec(3));
    pass(2, Direction.UPSTREAM, publish("t", "1", 2, true, 5));
    // identifier 3 free again (after its PUBCOMP) and taken by a new message
    pass(2, Direction.UPSTREAM, publish("t", "2", 2, false, 3));

    assertThat(trace.clientQos2DuplicateCauses("t")).isEmpty();
  }

  @Test
  void theClient_causesAQos2Duplicate_byResendingAfterThePubrec_orUnderANewId() {
    pass(1, Direction.UPSTREAM, publish("t", "0", 2, false, 3), publish("t", "1", 2, false, 5));
    pass(1, Direction.DOWNSTREAM, pubrec(3));
    pass(2, Direction.UPSTREAM, publish("t", "0", 2, true, 3), publish("t", "1", 2, true, 7));

    assertThat(trace.clientQos2DuplicateCauses("t")).containsExactly(
        "conn#2 sent t 0 (id 3) again after the broker's PUBREC for it",
        "conn#2 sent t 1 under id 7, sent before under id 5");
  }

  private static byte[] pubrel(int id) {
    return new byte[] {0x62, 2, (byte) (id >> 8), (byte) id};
  }

  @Test
  void theClient_handsOverAQos2MessageOncePerFlow_theBrokerStartingANewFlowForAResend() {
    pass(1, Direction.DOWNSTREAM, publish("t", "0", 2, false, 2), publish("t", "1", 2, false, 4),
        publish("t", "2", 2, false, 6));
    // a DUP of a flow still open, then the PUBREL that ends flow 2 and a resend as a new flow
    pass(2, Direction.DOWNSTREAM, publish("t", "1", 2, true, 4), pubrel(2),
        publish("t", "0", 2, true, 2), publish("t", "2", 2, false, 8));

    assertThat(trace.clientQos2HandOverBreaches("t", List.of(0, 1, 2, 0, 2))).isEmpty();
    assertThat(trace.clientQos2HandOverBreaches("t", List.of(0, 1, 2, 1))).containsExactly(
        "Stator's client handed over t 1 2 times; the broker started 1 flow(s) for it");
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
