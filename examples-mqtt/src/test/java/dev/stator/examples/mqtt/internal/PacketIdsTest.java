package dev.stator.examples.mqtt.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Packet identifiers: 1 to 65535 [MQTT-2.3.1-1], none reused while in flight [MQTT-2.3.1-2]. */
class PacketIdsTest {

  @Test
  void everyIdentifierFromOneTo65535IsHandedOutOnceWhileInFlight() {
    PacketIds ids = new PacketIds();
    Set<Integer> taken = new HashSet<>();
    for (int i = 0; i < 65_535; i++) {
      int id = ids.take();
      assertThat(id).isBetween(1, 65_535);
      assertThat(taken.add(id)).as("identifier %d handed out twice", id).isTrue();
    }
    assertThatThrownBy(ids::take).isInstanceOf(IllegalStateException.class)
        .hasMessage("all 65535 packet identifiers are in flight");
  }

  @Test
  void aReleasedIdentifierComesBackOnlyAfterTheOthersInRotation() {
    PacketIds ids = new PacketIds();
    int first = ids.take();
    int second = ids.take();
    ids.release(first);

    assertThat(ids.take()).isEqualTo(second + 1);
    assertThat(ids.inUse(first)).isFalse();
    assertThat(ids.count()).isEqualTo(2);
  }

  @Test
  void aReservedIdentifierOfARestoredFlowIsSkipped() {
    PacketIds ids = new PacketIds();
    ids.reserve(1);
    ids.reserve(2);

    assertThat(ids.take()).isEqualTo(3);
  }

  @Test
  void afterTheLastIdentifierTheRotationStartsAgainAtOne() {
    PacketIds ids = new PacketIds();
    for (int i = 0; i < 65_535; i++) {
      ids.take();
    }
    ids.release(5);
    ids.release(65_535);

    assertThat(ids.take()).isEqualTo(5);
    assertThat(ids.take()).isEqualTo(65_535);
  }
}
