package dev.stator.dsl;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stator.Machine;
import dev.stator.MachineDefinition;
import dev.stator.testing.TestLoop;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Which transition an event takes and which states it enters, as compiled: a name several states
 * share means the nearest of them; a guarded candidate is tried before the outer ones and passed
 * over when its guard is false, for enum events too; events of several enum types are taken; in a
 * parallel root each region takes an event of its own; a transition enters exactly the states
 * between its domain and its target; a nested final state's output reaches its parent's done event.
 */
final class TransitionSelectionTest {

  private enum Command { GO, STOP }

  private enum Signal { BACK }

  private static Machine<List<String>> start(MachineDefinition<List<String>> definition,
      List<String> log) {
    return TestLoop.create().start(definition, log);
  }

  @Test
  void aNameSeveralStatesShare_meansTheOneNearestTheSource_evenAtTheTop() {
    MachineDefinition<List<String>> definition = Stator.<String, List<String>>machine("nearest")
        .initial("P")
        .state("P", p -> p.initial("X")
            .state("X", x -> x.on("go").goTo("B"))
            .state("Q", q -> q.initial("B").state("B")))
        .state("B")
        .build();
    Machine<List<String>> machine = start(definition, new ArrayList<>());

    machine.send("go");

    assertThat(machine.state().path()).isEqualTo("B");
  }

  @Test
  void anInnerGuardedTransitionThatDeclines_passesTheEventToTheOuterTypedOne() {
    MachineDefinition<List<String>> definition = Stator.<String, List<String>>machine("fallback")
        .initial("P")
        .state("P", p -> p.initial("A")
            .on(String.class).goTo("Z")
            .state("A", a -> a.on("x").when(log -> false).goTo("B"))
            .state("B"))
        .state("Z")
        .build();
    Machine<List<String>> machine = start(definition, new ArrayList<>());

    machine.send("x");

    assertThat(machine.state().path()).isEqualTo("Z");
  }

  @Test
  void aSingleGuardedTransitionOnAnEnumEvent_isNotTakenWhenItsGuardIsFalse() {
    MachineDefinition<List<String>> definition = Stator.<String, List<String>>machine("enum-guard")
        .initial("A")
        .state("A", a -> a.on(Command.GO).when(log -> log.contains("allowed")).goTo("B"))
        .state("B")
        .build();
    List<String> log = new ArrayList<>();
    Machine<List<String>> machine = start(definition, log);

    machine.send(Command.GO);
    assertThat(machine.state().path()).isEqualTo("A");

    log.add("allowed");
    machine.send(Command.GO);
    assertThat(machine.state().path()).isEqualTo("B");
  }

  @Test
  void aMachine_takesEventsOfSeveralEnumTypes() {
    MachineDefinition<List<String>> definition = Stator.<String, List<String>>machine("two-enums")
        .initial("A")
        .state("A", a -> a.on(Command.GO).goTo("B"))
        .state("B", b -> b.on(Signal.BACK).goTo("C"))
        .state("C", c -> c.on(Signal.BACK).goTo("A").on(Command.STOP).goTo("D"))
        .state("D")
        .build();
    Machine<List<String>> machine = start(definition, new ArrayList<>());

    machine.send(Command.GO);
    machine.send(Signal.BACK);
    machine.send(Signal.BACK);
    machine.send(Command.GO);
    machine.send(Signal.BACK);
    machine.send(Command.STOP);

    assertThat(machine.state().path()).isEqualTo("D");
  }

  @Test
  void inAParallelRoot_aRegionsOwnInternalTransitionAndAnotherRegionsNestedOne_bothTakeTheEvent() {
    MachineDefinition<List<String>> definition = Stator.<String, List<String>>machine("regions")
        .parallelRoot()
        .state("A", a -> a.initial("A1")
            .on("x").internal().goTo("A2")
            .state("A1")
            .state("A2"))
        .state("B", b -> b.initial("B1")
            .state("B1", b1 -> b1.on("x").goTo("B2"))
            .state("B2"))
        .build();
    Machine<List<String>> machine = start(definition, new ArrayList<>());

    machine.send("x");

    assertThat(machine.state().activeStates()).containsExactly("A/A2", "B/B2");
  }

  @Test
  void aTransition_entersTheStatesBetweenItsDomainAndItsTarget_andNoOthers() {
    List<String> log = new ArrayList<>();
    MachineDefinition<List<String>> definition = Stator.<String, List<String>>machine("entries")
        .initial("R")
        .state("P", p -> p.onEntry(l -> l.add("P")).initial("Q")
            .state("Q", q -> q.onEntry(l -> l.add("Q")).initial("X")
                .state("X", x -> x.onEntry(l -> l.add("X")).on("again").goTo("T"))
                .state("T", t -> t.onEntry(l -> l.add("T")).on("back").goTo("X"))))
        .state("R", r -> r.on("deep").goTo("T"))
        .build();
    Machine<List<String>> machine = start(definition, log);

    machine.send("deep");
    assertThat(log).containsExactly("P", "Q", "T");
    machine.send("back");
    machine.send("again");
    assertThat(log).containsExactly("P", "Q", "T", "X", "T");
    assertThat(machine.state().path()).isEqualTo("P/Q/T");
  }

  @Test
  void aNestedFinalStatesOutput_isCarriedByItsParentsDoneEvent() {
    MachineDefinition<List<String>> definition = Stator.<String, List<String>>machine("output")
        .initial("P")
        .state("P", p -> p.initial("A")
            .onDone().then((log, step) -> log.add("output " + step.event().output())).goTo("Z")
            .state("A", a -> a.on("end").goTo("F"))
            .finalState("F", f -> f.output(log -> 42)))
        .state("Z")
        .build();
    List<String> log = new ArrayList<>();
    Machine<List<String>> machine = start(definition, log);

    machine.send("end");

    assertThat(log).containsExactly("output 42");
    assertThat(machine.state().path()).isEqualTo("Z");
  }
}
