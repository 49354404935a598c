package dev.stator.internal.observe;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stator.EventLoop;
import dev.stator.LoopOptions;
import dev.stator.Machine;
import dev.stator.RecoveryPolicy;
import dev.stator.Status;
import dev.stator.dsl.Stator;
import dev.stator.testing.TestLoop;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The engine's flight-recorder events, recorded by a real in-process recording, dumped and read
 * back: each event is there with its fields, and a step is timed only while a recording asks.
 */
final class JfrEventsTest {

  private static final List<String> COLD = List.of("dev.stator.MachineStarted",
      "dev.stator.MachineEnded", "dev.stator.Fault", "dev.stator.Recovery",
      "dev.stator.DeadLetter", "dev.stator.LoopStall");

  @TempDir
  Path dir;

  /** The machines' context: they keep nothing. */
  static final class Flaky {
  }

  @Test
  void lifecycleFaultsRecoveryAndDeadLetters_areRecordedWithTheirFields() throws IOException {
    List<RecordedEvent> events;
    try (Recording recording = new Recording()) {
      COLD.forEach(recording::enable);
      recording.start();
      TestLoop loop = TestLoop.create();
      Machine<Flaky> flaky = loop.start(Stator.<String, Flaky>machine("flaky")
          .initial("IDLE")
          .state("IDLE", s -> s.on("work").goTo("WORK"))
          .state("WORK", s -> s.onEntry(f -> {
            throw new IllegalStateException("work failed");
          }))
          .recovery(RecoveryPolicy.<Flaky>reset(Flaky::new).atMost(1, Duration.ofMinutes(1)))
          .build(), "flaky-1", new Flaky());
      Machine<Flaky> done = loop.start(Stator.<String, Flaky>machine("short")
          .initial("A")
          .state("A", s -> s.on("finish").goTo("END"))
          .finalState("END")
          .build(), "short-1", new Flaky());
      flaky.send("work");
      flaky.send("work");
      flaky.send("late");
      done.send("finish");
      loop.runUntilIdle();
      assertThat(flaky.state().status()).isEqualTo(Status.FAILED);
      assertThat(done.state().status()).isEqualTo(Status.COMPLETED);
      recording.stop();
      events = read(recording);
    }

    assertThat(named(events, "dev.stator.MachineStarted"))
        .extracting(e -> e.getString("definition") + "/" + e.getString("machineId") + "@"
            + e.getString("loop"))
        .containsExactlyInAnyOrder("flaky/flaky-1@test-loop", "short/short-1@test-loop");
    assertThat(named(events, "dev.stator.Fault")).hasSize(2).allSatisfy(e -> {
      assertThat(e.getString("definition")).isEqualTo("flaky");
      assertThat(e.getString("machineId")).isEqualTo("flaky-1");
      assertThat(e.getString("phase")).isEqualTo("ENTRY");
      assertThat(e.getString("state")).isEqualTo("WORK");
      assertThat(e.getString("event")).contains("work");
      assertThat(e.getString("exceptionType")).isEqualTo("java.lang.IllegalStateException");
      assertThat(e.getString("exceptionMessage")).isEqualTo("work failed");
    }).extracting(e -> e.getInt("restartCount")).containsExactly(0, 1);
    assertThat(named(events, "dev.stator.Recovery"))
        .extracting(e -> e.getString("machineId") + " " + e.getString("verdict") + " "
            + e.getInt("restartCount") + " " + e.getString("exceptionType"))
        .containsExactly("flaky-1 RESET 1 java.lang.IllegalStateException",
            "flaky-1 EXIT 1 java.lang.IllegalStateException");
    assertThat(named(events, "dev.stator.MachineEnded"))
        .extracting(e -> e.getString("machineId") + " " + e.getString("status") + " "
            + e.getString("state") + " " + e.getString("exceptionType"))
        .containsExactlyInAnyOrder("flaky-1 FAILED WORK java.lang.IllegalStateException",
            "short-1 COMPLETED END null");
    assertThat(named(events, "dev.stator.DeadLetter")).singleElement().satisfies(e -> {
      assertThat(e.getString("loop")).isEqualTo("test-loop");
      assertThat(e.getString("machineId")).isEqualTo("flaky-1");
      assertThat(e.getString("event")).contains("late");
      assertThat(e.getString("reason")).contains("ended");
    });
    assertThat(events).allSatisfy(e ->
        assertThat(e.getEventType().getCategoryNames()).containsExactly("Stator"));
  }

  @Test
  void resetHookThatThrows_isRecordedAsResetThenExit() throws IOException {
    List<RecordedEvent> events;
    try (Recording recording = new Recording()) {
      recording.enable("dev.stator.Recovery");
      recording.start();
      TestLoop loop = TestLoop.create();
      Machine<Flaky> machine = loop.start(Stator.<String, Flaky>machine("hooked")
          .initial("A")
          .state("A", s -> s.on("boom").then(f -> {
            throw new IllegalStateException("boom");
          }).stay())
          .recovery(RecoveryPolicy.<Flaky>reset(Flaky::new).onReset((f, failure) -> {
            throw new UnsupportedOperationException("hook");
          }))
          .build(), "hooked-1", new Flaky());
      machine.send("boom");
      loop.runUntilIdle();
      assertThat(machine.state().status()).isEqualTo(Status.FAILED);
      recording.stop();
      events = read(recording);
    }

    assertThat(named(events, "dev.stator.Recovery"))
        .extracting(e -> e.getString("verdict") + " " + e.getInt("restartCount"))
        .containsExactly("RESET 1", "EXIT 0");
  }

