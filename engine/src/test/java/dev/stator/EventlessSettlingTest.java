package dev.stator;

import static dev.stator.Charts.machine;
import static dev.stator.Charts.state;
import static org.assertj.core.api.Assertions.assertThat;

import dev.stator.testing.TestLoop;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Eventless transitions are taken as soon as their guard holds: the engine settles them at the
 * start, after each event's transition and after each delayed transition, in flat machines and in
 * statecharts alike, before anyone can see the state in between.
 */
final class EventlessSettlingTest {

  private final TestLoop loop = TestLoop.create();

  /** Two regions; the first settles "a1" to "a2" without an event, the second waits for "go". */
  private static MachineDefinition<Object> regions() {
    return machine("regions",
        Charts.<Object>state("p").parallel().children(
            Charts.<Object>state("left").children(
                Charts.<Object>state("a1").always(null, "a2"),
                Charts.<Object>state("a2").on("go", "a3"),
                Charts.<Object>state("a3").always(null, "a4"),
                Charts.<Object>state("a4").after(Duration.ofSeconds(1), "a5"),
                Charts.<Object>state("a5").always(null, "a6"),
                state("a6")),
            Charts.<Object>state("right").children(state("b1"))),
        state("q"));
  }

  @Test
  void regions_settleTheirEventlessTransitionsAtStart() {
    Machine<Object> machine = loop.start(regions(), new Object());

    assertThat(machine.state().isIn("a2")).isTrue();
    assertThat(machine.state().isIn("b1")).isTrue();
  }

  @Test
  void regions_settleTheirEventlessTransitionsAfterAnEventAndAfterADelayedTransition() {
    Machine<Object> machine = loop.start(regions(), new Object());

    machine.send("go");
    loop.runUntilIdle();
    assertThat(machine.state().isIn("a4")).isTrue();

    loop.advance(Duration.ofSeconds(1));
    assertThat(machine.state().isIn("a6")).isTrue();
    assertThat(machine.state().isIn("b1")).isTrue();
  }

  @Test
  void anEventlessCycleInARegion_isCutByTheMicrostepLimit() {
    TestLoop bounded = TestLoop.create(LoopOptions.DEFAULTS.withMaxMicrosteps(50)
        .withUnobservedFailureHandler(failure -> { }), 0);
    Machine<Object> machine = bounded.start(machine("spinning regions",
        Charts.<Object>state("p").parallel().children(
            Charts.<Object>state("left").children(
                Charts.<Object>state("x").on("go", "y"),
                Charts.<Object>state("y").always(null, "z"),
                Charts.<Object>state("z").always(null, "y")),
            Charts.<Object>state("right").children(state("w")))), new Object());

    machine.send("go");
    bounded.runUntilIdle();

    assertThat(machine.state().status()).isEqualTo(Status.FAILED);
    assertThat(machine.state().failure().cause()).isInstanceOf(StepLimitException.class);
  }

  @Test
  void aFlatMachine_settlesItsEventlessTransitionsAtStart() {
    Machine<Object> machine = loop.start(machine("flat",
        Charts.<Object>state("a").always(null, "b"),
        Charts.<Object>state("b").always(null, "c"),
        state("c")), new Object());

    assertThat(machine.state().path()).isEqualTo("c");
  }

  @Test
  void aFlatMachine_settlesItsEventlessTransitionsAfterAnEvent() {
    Machine<Object> machine = loop.start(machine("flat",
        Charts.<Object>state("a").on("go", "b"),
        Charts.<Object>state("b").always(null, "c"),
        state("c")), new Object());

    machine.send("go");
    loop.runUntilIdle();

    assertThat(machine.state().path()).isEqualTo("c");
  }

