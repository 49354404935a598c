package dev.stator.dsl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.stator.DefinitionException;
import dev.stator.MachineDefinition;
import dev.stator.RecoveryPolicy;
import dev.stator.UnhandledEventPolicy;
import dev.stator.model.MachineSpec;
import dev.stator.model.StateSpec;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The problems a definition is refused with, each naming the place and what was expected: targets
 * written as paths, initial states that cannot be entered, regions that are not regions, names that
 * cannot be written as paths, and the bound on a transition's targets.
 */
final class DefinitionProblemsTest {

  private static DefinitionException refused(MachineBuilder<String, Object> builder) {
    DefinitionException e = catchThrowableOfType(DefinitionException.class, builder::build);
    assertThat(e).as("the definition is refused").isNotNull();
    return e;
  }

  @Test
  void aTargetPathThatLeadsNowhere_namesTheSegmentThatIsMissing() {
    DefinitionException e = refused(Stator.<String, Object>machine("paths")
        .initial("S")
        .state("S", s -> s.on("in").goTo("A/X").on("top").goTo("Z/B"))
        .state("A", a -> a.initial("B").state("B")));

    assertThat(e.problems()).containsExactly(
        "state 'S', transition on in: target 'A/X' is not a state: 'A' has no child 'X'",
        "state 'S', transition on top: target 'Z/B' is not a state: no top-level state 'Z'");
  }

  @Test
  void aTargetPath_entersTheStateAtThatPath() {
    MachineDefinition<Object> definition = Stator.<String, Object>machine("path")
        .initial("S")
        .state("S", s -> s.on("in").goTo("A/C"))
        .state("A", a -> a.initial("B").state("B").state("C"))
        .build();
    var machine = dev.stator.testing.TestLoop.create().start(definition, new Object());

    machine.send("in");

    assertThat(machine.state().path()).isEqualTo("A/C");
  }

  @Test
  void aHistoryStateAsTheMachinesInitialState_isRefused() {
    StateSpec<Object> history = new StateSpec<>("H", null, StateSpec.Type.SHALLOW_HISTORY, null,
        List.of(), List.of(), List.of(), List.of(), List.of(), null, null, List.of());
    StateSpec<Object> a = new StateSpec<>("A", null, StateSpec.Type.NORMAL, null, List.of(),
        List.of(), List.of(), List.of(), List.of(), null, null, List.of());

    DefinitionException e = catchThrowableOfType(DefinitionException.class,
        () -> MachineDefinition.compile(new MachineSpec<>("history-first", "H", List.of(history, a),
            UnhandledEventPolicy.IGNORE, RecoveryPolicy.exit())));

    assertThat(e.problems()).contains(
        "the machine's initial state 'H' is a history state");
  }

  @Test
  void anAtomicStateThatNamesAnInitialChild_isRefused() {
    DefinitionException e = refused(Stator.<String, Object>machine("atomic-initial")
        .initial("A")
        .state("A", a -> a.initial("X")));

    assertThat(e.problems()).containsExactly("state 'A' names initial child 'X' but has no children");
  }

  @Test
  void aParallelStateWithOneRegionAndAHistory_isRefused_theHistoryIsNoRegion() {
    DefinitionException e = refused(Stator.<String, Object>machine("one-region")
        .initial("P")
        .parallel("P", p -> p.state("R").history("H")));

    assertThat(e.problems()).containsExactly(
        "parallel state 'P' has 1 region; it needs two or more");
  }

  @Test
  void aStateNameThatBeginsWithASlash_isRefused() {
    DefinitionException e = refused(Stator.<String, Object>machine("leading-slash")
        .initial("A")
        .state("A")
        .state("/B"));

    assertThat(e.problems()).containsExactly(
        "state name '/B' contains '/', which separates paths");
  }

  private static MachineBuilder<String, Object> intoRegions(int regions, int targets) {
    List<String> paths = new ArrayList<>();
    for (int i = 0; i < targets; i++) {
      paths.add("P/R" + i);
    }
    return Stator.<String, Object>machine("targets")
        .initial("S")
        .state("S", s -> s.on("go").goToTargets(paths.get(0),
            paths.subList(1, paths.size()).toArray(new String[0])))
        .parallel("P", p -> {
          for (int i = 0; i < regions; i++) {
            p.state("R" + i);
          }
        });
  }

  @Test
  void aTransitionMayEnter256RegionsAtOnce_notMore() {
    MachineDefinition<Object> definition = intoRegions(256, 256).build();
    var machine = dev.stator.testing.TestLoop.create().start(definition, new Object());
    machine.send("go");
    assertThat(machine.state().activeStates()).hasSize(256).contains("P/R0", "P/R255");

    assertThat(refused(intoRegions(257, 257)).problems()).containsExactly(
        "state 'S', transition on go: 257 targets; one per region, at most 256");
  }
}
