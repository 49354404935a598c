package dev.stator.dsl;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stator.MachineDefinition;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Which states a definition warns about as unreachable: a state is reachable when a walk from the
 * initial state enters it, by default entry, through a target inside it, through a history
 * state's default or as a region; the warnings name at most 100 states and at most a mebibyte of
 * their paths, and count the rest.
 */
final class UnreachableWarningsTest {

  private static String unreachable(String path) {
    return "state '" + path + "' is unreachable from the initial state";
  }

  @Test
  void aStateEnteredOnlyThroughATargetInsideIt_isReachable_itsDefaultChildIsNot() {
    MachineDefinition<Object> definition = Stator.<String, Object>machine("inside")
        .initial("S")
        .state("S", s -> s.on("x").goTo("X/Y/Z"))
        .state("X", x -> x.initial("W")
            .state("W")
            .state("Y", y -> y.initial("Z").state("Z")))
        .build();

    assertThat(definition.warnings()).containsExactly(unreachable("X/W"));
  }

  @Test
  void aStateEnteredOnlyAsAHistoryStatesDefault_isReachable() {
    MachineDefinition<Object> definition = Stator.<String, Object>machine("history")
        .initial("S")
        .state("S", s -> s.on("p").goTo("P").on("h").goTo("P/H"))
        .state("P", p -> p.initial("A")
            .state("A")
            .state("B")
            .history("H", "B"))
        .build();

    assertThat(definition.warnings()).isEmpty();
  }

  @Test
  void theRegionsOfAParallelState_areReachableWithIt() {
    MachineDefinition<Object> definition = Stator.<String, Object>machine("regions")
        .initial("S")
        .state("S", s -> s.on("x").goTo("P"))
        .parallel("P", p -> p
            .state("R1", r -> r.initial("a").state("a"))
            .state("R2", r -> r.initial("b").state("b")))
        .build();

    assertThat(definition.warnings()).isEmpty();
  }

  @Test
  void everyRegionOfAParallelRoot_isReachable() {
    MachineDefinition<Object> definition = Stator.<String, Object>machine("root")
        .parallelRoot()
        .state("R1", r -> r.initial("a").state("a"))
        .state("R2", r -> r.initial("b").state("b"))
        .build();

    assertThat(definition.warnings()).isEmpty();
  }

  private static MachineDefinition<Object> withIslands(List<String> names) {
    MachineBuilder<String, Object> builder = Stator.<String, Object>machine("islands")
        .initial("A")
        .state("A");
    for (String name : names) {
      builder.state(name);
    }
    return builder.build();
  }

  private static List<String> numbered(int count) {
    List<String> names = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      names.add("U" + i);
    }
    return names;
  }

  @Test
  void upTo100UnreachableStates_areNamed_theRestCounted() {
    assertThat(withIslands(numbered(100)).warnings())
        .hasSize(100)
        .startsWith(unreachable("U0"))
        .endsWith(unreachable("U99"));

    List<String> warnings = withIslands(numbered(101)).warnings();
    assertThat(warnings).hasSize(101).startsWith(unreachable("U0"));
    assertThat(warnings.get(99)).isEqualTo(unreachable("U99"));
    assertThat(warnings.get(100)).isEqualTo(
        "1 more state is unreachable from the initial state (only the first 100 are named)");
  }

  @Test
  void unreachablePathsOfAMebibyteInAll_areNamed_aLongerOneIsCounted() {
    // 16 names of 64 Ki characters: exactly 1 MiB of paths
    List<String> names = new ArrayList<>();
    for (int i = 0; i < 16; i++) {
      names.add(Character.toString('a' + i).repeat(1 << 16));
    }
    assertThat(withIslands(names).warnings()).hasSize(16)
        .allSatisfy(w -> assertThat(w).endsWith("' is unreachable from the initial state"));

    names.add("q");
    List<String> warnings = withIslands(names).warnings();
    assertThat(warnings).hasSize(17);
    assertThat(warnings.get(16)).isEqualTo(
        "1 more state is unreachable from the initial state (only the first 16 are named)");
  }
}
