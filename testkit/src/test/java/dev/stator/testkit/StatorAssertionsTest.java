package dev.stator.testkit;

import static dev.stator.Phase.ENTRY;
import static dev.stator.testkit.StatorAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stator.Failure;
import dev.stator.Machine;
import dev.stator.MachineDefinition;
import dev.stator.Phase;
import dev.stator.RecoveryPolicy;
import dev.stator.UnhandledEventPolicy;
import dev.stator.dsl.Stator;
import dev.stator.model.MachineSpec;
import dev.stator.model.StateSpec;
import dev.stator.model.TransitionSpec;
import dev.stator.model.Trigger;
import dev.stator.testing.FaultPlan;
import dev.stator.testing.TestLoop;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The domain assertions pass on what the machine or report says, and fail saying what it was. */
final class StatorAssertionsTest {

  private static final MachineDefinition<Object> PLAYER = Stator.<String, Object>machine("player")
      .initial("off")
      .state("off", s -> s.on("power").goTo("active"))
      .state("active", s -> s.initial("stopped")
          .state("stopped", x -> x.on("play").goTo("playing"))
          .state("playing", x -> x.onEntry(c -> { }).on("stop").goTo("stopped")))
      .build();

  private static StateSpec<Object> state(String name, List<String> tags,
      List<TransitionSpec<Object>> transitions) {
    return new StateSpec<>(name, null, StateSpec.Type.NORMAL, null, List.of(), List.of(),
        List.of(), transitions, List.of(), null, null, tags);
  }

  private static final MachineDefinition<Object> TAGGED = MachineDefinition.compile(
      new MachineSpec<>("tagged", "idle", List.of(
          state("idle", List.of(), List.of(new TransitionSpec<>(new Trigger.OnEvent("go"), null,
              "working", false, List.of()))),
          state("working", List.of("busy"), List.of())),
          UnhandledEventPolicy.IGNORE, RecoveryPolicy.exit()));

  @Test
  void isIn_passesForAnActiveStateOrAncestor_andFailsNamingTheActiveStates() {
    TestLoop loop = TestLoop.create();
    Machine<Object> machine = loop.start(PLAYER, "p", new Object());
    machine.send("power");
    machine.send("play");

    assertThat(machine).isRunning().isIn("active/playing").isIn("active").isNotIn("off");
    assertThatThrownBy(() -> assertThat(machine).isIn("active/stopped"))
        .isInstanceOf(AssertionError.class)
        .hasMessage("Expecting machine 'p' to be in state active/stopped, but its active states"
            + " were [active/playing] (RUNNING)");
  }

  @Test
  void hasTag_readsTheTagsOfTheActiveStates() {
    TestLoop loop = TestLoop.create();
    Machine<Object> machine = loop.start(TAGGED, "t", new Object());

    assertThatThrownBy(() -> assertThat(machine).hasTag("busy"))
        .isInstanceOf(AssertionError.class).hasMessageContaining("to have tag busy");
    machine.send("go");
    assertThat(machine).isIn("working").hasTag("busy");
  }

  @Test
  void failure_readsLikeTheDomain() {
    TestLoop loop = TestLoop.create().injecting(FaultPlan.builder()
        .entry("active/playing").throwing().build());
    Machine<Object> machine = loop.start(PLAYER, "p", new Object());
    machine.send("power");
    machine.send("play");

    Failure failure = machine.state().failure();
    assertThat(failure).happenedIn(ENTRY).ofState("active/playing").ofMachine("p").wasInjected();
    assertThat(machine).hasFailed().failure().happenedIn(ENTRY);
    assertThatThrownBy(() -> assertThat(failure).happenedIn(Phase.EXIT))
        .isInstanceOf(AssertionError.class)
        .hasMessageStartingWith("Expecting the failure to have happened in EXIT, but it happened"
            + " in ENTRY");
    assertThatThrownBy(() -> assertThat(failure).ofState("active"))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("to be of state active, but it was of active/playing");
  }

  @Test
  void failure_ofATestsOwnThrowable_isNotInjected() {
    TestLoop loop = TestLoop.create();
    MachineDefinition<Object> broken = Stator.<String, Object>machine("broken")
        .initial("connecting")
        .state("connecting", s -> s.onEntry(c -> {
          throw new IOException("refused");
        }))
        .build();
    Machine<Object> machine = loop.start(broken, new Object());

    assertThat(machine).failure().happenedIn(ENTRY).ofState("connecting")
        .hasCauseInstanceOf(IOException.class);
    assertThatThrownBy(() -> assertThat(machine).failure().wasInjected())
        .isInstanceOf(AssertionError.class).hasMessageContaining("injected by a FaultPlan");
    assertThatThrownBy(() -> assertThat(machine).isRunning())
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("to be RUNNING, but it was FAILED");
  }
}
