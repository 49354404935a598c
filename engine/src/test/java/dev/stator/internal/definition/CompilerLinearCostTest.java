package dev.stator.internal.definition;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stator.DefinitionException;
import dev.stator.Machine;
import dev.stator.MachineDefinition;
import dev.stator.RecoveryPolicy;
import dev.stator.UnhandledEventPolicy;
import dev.stator.model.MachineSpec;
import dev.stator.model.StateSpec;
import dev.stator.model.TransitionSpec;
import dev.stator.model.Trigger;
import dev.stator.testing.TestLoop;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Compiling costs time and memory roughly linear in the definition, also for its worst shapes.
 * The timeouts are generous (the quadratic compiler took 80 s and more on these shapes); the
 * benchmarks module measures how fast ({@code WorstShapeBenchmark}).
 */
final class CompilerLinearCostTest {

  private static TransitionSpec<Object> to(Trigger trigger, String target) {
    return new TransitionSpec<>(trigger, null, target, false, List.of());
  }

  private static StateSpec<Object> state(String name, String initial, List<StateSpec<Object>> children,
      List<TransitionSpec<Object>> transitions) {
    return new StateSpec<>(name, false, initial, children, List.of(), List.of(), transitions,
        List.of(), null);
  }

  private static MachineDefinition<Object> compile(String initial, List<StateSpec<Object>> states) {
    return DefinitionCompiler.compile(new MachineSpec<>("m", initial, states,
        UnhandledEventPolicy.IGNORE, RecoveryPolicy.exit()));
  }

  /** A name of {@code length} characters, ending in {@code i}: names differ only at the end. */
  private static String longName(char first, int i, int length) {
    String suffix = Integer.toString(i);
    return first + "x".repeat(length - 1 - suffix.length()) + suffix;
  }

  /** {@code depth} nested states of long names; the innermost holds {@code leaves} leaves. */
  private static List<StateSpec<Object>> deep(int depth, int length, int leaves,
      List<TransitionSpec<Object>> topTransitions) {
    List<StateSpec<Object>> level = new ArrayList<>();
    for (int i = 0; i < leaves; i++) {
      level.add(state("l" + i, null, List.of(), List.of()));
    }
    for (int d = depth - 1; d >= 0; d--) {
      String child = d + 1 < depth ? longName('d', d + 1, length) : "l0";
      level = List.of(state(longName('d', d, length), child, level,
          d == 0 ? topTransitions : List.of()));
    }
    return level;
  }

  @Test
  @Timeout(value = 30, unit = TimeUnit.SECONDS)
  void oneStateWithManyEvents_compilesInLinearTime() {
    List<TransitionSpec<Object>> transitions = new ArrayList<>();
    for (int i = 0; i < 64_000; i++) {
      transitions.add(to(new Trigger.OnEvent("e" + i), "s"));
    }

    CompiledDefinition<Object> wide = (CompiledDefinition<Object>) compile("s",
        List.of(state("s", null, List.of(), transitions)));

    assertThat(wide.states[0].byValue).hasSize(64_000);
    assertThat(wide.states[0].byValue.get("e63999")).extracting(t -> t.trigger)
        .containsExactly(new Trigger.OnEvent("e63999"));
  }

  @Test
  void candidatesForAValue_areInnermostFirstThenInDocumentOrder_byValueAndByTypeTogether() {
    List<TransitionSpec<Object>> outer = List.of(
        to(new Trigger.OnType(String.class), null),
        to(new Trigger.OnEvent("a"), null));
    List<TransitionSpec<Object>> inner = List.of(
        to(new Trigger.OnEvent("a"), null),
        to(new Trigger.OnType(CharSequence.class), null),
        to(new Trigger.OnEvent("b"), null),
        to(new Trigger.OnType(Integer.class), null),
        to(new Trigger.OnEvent("a"), null),
        to(new Trigger.OnEvent(7), null));
    CompiledDefinition<Object> nested = (CompiledDefinition<Object>) compile("p",
        List.of(state("p", "c", List.of(state("c", null, List.of(), inner)), outer)));
    StateNode child = nested.states[1];
    TransitionNode[] all = nested.transitions;
    // transitions are numbered state by state: p's two, then c's six
    TransitionNode outerString = all[0];
    TransitionNode outerA = all[1];

    assertThat(child.byValue.get("a"))
        .containsExactly(all[2], all[3], all[6], outerString, outerA);
    assertThat(child.byValue.get("b")).containsExactly(all[3], all[4], outerString);
    assertThat(child.byValue.get(7)).containsExactly(all[5], all[7]);
    assertThat(child.byType).containsExactly(all[3], all[5], outerString);
    assertThat(nested.states[0].byValue.get("a")).containsExactly(outerString, outerA);
  }

