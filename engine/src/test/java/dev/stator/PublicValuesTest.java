package dev.stator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stator.dsl.Stator;
import dev.stator.model.Trigger;
import dev.stator.testing.TestLoop;
import java.nio.channels.SelectionKey;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The values of the public API as their javadoc states them: a snapshot has a failure exactly
 * when FAILED, names its leaf, answers {@code isIn} by name and {@code matches} by path (an
 * ancestor's path, not a prefix of a name), is terminal unless running, and prints as its path;
 * {@code IoReady} answers each readiness from its own bit; the bounds of a reset policy
 * ({@code atMost} takes zero, {@code jitter} its whole closed range); an event descriptor takes
 * the shortest {@code "x.*"} and matches the event and its dotted children, Strings only.
 */
final class PublicValuesTest {

  private static Failure aFailure() {
    MachineDefinition<Object> failing = Stator.<String, Object>machine("f")
        .initial("a")
        .state("a", s -> s.onEntry(context -> {
          throw new IllegalStateException("no");
        }))
        .build();
    Machine<Object> machine = TestLoop.create().start(failing, new Object());
    machine.lifecycle().exceptionally(failure -> null);
    return machine.state().failure();
  }

  @Test
  void aSnapshot_hasAFailureExactlyWhenFailed() {
    Failure failure = aFailure();

    assertThatThrownBy(() -> new StateSnapshot(Status.FAILED, "a", null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("a failure must be present exactly when the status is FAILED; status=FAILED");
    assertThatThrownBy(() -> new StateSnapshot(Status.RUNNING, "a", failure))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("status=RUNNING");
    assertThat(new StateSnapshot(Status.FAILED, "a", failure).failureCause()).containsSame(failure);
    assertThat(new StateSnapshot(Status.RUNNING, "a", null).failureCause()).isEmpty();
  }

  @Test
  void leaf_isTheLastNameOfTheFirstActiveLeaf() {
    assertThat(new StateSnapshot(Status.RUNNING, "on/track/playing", null).leaf())
        .isEqualTo("playing");
    assertThat(new StateSnapshot(Status.RUNNING, "top", null).leaf()).isEqualTo("top");
    assertThat(new StateSnapshot(Status.RUNNING, "", null).leaf()).isEmpty();
    assertThat(new StateSnapshot(Status.RUNNING, "r/a, r/b/c", null, List.of("r/a", "r/b/c"))
        .leaf()).isEqualTo("a");
  }

  @Test
  void isIn_asksByNameAtAnyDepth_andMatches_byPath() {
    StateSnapshot snapshot = new StateSnapshot(Status.RUNNING, "on/track/playing", null);

    assertThat(snapshot.isIn("track")).isTrue();
    assertThat(snapshot.isIn("playing")).isTrue();
    assertThat(snapshot.isIn("tra")).isFalse();
    assertThat(snapshot.isIn("off")).isFalse();
    assertThat(snapshot.matches("on/track/playing")).isTrue();
    assertThat(snapshot.matches("on/track")).isTrue();
    assertThat(snapshot.matches("on")).isTrue();
    assertThat(snapshot.matches("on/tra")).isFalse();
    assertThat(snapshot.matches("track")).isFalse();
    assertThat(snapshot.matches("on/track/playing/loud")).isFalse();
  }

  @Test
  void isTerminal_isFalseOnlyWhileRunning_andToStringIsThePathOrTheStatus() {
    Failure failure = aFailure();
    StateSnapshot running = new StateSnapshot(Status.RUNNING, "a/b", null);
    StateSnapshot stopped = new StateSnapshot(Status.STOPPED, "a/b", null);
    StateSnapshot notStarted = new StateSnapshot(Status.STOPPED, "", null);

    assertThat(running.isTerminal()).isFalse();
    assertThat(stopped.isTerminal()).isTrue();
    assertThat(new StateSnapshot(Status.COMPLETED, "z", null).isTerminal()).isTrue();
    assertThat(new StateSnapshot(Status.FAILED, "a", failure).isTerminal()).isTrue();
    assertThat(running).hasToString("a/b");
    assertThat(stopped).hasToString("STOPPED [a/b]");
    assertThat(notStarted).hasToString("STOPPED");
  }

  @Test
  void ioReady_answersEachReadinessFromItsOwnBit() {
    IoReady read = new IoReady(null, SelectionKey.OP_READ);
    IoReady write = new IoReady(null, SelectionKey.OP_WRITE);
    IoReady connect = new IoReady(null, SelectionKey.OP_CONNECT);
    IoReady accept = new IoReady(null, SelectionKey.OP_ACCEPT);

    assertThat(List.of(read.isReadable(), read.isWritable(), read.isConnectable(),
        read.isAcceptable())).containsExactly(true, false, false, false);
    assertThat(List.of(write.isReadable(), write.isWritable(), write.isConnectable(),
        write.isAcceptable())).containsExactly(false, true, false, false);
    assertThat(List.of(connect.isReadable(), connect.isWritable(), connect.isConnectable(),
        connect.isAcceptable())).containsExactly(false, false, true, false);
    assertThat(List.of(accept.isReadable(), accept.isWritable(), accept.isConnectable(),
        accept.isAcceptable())).containsExactly(false, false, false, true);
    assertThat(new IoReady(null, 0).isReadable()).isFalse();
  }

  @Test
  void aResetPolicy_takesZeroRestarts_andJitterOverItsClosedRange() {
    RecoveryPolicy.Reset<Object> reset = RecoveryPolicy.reset(Object::new);

    assertThat(reset.atMost(0, Duration.ofMinutes(1)).maxRestarts()).isZero();
    assertThatThrownBy(() -> reset.atMost(-1, Duration.ofMinutes(1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("restarts must be zero or more, not -1");
    assertThat(reset.jitter(0.0).jitterFraction()).isZero();
    assertThat(reset.jitter(1.0).jitterFraction()).isEqualTo(1.0);
    assertThatThrownBy(() -> reset.jitter(1.0001)).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("jitter must be within [0, 1], not 1.0001");
    assertThatThrownBy(() -> reset.jitter(-0.0001)).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("jitter must be within [0, 1], not -1.0E-4");
  }

  @Test
  void anEventDescriptor_takesTheShortestPrefix_andMatchesTheEventAndItsDottedChildren() {
    Trigger.OnEventMatching shortest = new Trigger.OnEventMatching("a.*");
    Trigger.OnEventMatching any = new Trigger.OnEventMatching("*");

    assertThat(shortest.matches("a")).isTrue();
    assertThat(shortest.matches("a.b")).isTrue();
    assertThat(shortest.matches("ab")).isFalse();
    assertThat(shortest.matches("b.a")).isFalse();
    assertThat(shortest.matches(new Object())).isFalse();
    assertThat(any.matches("whatever")).isTrue();
    assertThat(any.matches(42)).isFalse();
    assertThat(shortest).hasToString("on a.*");
    assertThatThrownBy(() -> new Trigger.OnEventMatching(".*"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("event descriptor \".*\"");
  }
}
