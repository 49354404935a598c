package dev.stator.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.stator.ChildTerminated;
import dev.stator.DeadLetter;
import dev.stator.LoopOptions;
import dev.stator.Machine;
import dev.stator.MachineDefinition;
import dev.stator.MachineFailedException;
import dev.stator.Status;
import dev.stator.dsl.Stator;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A test loop needs no seed when the test does not care, and {@link TestLoop#checkFailures()}
 * can end a supervision test: a child's failure the parent handled is not thrown, one it did not
 * handle is thrown as the parent's own failure.
 */
final class TestLoopSeedAndChildFailuresTest {

  private static final MachineDefinition<Object> CHILD = Stator.<String, Object>machine("child")
      .initial("up")
      .state("up", s -> s.on("break").then(c -> {
        throw new IllegalStateException("the child breaks");
      }).stay())
      .build();

  /** Holds the child started at the parent's entry, for the test to break it. */
  static final class Parent {
    Machine<Object> child;
  }

  private static MachineDefinition<Parent> parent(boolean handlesChildEnds) {
    return Stator.<String, Parent>machine("parent")
        .initial("watching")
        .state("watching", s -> {
          s.onEntry((parent, step) -> parent.child = step.startChild(CHILD, new Object()));
          if (handlesChildEnds) {
            s.on(ChildTerminated.class).goTo("alone");
          }
        })
        .state("alone")
        .build();
  }

  @Test
  void create_withOptionsOnly_usesThem() {
    List<DeadLetter> letters = new ArrayList<>();
    TestLoop loop = TestLoop.create(LoopOptions.DEFAULTS.withDeadLetterHandler(letters::add));
    Machine<Object> machine = loop.start(CHILD, new Object());
    machine.stop();

    assertThat(machine.send("late")).isFalse();

    assertThat(letters).extracting(DeadLetter::event).containsExactly("late");
  }

  @Test
  void create_withOptionsOnly_isTheLoopOfSeedZero() {
    // restart jitter is the seed's only use: two loops with the same seed back off alike
    MachineDefinition<Object> flaky = Stator.<String, Object>machine("flaky")
        .initial("up")
        .state("up", s -> s.on("break").then(c -> {
          throw new IllegalStateException("breaks");
        }).stay())
        .recovery(dev.stator.RecoveryPolicy.<Object>reset(Object::new)
            .backoff(java.time.Duration.ofMillis(100), java.time.Duration.ofSeconds(10))
            .jitter(0.5))
        .build();
    TestLoop unseeded = TestLoop.create(LoopOptions.DEFAULTS);
    TestLoop seeded = TestLoop.create(LoopOptions.DEFAULTS, 0L);
    Machine<Object> first = unseeded.start(flaky, new Object());
    Machine<Object> second = seeded.start(flaky, new Object());
    first.send("break");
    second.send("break");

    assertThat(unseeded.pendingTimers()).isEqualTo(seeded.pendingTimers()).isPositive();
    java.time.Duration restartedAfter = timeToRestart(unseeded, first);
    assertThat(timeToRestart(seeded, second)).isEqualTo(restartedAfter);
  }

  private static java.time.Duration timeToRestart(TestLoop loop, Machine<Object> machine) {
    while (machine.state().status() != Status.RUNNING) {
      loop.advance(java.time.Duration.ofMillis(1));
    }
    return loop.elapsed();
  }

  @Test
  void checkFailures_aChildFailureTheParentHandled_isNotThrown() {
    TestLoop loop = TestLoop.create();
    Parent context = new Parent();
    Machine<Parent> parent = loop.start(parent(true), context);

    context.child.send("break");

    assertThat(parent.state().path()).isEqualTo("alone");
    assertThat(loop.failures()).hasSize(1);
    loop.checkFailures();
  }

  @Test
  void checkFailures_aChildFailureTheParentDidNotHandle_isThrownAsTheParentsFailure() {
    TestLoop loop = TestLoop.create();
    Parent context = new Parent();
    Machine<Parent> parent = loop.start(parent(false), context);
    String childId = context.child.id();

    context.child.send("break");

    assertThat(parent.state().status()).isEqualTo(Status.FAILED);
    MachineFailedException thrown =
        catchThrowableOfType(MachineFailedException.class, loop::checkFailures);
    assertThat(thrown.failure().machineId()).isEqualTo(parent.id());
    assertThat(thrown.failure().cause()).isInstanceOf(MachineFailedException.class);
    assertThat(((MachineFailedException) thrown.failure().cause()).failure().machineId())
        .isEqualTo(childId);
    loop.checkFailures();
  }

  @Test
  void checkFailures_aMachineThatFailsAsItStarts_isThrown() {
    TestLoop loop = TestLoop.create();
    MachineDefinition<Object> broken = Stator.<String, Object>machine("broken")
        .initial("up")
        .state("up", s -> s.onEntry(c -> {
          throw new IllegalStateException("no start");
        }))
        .build();
    loop.start(broken, new Object());

    assertThatThrownBy(loop::checkFailures).isInstanceOf(MachineFailedException.class)
        .hasMessageContaining("no start");
  }
}
