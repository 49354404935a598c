package dev.stator.examples.kv;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The protocol demo under a flight recording: the engine's events are in the file, with the
 * client's start, its two faults, the policy's reset and then its shutdown, its end, and its steps
 * (the slow-step threshold set to zero, so every step is one). Stalls and dead letters, which the
 * demo does not cause, are recorded in the engine's own JfrEventsTest.
 */
final class ProtocolDemoRecordingTest {

  @TempDir
  Path dir;

  @Test
  void demo_recordsEachOfItsEventTypes() throws Exception {
    Path file = dir.resolve("demo.jfr");
    try (Recording recording = new Recording()) {
      for (String name : List.of("MachineStarted", "MachineEnded", "Fault", "Recovery",
          "DeadLetter", "LoopStall")) {
        recording.enable("dev.stator." + name);
      }
      recording.enable("dev.stator.SlowStep").withThreshold(Duration.ZERO);
      recording.start();
      ProtocolDemo.main(new String[0]);
      recording.stop();
      recording.dump(file);
    }
    List<RecordedEvent> client = RecordingFile.readAllEvents(file).stream()
        .filter(e -> e.getEventType().getName().startsWith("dev.stator."))
        .filter(e -> "client-1".equals(e.getString("machineId")))
        .collect(Collectors.toList());

    assertThat(client).extracting(e -> e.getEventType().getName()).contains(
        "dev.stator.MachineStarted", "dev.stator.SlowStep", "dev.stator.Fault",
        "dev.stator.Recovery", "dev.stator.MachineEnded");
    assertThat(client).filteredOn(e -> e.getEventType().getName().equals("dev.stator.Recovery"))
        .extracting(e -> e.getString("verdict") + " " + e.getInt("restartCount"))
        .containsExactly("RESET 1", "SHUTDOWN 1");
    assertThat(client).filteredOn(e -> e.getEventType().getName().equals("dev.stator.Fault"))
        .hasSize(2).allSatisfy(e -> assertThat(e.getString("definition")).isEqualTo("kv-client"));
    assertThat(client).filteredOn(e -> e.getEventType().getName().equals("dev.stator.MachineEnded"))
        .singleElement().satisfies(e -> assertThat(e.getString("status")).isEqualTo("FAILED"));
  }
}