  @Test
  @Timeout(value = 30, unit = TimeUnit.SECONDS)
  void unknownTargetsAmongLongStateNames_areReportedInLinearTime() {
    List<StateSpec<Object>> states = new ArrayList<>();
    for (int i = 0; i < 1_000; i++) {
      states.add(state(longName('s', i, 128), null, List.of(),
          List.of(to(new Trigger.OnEvent("GO"), longName('t', i, 128)))));
    }

    assertThatThrownBy(() -> compile(longName('s', 0, 128), states))
        .isInstanceOfSatisfying(DefinitionException.class, e -> assertThat(e.problems())
            .hasSize(1_000)
            .allSatisfy(p -> assertThat(p).contains("is not a state")));
  }

  @Test
  void aMisspeltTarget_isStillGivenASuggestion() {
    assertThatThrownBy(() -> compile("idle", List.of(
        state("idle", null, List.of(), List.of(to(new Trigger.OnEvent("GO"), "runing"))),
        state("running", null, List.of(), List.of()))))
        .hasMessageContaining("target 'runing' is not a state; did you mean 'running'?");
  }

  @Test
  @Timeout(value = 30, unit = TimeUnit.SECONDS)
  void deeplyNestedLongNames_nameOnlyAMegabyteOfUnreachablePaths() {
    MachineDefinition<Object> deep = compile(longName('d', 0, 200), deep(250, 200, 10_000, List.of()));

    // each of the 9,999 unreachable leaves' paths is 50 KB: naming them all would take 500 MB
    assertThat(deep.warnings()).hasSize(21)
        .endsWith("9979 more states are unreachable from the initial state (only the first 20 are"
            + " named)");
    assertThat(deep.statePaths()).hasSize(10_250);
    assertThat(deep.statePaths().get(10_249)).hasSize(250 * 201 + "l9999".length());
  }

  @Test
  void aMachineInADeepState_reportsTheWholePath() {
    MachineDefinition<Object> deep = compile(longName('d', 0, 200), deep(250, 200, 3,
        List.of(to(new Trigger.OnEvent("GO"), "l2"))));
    TestLoop loop = TestLoop.create();

    Machine<Object> machine = loop.start(deep, new Object());
    machine.send("GO");
    loop.runUntilIdle();

    assertThat(machine.state().path()).hasSize(250 * 201 + 2).endsWith("/l2")
        .isEqualTo(deep.statePaths().get(252));
  }

  @Test
  void transitionsThatEnterTheSameWay_shareOneEntryPath() {
    List<TransitionSpec<Object>> transitions = new ArrayList<>();
    for (int i = 0; i < 1_000; i++) {
      transitions.add(to(new Trigger.OnEvent("e" + i), "l1"));
    }
    List<StateSpec<Object>> states = new ArrayList<>(deep(100, 10, 2, List.of()));
    states.add(0, state("top", null, List.of(), transitions));

    CompiledDefinition<Object> definition = (CompiledDefinition<Object>) compile("top", states);

    TransitionNode first = definition.transitions[0];
    assertThat(first.entryPath).hasSize(101);
    assertThat(definition.transitions).hasSize(1_000)
        .allSatisfy(t -> assertThat(t.entryPath).isSameAs(first.entryPath));
  }

  @Test
  void childrenWithNothingOfTheirOwnToDispatch_shareTheirParentsTables() {
    List<TransitionSpec<Object>> events = new ArrayList<>();
    for (int i = 0; i < 2_000; i++) {
      events.add(to(new Trigger.OnEvent("e" + i), "c" + i));
    }
    List<StateSpec<Object>> children = new ArrayList<>();
    for (int i = 0; i < 2_000; i++) {
      children.add(state("c" + i, null, List.of(), i == 1 ? List.of(to(new Trigger.OnEvent("own"), "c0"))
          : List.of()));
    }

    CompiledDefinition<Object> definition = (CompiledDefinition<Object>) compile("p",
        List.of(state("p", "c0", children, events)));

    StateNode parent = definition.states[0];
    assertThat(definition.states[1].byValue).isSameAs(parent.byValue).hasSize(2_000);
    assertThat(definition.states[2000].byType).isSameAs(parent.byType);
    // a child with a transition of its own has its own table, its candidates first
    assertThat(definition.states[2].byValue).hasSize(2_001).isNotSameAs(parent.byValue);
    assertThat(definition.states[2].byValue.get("e5")).isEqualTo(parent.byValue.get("e5"));
  }
}