  @Test
  void slowStep_isRecordedAboveItsThresholdOnly_andStepsAreTimedOnlyWhileRecorded()
      throws IOException {
    TestLoop loop = TestLoop.create();
    Machine<Flaky> machine = loop.start(Stator.<String, Flaky>machine("paced")
        .initial("A")
        .state("A", s -> s
            .on("quick").stay()
            .on("slow").then(f -> spin(Duration.ofMillis(30))).goTo("B"))
        .state("B")
        .build(), "paced-1", new Flaky());
    assertThat(Jfr.stepsRecorded()).as("no recording").isFalse();
    List<RecordedEvent> events;
    try (Recording recording = new Recording()) {
      recording.enable("dev.stator.SlowStep").withThreshold(Duration.ofMillis(20));
      recording.start();
      assertThat(Jfr.stepsRecorded()).as("recording slow steps").isTrue();
      machine.send("quick");
      machine.send("slow");
      loop.runUntilIdle();
      recording.stop();
      events = read(recording);
    }
    assertThat(Jfr.stepsRecorded()).as("recording stopped").isFalse();

    assertThat(named(events, "dev.stator.SlowStep")).singleElement().satisfies(e -> {
      assertThat(e.getString("definition")).isEqualTo("paced");
      assertThat(e.getString("machineId")).isEqualTo("paced-1");
      assertThat(e.getString("event")).contains("slow");
      assertThat(e.getString("fromState")).isEqualTo("A");
      assertThat(e.getString("toState")).isEqualTo("B");
      assertThat(e.getDuration()).isGreaterThanOrEqualTo(Duration.ofMillis(30));
    });
  }

  @Test
  void recordingWithoutTheSlowStepEvent_timesNoStep() {
    try (Recording recording = new Recording()) {
      COLD.forEach(recording::enable);
      recording.disable("dev.stator.SlowStep");
      recording.start();
      assertThat(Jfr.stepsRecorded()).isFalse();
    }
  }

  @Test
  void aRecordingWithDefaultSettings_timesNoStep_theSlowStepEventIsOptIn() {
    try (Recording recording = new Recording()) {
      recording.start();
      assertThat(Jfr.stepsRecorded()).isFalse();
    }
  }

  @Test
  void loopStall_isRecordedFromTheWatchdog() throws Exception {
    CountDownLatch reported = new CountDownLatch(1);
    List<RecordedEvent> events;
    try (Recording recording = new Recording()) {
      recording.enable("dev.stator.LoopStall");
      recording.start();
      try (EventLoop loop = EventLoop.start("stalling", LoopOptions.DEFAULTS
          .withWatchdog(Duration.ofMillis(100), Duration.ofMillis(20), stall -> {
            reported.countDown();
          }))) {
        Machine<Flaky> machine = loop.start(Stator.<String, Flaky>machine("stuck")
            .initial("A")
            // the callback holds the loop until the watchdog has reported it
            .state("A", s -> s.on("hold").then(f -> reported.await(10, TimeUnit.SECONDS)).stay())
            .build(), "stuck-1", new Flaky());
        machine.send("hold");
        assertThat(reported.await(10, TimeUnit.SECONDS)).isTrue();
        machine.stop().get(10, TimeUnit.SECONDS);
      }
      recording.stop();
      events = read(recording);
    }

    assertThat(named(events, "dev.stator.LoopStall")).singleElement().satisfies(e -> {
      assertThat(e.getString("loop")).isEqualTo("stalling");
      assertThat(e.getString("machineId")).isEqualTo("stuck-1");
      assertThat(e.getString("phase")).isEqualTo("ACTION");
      assertThat(e.getDuration("blockedFor")).isGreaterThanOrEqualTo(Duration.ofMillis(100));
    });
  }

  /** Burns the time the step is meant to take: the slowness under test, not a wait. */
  private static void spin(Duration duration) {
    long end = System.nanoTime() + duration.toNanos();
    while (System.nanoTime() - end < 0) {
      Thread.onSpinWait();
    }
  }

  private List<RecordedEvent> read(Recording recording) throws IOException {
    Path file = dir.resolve("stator.jfr");
    recording.dump(file);
    return RecordingFile.readAllEvents(file).stream()
        .filter(e -> e.getEventType().getName().startsWith("dev.stator."))
        .collect(Collectors.toList());
  }

  private static List<RecordedEvent> named(List<RecordedEvent> events, String name) {
    return events.stream().filter(e -> e.getEventType().getName().equals(name))
        .collect(Collectors.toList());
  }
}
