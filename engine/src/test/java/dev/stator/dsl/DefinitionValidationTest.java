package dev.stator.dsl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.stator.DefinitionException;
import dev.stator.MachineDefinition;
import java.time.Duration;
import org.junit.jupiter.api.Test;

final class DefinitionValidationTest {

  private static DefinitionException refused(MachineBuilder<String, Recorder> builder) {
    return catchThrowableOfType(DefinitionException.class, builder::build);
  }

  @Test
  void unknownTarget_isRefusedWithTheStateAndASuggestion() {
    DefinitionException e = refused(Stator.<String, Recorder>machine("typo")
        .initial("CONNECTING")
        .state("CONNECTING", s -> s.on("TIMEOUT").goTo("BAKOFF"))
        .state("BACKOFF"));

    assertThat(e.machineId()).isEqualTo("typo");
    assertThat(e.problems()).containsExactly(
        "state 'CONNECTING', transition on TIMEOUT: target 'BAKOFF' is not a state;"
            + " did you mean 'BACKOFF'?");
  }

  @Test
  void controlCharactersInNames_areEscapedInProblemsAndWarnings() {
    DefinitionException e = refused(Stator.<String, Recorder>machine("ids\u001b[2J")
        .initial("A")
        .state("A", s -> s.on("GO\u0007").goTo("B\nx.json: ok"))
        .state("\u202eB"));

    assertThat(e.problems()).containsExactly(
        "state 'A', transition on GO\\u0007: target 'B\\nx.json: ok' is not a state");
    assertThat(e.getMessage()).isEqualTo("machine 'ids\\u001b[2J' is invalid (1 problem):\n"
        + "  - state 'A', transition on GO\\u0007: target 'B\\nx.json: ok' is not a state");
    // the id is the caller's own value; only the text made from it is escaped
    assertThat(e.machineId()).isEqualTo("ids\u001b[2J");

    MachineDefinition<Recorder> valid = Stator.<String, Recorder>machine("m")
        .initial("A").state("A").state("\u202eB\u0085").build();
    assertThat(valid.warnings()).containsExactly(
        "state '\\u202eB\\u0085' is unreachable from the initial state");
  }

  @Test
  void compoundStateWithoutInitialChild_isRefused() {
    DefinitionException e = refused(Stator.<String, Recorder>machine("no-initial")
        .initial("P")
        .state("P", p -> p.state("A").state("B")));

    assertThat(e.problems()).containsExactly(
        "compound state 'P' has no initial child; expected one of [A, B]");
  }

  @Test
  void initialChildThatIsNotAChild_isRefused() {
    DefinitionException e = refused(Stator.<String, Recorder>machine("wrong-initial")
        .initial("P")
        .state("P", p -> p.initial("X").state("A"))
        .state("X"));

    assertThat(e.problems()).containsExactly(
        "initial child 'X' of state 'P' is not one of its children [A]");
  }

  @Test
  void duplicateSiblingNames_areRefused() {
    DefinitionException e = refused(Stator.<String, Recorder>machine("dupes")
        .initial("A")
        .state("A", a -> a.initial("B").state("B").state("B")));

    assertThat(e.problems()).containsExactly(
        "duplicate state name 'B' (in 'A'); names are unique among siblings");
  }

  @Test
  void transitionOutOfAFinalState_isRefused() {
    DefinitionException e = refused(Stator.<String, Recorder>machine("final-out")
        .initial("A")
        .state("A", a -> a.on("end").goTo("DONE"))
        .finalState("DONE", d -> d.on("again").goTo("A")));

    assertThat(e.problems()).containsExactly(
        "final state 'DONE' has an outgoing transition (on again); a final state ends its parent");
  }

  @Test
  void missingOrUnknownInitialState_isRefused() {
    assertThat(refused(Stator.<String, Recorder>machine("none").state("A")).problems())
        .containsExactly("the machine has no initial state; expected one of [A]");
    assertThat(refused(Stator.<String, Recorder>machine("unknown").initial("a").state("A"))
        .problems())
        .containsExactly("the machine's initial state 'a' is not a top-level state; expected one"
            + " of [A]; did you mean 'A'?");
  }

  @Test
  void everyProblemOfADefinition_isReportedTogether() {
    DefinitionException e = refused(Stator.<String, Recorder>machine("many")
        .initial("A")
        .state("A", a -> a.on("x").goTo("NOWHERE").on("y").then(r -> { }))
        .state("P", p -> p.state("C"))
        .state("A")
        .state("T", t -> t.after(Duration.ofSeconds(-1)).goTo("A")));

    assertThat(e.problems()).containsExactlyInAnyOrder(
        "state 'A': transition on y is not finished; end it with goTo(...) or stay()",
        "duplicate state name 'A'; names are unique among siblings",
        "compound state 'P' has no initial child; expected one of [C]",
        "state 'A', transition on x: target 'NOWHERE' is not a state",
        "state 'T', transition after PT-1S: the delay must be zero or more, not PT-1S");
    assertThat(e.getMessage()).startsWith("machine 'many' is invalid (5 problems):");
  }

  @Test
  void internalTransitionToANonDescendant_isRefused() {
    DefinitionException e = refused(Stator.<String, Recorder>machine("internal")
        .initial("A")
        .state("A", a -> a.on("x").internal().goTo("B"))
        .state("B"));

    assertThat(e.problems()).containsExactly("state 'A', transition on x: an internal transition"
        + " must target a descendant of 'A', not 'B'");
  }

  @Test
  void unreachableStates_areReportedAsWarningsNotRefused() {
    MachineDefinition<Recorder> definition = Stator.<String, Recorder>machine("island")
        .initial("A")
        .state("A", a -> a.on("x").goTo("B"))
        .state("B")
        .state("ISLAND", i -> i.initial("SHORE").state("SHORE"))
        .build();

    assertThat(definition.warnings()).containsExactly(
        "state 'ISLAND' is unreachable from the initial state",
        "state 'ISLAND/SHORE' is unreachable from the initial state");
  }

  @Test
  void stateNamesWithSlashes_areRefusedBecauseTheySeparatePaths() {
    assertThat(refused(Stator.<String, Recorder>machine("slash").initial("a/b").state("a/b"))
        .problems())
        .containsExactly("state name 'a/b' contains '/', which separates paths");
  }

  @Test
  void aDefinition_isSharedByAnyNumberOfInstances() {
    MachineDefinition<Recorder> definition = Stator.<String, Recorder>machine("shared")
        .initial("OFF")
        .state("OFF", s -> s.on("flip").goTo("ON"))
        .state("ON", s -> s.on("flip").goTo("OFF"))
        .build();
    dev.stator.testing.TestLoop loop = dev.stator.testing.TestLoop.create();
    var first = loop.start(definition, new Recorder());
    var second = loop.start(definition, new Recorder());

    first.send("flip");

    assertThat(first.state().path()).isEqualTo("ON");
    assertThat(second.state().path()).isEqualTo("OFF");
    assertThat(definition.statePaths()).containsExactly("OFF", "ON");
  }
}
