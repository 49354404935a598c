package dev.stator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stator.dsl.Stator;
import dev.stator.testing.TestLoop;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A listener for one kind of notification is one lambda: each factory hears only its kind. */
final class MachineListenerFactoriesTest {

  private static final MachineDefinition<Object> FLAKY = Stator.<String, Object>machine("flaky")
      .initial("a")
      .state("a", s -> s
          .on("go").goTo("b")
          .on("break").then(c -> {
            throw new IllegalStateException("breaks");
          }).stay())
      .state("b", s -> s.on("go").goTo("a").on("break").then(c -> {
        throw new IllegalStateException("breaks");
      }).stay())
      .recovery(RecoveryPolicy.<Object>reset(Object::new).atMost(1, java.time.Duration.ofHours(1)))
      .build();

  @Test
  void onEachTransition_hearsTransitionsOnly() {
    TestLoop loop = TestLoop.create();
    List<Transition> transitions = new ArrayList<>();
    Machine<Object> machine = loop.start(FLAKY, new Object());
    machine.addListener(MachineListener.onEachTransition(transitions::add));

    machine.send("go");
    machine.send("go");
    machine.stop();

    assertThat(transitions).extracting(Transition::to).containsExactly("b", "a");
  }

  @Test
  void onEachReset_hearsEachResetWithItsFault() {
    TestLoop loop = TestLoop.create();
    List<Failure> resets = new ArrayList<>();
    Machine<Object> machine = loop.start(FLAKY, new Object());
    machine.addListener(MachineListener.onEachReset(resets::add));

    machine.send("go");
    machine.send("break");

    assertThat(resets).singleElement().satisfies(failure -> {
      assertThat(failure.state()).isEqualTo("b");
      assertThat(failure.cause()).hasMessage("breaks");
    });
  }

  @Test
  void onEnd_hearsTheLastSnapshotOnce_andObservesTheFailure() {
    List<Failure> unobserved = new ArrayList<>();
    TestLoop loop = TestLoop.create(LoopOptions.DEFAULTS
        .withUnobservedFailureHandler(unobserved::add));
    List<StateSnapshot> ends = new ArrayList<>();
    Machine<Object> machine = loop.start(FLAKY, new Object());
    machine.addListener(MachineListener.onEnd(ends::add));

    machine.send("break");
    machine.send("break");

    assertThat(ends).singleElement().satisfies(last -> {
      assertThat(last.status()).isEqualTo(Status.FAILED);
      assertThat(last.failure().restartCount()).isEqualTo(1);
    });
    assertThat(unobserved).isEmpty();
  }
}
