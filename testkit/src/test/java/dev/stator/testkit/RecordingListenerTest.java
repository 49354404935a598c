package dev.stator.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stator.Machine;
import dev.stator.MachineDefinition;
import dev.stator.RecoveryPolicy;
import dev.stator.Status;
import dev.stator.dsl.Stator;
import dev.stator.testing.TestLoop;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The recording listener keeps transitions, resets and the end, in order, until cleared. */
final class RecordingListenerTest {

  private static final MachineDefinition<Object> DOOR = Stator.<String, Object>machine("door")
      .initial("closed")
      .state("closed", s -> s.on("open").goTo("open"))
      .state("open", s -> s.on("close").goTo("closed").on("slam").then(c -> {
        throw new IllegalStateException("slammed");
      }).stay())
      .recovery(RecoveryPolicy.<Object>reset(Object::new).atMost(1, Duration.ofHours(1)))
      .build();

  @Test
  void recordsTransitionsResetsAndTheEnd_inOrder() {
    TestLoop loop = TestLoop.create();
    RecordingListener<Object> seen = new RecordingListener<>();
    Machine<Object> door = loop.start(DOOR, "door", new Object(), seen);
    seen.clear();

    door.send("open");
    door.send("close");
    door.send("open");
    door.send("slam");

    assertThat(seen.states()).startsWith("open", "closed", "open");
    assertThat(seen.events()).startsWith("open", "close", "open");
    assertThat(seen.resets()).singleElement()
        .satisfies(failure -> assertThat(failure.cause()).hasMessage("slammed"));
    assertThat(seen.end()).isEmpty();

    door.stop();
    assertThat(seen.end()).get().satisfies(last ->
        assertThat(last.status()).isEqualTo(Status.STOPPED));
  }

  @Test
  void clear_forgetsWhatWasHeard() {
    TestLoop loop = TestLoop.create();
    RecordingListener<Object> seen = new RecordingListener<>();
    Machine<Object> door = loop.start(DOOR, "door", new Object(), seen);
    door.send("open");

    seen.clear();
    door.send("close");

    assertThat(seen.states()).containsExactly("closed");
    assertThat(seen.transitions()).hasSize(1);
  }
}
