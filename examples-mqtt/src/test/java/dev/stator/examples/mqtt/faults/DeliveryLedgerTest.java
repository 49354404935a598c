package dev.stator.examples.mqtt.faults;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The ledger accepts what MQTT 3.1.1 allows at each QoS and names every breach. */
final class DeliveryLedgerTest {

  private static DeliveryLedger ledger(int qos, int count, int... arrivals) {
    DeliveryLedger ledger = new DeliveryLedger(List.of(new DeliveryLedger.Stream("t", qos, count)));
    for (int arrival : arrivals) {
      ledger.received("t", Integer.toString(arrival));
    }
    return ledger;
  }

  @Test
  void qos0_mayLoseMessages_butNeitherRepeatsNorReordersThem() {
    DeliveryLedger.Verdict lossy = ledger(0, 5, 0, 2, 4).verdict();
    assertThat(lossy.violations()).isEmpty();
    assertThat(lossy.lostAtQos0()).isEqualTo(2);
    assertThat(lossy.lost()).isEqualTo(2);

    assertThat(ledger(0, 5, 0, 1, 1).verdict().violations()).singleElement().asString()
        .contains("delivered twice");
    assertThat(ledger(0, 5, 1, 0).verdict().violations()).singleElement().asString()
        .contains("0 first arrived after 1");
  }

  @Test
  void qos1_deliversEveryMessage_maybeTwice_andARedeliveryMayFollowLaterOnes() {
    DeliveryLedger.Verdict redelivered = ledger(1, 5, 0, 1, 2, 1, 2, 3, 4).verdict();
    assertThat(redelivered.violations()).isEmpty();
    assertThat(redelivered.duplicatedAtQos1()).isEqualTo(2);
    assertThat(redelivered.lost()).isZero();

    assertThat(ledger(1, 5, 0, 1, 2, 4).verdict().violations()).singleElement().asString()
        .contains("1 of 5 never arrived: [3]");
    assertThat(ledger(1, 5, 0, 2, 1, 3, 4).verdict().violations()).singleElement().asString()
        .contains("1 first arrived after 2");
  }

  @Test
  void qos2_deliversEveryMessageExactlyOnce_inOrder() {
    assertThat(ledger(2, 3, 0, 1, 2).verdict().violations()).isEmpty();
    assertThat(ledger(2, 3, 0, 1, 1, 2).verdict().violations()).singleElement().asString()
        .contains("delivered twice");
    assertThat(ledger(2, 3, 0, 2).verdict().violations()).singleElement().asString()
        .contains("never arrived");
    assertThat(ledger(2, 3, 1, 0, 2).verdict().violations()).singleElement().asString()
        .contains("first arrived after");
  }

  @Test
  void aMessageTheWorkloadNeverPublished_isAViolation() {
    DeliveryLedger ledger = ledger(1, 2, 0, 1);
    ledger.received("t", "7");
    ledger.received("other", "0");
    ledger.received("t", "junk");
    assertThat(ledger.verdict().violations()).hasSize(3);
  }

  @Test
  void complete_waitsForEveryQos1And2Message_butNotForQos0() {
    DeliveryLedger ledger = new DeliveryLedger(List.of(new DeliveryLedger.Stream("a", 0, 2),
        new DeliveryLedger.Stream("b", 1, 2), new DeliveryLedger.Stream("c", 2, 1)));
    ledger.received("b", "0");
    ledger.received("b", "1");
    assertThat(ledger.complete()).isNotDone();
    ledger.received("c", "0");
    assertThat(ledger.complete()).isCompleted();
  }
}