  @Test
  void aFlatMachine_settlesItsEventlessTransitionsAfterADelayedTransition() {
    Machine<Object> machine = loop.start(machine("flat",
        Charts.<Object>state("a").after(Duration.ofSeconds(1), "b"),
        Charts.<Object>state("b").always(null, "c"),
        state("c")), new Object());

    loop.advance(Duration.ofSeconds(1));

    assertThat(machine.state().path()).isEqualTo("c");
  }

  @Test
  void aStatechart_settlesItsEventlessTransitionsAtStart() {
    Machine<Object> machine = loop.start(machine("nested",
        Charts.<Object>state("p").children(
            Charts.<Object>state("p1").always(null, "p2"),
            state("p2")),
        state("q")), new Object());

    assertThat(machine.state().path()).isEqualTo("p/p2");
  }

  @Test
  void aStatechart_settlesEventlessChainsAfterAnEvent() {
    Machine<Object> machine = loop.start(machine("nested",
        Charts.<Object>state("p").children(
            Charts.<Object>state("p1").on("go", "p2"),
            Charts.<Object>state("p2").always(null, "q")),
        Charts.<Object>state("q").always(null, "r"),
        state("r")), new Object());

    machine.send("go");
    loop.runUntilIdle();

    assertThat(machine.state().path()).isEqualTo("r");
  }

  @Test
  void aStatechart_settlesEventlessTransitionsAfterADelayedTransition() {
    Machine<Object> machine = loop.start(machine("nested",
        Charts.<Object>state("p").children(
            Charts.<Object>state("p1").after(Duration.ofSeconds(1), "p2"),
            Charts.<Object>state("p2").always(null, "q")),
        state("q")), new Object());

    loop.advance(Duration.ofSeconds(1));

    assertThat(machine.state().path()).isEqualTo("q");
  }

  @Test
  void anEventlessTransition_waitsForItsGuard_andIsTakenAtTheNextStepThatMakesItHold() {
    int[] budget = {0};
    Machine<Object> machine = loop.start(machine("guarded",
        Charts.<Object>state("a")
            .on("fill", null, Charts.run(() -> budget[0]++))
            .always((context, step) -> budget[0] >= 2, "full"),
        state("full")), new Object());

    machine.send("fill");
    loop.runUntilIdle();
    assertThat(machine.state().path()).isEqualTo("a");

    machine.send("fill");
    loop.runUntilIdle();
    assertThat(machine.state().path()).isEqualTo("full");
  }

  @Test
  void anEventlessCycle_isCutByTheMicrostepLimit_andFaultsTheMachine() {
    TestLoop bounded = TestLoop.create(LoopOptions.DEFAULTS.withMaxMicrosteps(50)
        .withUnobservedFailureHandler(failure -> { }), 0);
    Machine<Object> machine = bounded.start(machine("cycle",
        Charts.<Object>state("a").on("go", "b"),
        Charts.<Object>state("b").always(null, "c"),
        Charts.<Object>state("c").always(null, "b")), new Object());

    machine.send("go");
    bounded.runUntilIdle();

    assertThat(machine.state().status()).isEqualTo(Status.FAILED);
    assertThat(machine.state().failure().cause()).isInstanceOf(StepLimitException.class)
        .hasMessageContaining("50");
  }

  @Test
  void theMicrostepLimit_countsEachStepAfresh_soManyStepsBelowItNeverFault() {
    TestLoop bounded = TestLoop.create(LoopOptions.DEFAULTS.withMaxMicrosteps(3), 0);
    Machine<Object> machine = bounded.start(machine("steps",
        Charts.<Object>state("a").on("go", "b"),
        Charts.<Object>state("b").always(null, "c"),
        Charts.<Object>state("c").always(null, "a")), new Object());

    for (int i = 0; i < 10; i++) {
      machine.send("go");         // two eventless transitions a step: 20 in all, 2 in each
      bounded.runUntilIdle();
    }

    assertThat(machine.state().status()).isEqualTo(Status.RUNNING);
    assertThat(machine.state().path()).isEqualTo("a");
  }
}
