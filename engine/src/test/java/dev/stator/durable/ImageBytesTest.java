package dev.stator.durable;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stator.Phase;
import dev.stator.Status;
import dev.stator.TraceEntry;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The binary form of an image reads back as the same image, and damaged, altered, truncated or
 * foreign bytes are refused with a message saying what is wrong.
 */
final class ImageBytesTest {

  private static final Instant T = Instant.parse("2026-12-06T10:00:00Z");

  static MachineImage everyField() {
    return new MachineImage("order", 0x1234_5678_9abc_def0L, "order-7", Status.FAILED,
        List.of(), Map.of("on/resume", List.of("on/track/paused", "on/volume/muted")),
        "ctx ✓".getBytes(StandardCharsets.UTF_8),
        List.of(new MachineImage.PendingTimer(MachineImage.TimerKind.RESTART, null, 0, null, null,
            T.plusSeconds(10), Duration.ofSeconds(10))),
        List.of(new MachineImage.InFlightCall("dialing", "dial", T)),
        2, List.of(new MachineImage.RestartMark(0, 0, T.minusSeconds(5)),
            new MachineImage.RestartMark(1, 2, T)),
        new MachineImage.FailureRecord("order-7", "idle", "", "break", Phase.ACTION, null,
            "java.lang.IllegalStateException", null, T, 1, 3,
            List.of(new TraceEntry(5L, "START", "(start)", "idle"))),
        42, T);
  }

  @Test
  void anImage_readsBackFromItsBytes_asTheSameImage() {
    MachineImage image = everyField();

    assertThat(MachineImage.fromBytes(image.toBytes())).isEqualTo(image);
  }

  @Test
  void aRunningImageWithTimersOfEveryKind_readsBack() {
    MachineImage image = new MachineImage("order", 1, "o", Status.RUNNING, List.of("PAID"),
        Map.of(), new byte[0], List.of(
            new MachineImage.PendingTimer(MachineImage.TimerKind.STATE_TIMEOUT, "PAID", 1, null,
                null, T, Duration.ofMinutes(30)),
            new MachineImage.PendingTimer(MachineImage.TimerKind.ACTION, null, 0, "NOW",
                "dev.example.Tick", T, Duration.ZERO)),
        List.of(), 0, List.of(), null, 1, T);

    assertThat(MachineImage.fromBytes(image.toBytes())).isEqualTo(image);
  }

  @Test
  void anyAlteredByte_isRefused() {
    byte[] bytes = everyField().toBytes();
    for (int i = 0; i < bytes.length; i++) {
      byte[] altered = bytes.clone();
      altered[i] ^= 0x20;
      assertThatThrownBy(() -> MachineImage.fromBytes(altered))
          .as("byte %d altered", i)
          .isInstanceOf(ImageRefusedException.class)
          .hasMessageStartingWith("bytes refused as a machine image: ");
    }
  }

  @Test
  void alteredContent_withItsChecksumRecomputed_isStillCheckedFieldByField() {
    byte[] bytes = everyField().toBytes();
    // a count of a billion items where a small one was: refused before any allocation
    int countAt = 8 + 4 + "order".length() + 8 + 4 + "order-7".length() + 4 + "FAILED".length();
    ByteBuffer.wrap(bytes).putInt(countAt, 1_000_000_000);
    byte[] resealed = reseal(bytes);

    assertThatThrownBy(() -> MachineImage.fromBytes(resealed))
        .isInstanceOf(ImageRefusedException.class)
        .hasMessageContaining("a count of 1000000000 at byte " + countAt + " does not fit");
  }

  private static byte[] reseal(byte[] bytes) {
    java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
    crc.update(bytes, 0, bytes.length - 4);
    ByteBuffer.wrap(bytes).putInt(bytes.length - 4, (int) crc.getValue());
    return bytes;
  }

  @Test
  void truncatedBytes_areRefused_atEveryLength() {
    byte[] bytes = everyField().toBytes();
    for (int length = 0; length < bytes.length; length++) {
      byte[] cut = Arrays.copyOf(bytes, length);
      assertThatThrownBy(() -> MachineImage.fromBytes(cut))
          .as("cut to %d bytes", length)
          .isInstanceOf(ImageRefusedException.class);
    }
  }

  @Test
  void anotherFormatVersion_isRefused_namingBothVersions() {
    byte[] bytes = everyField().toBytes();
    ByteBuffer.wrap(bytes).putInt(4, 2);

    assertThatThrownBy(() -> MachineImage.fromBytes(bytes))
        .isInstanceOf(ImageRefusedException.class)
        .hasMessageContaining("it is of format version 2; this engine reads version 1");
  }

  @Test
  void bytesThatAreNoImage_areRefused() {
    assertThatThrownBy(() -> MachineImage.fromBytes("{\"id\":\"order\"}".getBytes(
        StandardCharsets.UTF_8)))
        .isInstanceOf(ImageRefusedException.class)
        .hasMessageContaining("does not start with the magic STIM");
  }

  @Test
  void theContextBytes_areCopiedInAndOut() {
    byte[] context = {1, 2, 3};
    MachineImage image = new MachineImage("d", 1, "m", Status.STOPPED, List.of(), Map.of(),
        context, List.of(), List.of(), 0, List.of(), null, 0, T);
    context[0] = 9;
    image.context()[1] = 9;

    assertThat(image.context()).containsExactly(1, 2, 3);
  }
}
