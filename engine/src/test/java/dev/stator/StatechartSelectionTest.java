package dev.stator;

import static dev.stator.Charts.machine;
import static dev.stator.Charts.state;
import static org.assertj.core.api.Assertions.assertThat;

import dev.stator.model.Trigger;
import dev.stator.testing.TestLoop;
import org.junit.jupiter.api.Test;

/**
 * How a machine with regions selects its transitions, per active state: the candidates for an
 * event are tried in order and the first whose guard holds is taken, else the state's ancestors
 * are asked; a transition on an event type takes any event of that type and no other; a guarded
 * eventless transition waits for its guard to hold.
 */
final class StatechartSelectionTest {

  private final TestLoop loop = TestLoop.create();

  /** An event carrying a payload, matched by its type. */
  record Ping(int n) {}

  /** The machines' context: a flag their guards read. */
  static final class Flags {
    boolean open;
  }

  /** A parallel state whose "left" region is built by the caller, beside a "right" one. */
  @SafeVarargs
  private static MachineDefinition<Flags> withRegions(Charts.S<Flags>... left) {
    return machine("regions",
        Charts.<Flags>state("both").parallel().children(
            Charts.<Flags>state("left").children(left),
            Charts.<Flags>state("right").children(
                Charts.<Flags>state("r1").on("swap", "r2"),
                state("r2"))));
  }

  @Test
  void theFirstCandidateWhoseGuardHolds_isTaken() {
    MachineDefinition<Flags> definition = withRegions(
        Charts.<Flags>state("l1")
            .when(new Trigger.OnEvent("go"), (flags, step) -> flags.open, "l2")
            .when(new Trigger.OnEvent("go"), null, "l3"),
        state("l2"),
        state("l3"));
    Machine<Flags> closed = loop.start(definition, new Flags());
    Flags open = new Flags();
    open.open = true;
    Machine<Flags> opened = loop.start(definition, open);

    closed.send("go");
    opened.send("go");

    assertThat(closed.state().activeStates()).containsExactly("both/left/l3", "both/right/r1");
    assertThat(opened.state().activeStates()).containsExactly("both/left/l2", "both/right/r1");
  }

  @Test
  void aStateWhoseOnlyCandidateIsGuardedOff_leavesTheEventToItsAncestor() {
    MachineDefinition<Flags> definition = machine("regions",
        Charts.<Flags>state("both").parallel()
            .on("go", "elsewhere")
            .children(
                Charts.<Flags>state("left").children(
                    Charts.<Flags>state("l1")
                        .when(new Trigger.OnEvent("go"), (flags, step) -> flags.open, "l2"),
                    state("l2")),
                Charts.<Flags>state("right").children(state("r1"))),
        state("elsewhere"));
    Machine<Flags> machine = loop.start(definition, new Flags());

    machine.send("go");

    assertThat(machine.state().activeStates()).containsExactly("elsewhere");
  }

  @Test
  void aTransitionOnAnEventType_takesEveryEventOfThatType_andNoOther() {
    MachineDefinition<Flags> definition = withRegions(
        Charts.<Flags>state("l1").when(new Trigger.OnType(Ping.class), null, "l2"),
        Charts.<Flags>state("l2").when(new Trigger.OnType(Ping.class),
            (flags, step) -> ((Ping) step.event()).n() > 1, "l3"),
        state("l3"));
    Machine<Flags> machine = loop.start(definition, new Flags());

    machine.send("Ping");
    assertThat(machine.state().activeStates()).contains("both/left/l1");

    machine.send(new Ping(1));
    assertThat(machine.state().activeStates()).contains("both/left/l2");

    machine.send(new Ping(1));
    assertThat(machine.state().activeStates()).contains("both/left/l2");

    machine.send(new Ping(2));
    assertThat(machine.state().activeStates()).containsExactly("both/left/l3", "both/right/r1");
  }

  @Test
  void aGuardedEventlessTransition_isTakenOnceItsGuardHolds() {
    MachineDefinition<Flags> definition = withRegions(
        Charts.<Flags>state("l1")
            .always((flags, step) -> flags.open, "l2")
            .on("open", null, (flags, step) -> flags.open = true),
        state("l2"));
    Machine<Flags> machine = loop.start(definition, new Flags());

    machine.send("swap");
    assertThat(machine.state().activeStates()).containsExactly("both/left/l1", "both/right/r2");

    machine.send("open");
    assertThat(machine.state().activeStates()).containsExactly("both/left/l2", "both/right/r2");
  }
}
