package dev.stator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stator.model.Action;
import dev.stator.model.MachineSpec;
import dev.stator.model.StateSpec;
import dev.stator.model.TransitionSpec;
import dev.stator.model.Trigger;
import dev.stator.testing.TestLoop;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Event descriptors as XState v5 matches them: "*" and "prefix.*", an exact match first. */
final class EventDescriptorTest {

  private final List<String> log = new ArrayList<>();

  private TransitionSpec<Object> t(Trigger trigger, String label) {
    Action<Object, Object> action = (c, step) -> log.add(label + " " + step.event());
    return new TransitionSpec<>(trigger, null, (String) null, false, List.of(action));
  }

  private static StateSpec<Object> state(String name, String initial,
      List<TransitionSpec<Object>> transitions, StateSpec<Object>... children) {
    return new StateSpec<>(name, null, StateSpec.Type.NORMAL, initial, List.of(children), List.of(),
        List.of(), transitions, List.of(), null, null);
  }

  private Machine<Object> start() {
    StateSpec<Object> leaf = state("leaf", null, List.of(
        t(new Trigger.OnEventMatching("mouse.*"), "leaf mouse.*"),
        t(new Trigger.OnEventMatching("*"), "leaf *"),
        t(new Trigger.OnEventMatching("mouse.click.*"), "leaf mouse.click.*"),
        t(new Trigger.OnEvent("key"), "leaf key")));
    StateSpec<Object> top = state("top", "leaf", List.of(
        t(new Trigger.OnEvent("mouse.move"), "top mouse.move"),
        t(new Trigger.OnEvent("other"), "top other"),
        t(new Trigger.OnEventMatching("*"), "top *")), leaf);
    MachineDefinition<Object> definition = MachineDefinition.compile(new MachineSpec<>("d", "top",
        List.of(top), UnhandledEventPolicy.IGNORE, RecoveryPolicy.exit()));
    return TestLoop.create().start(definition, new Object());
  }

  @Test
  void anExactMatchComesFirst_thenTheLongestDescriptor_innermostStateFirst() {
    Machine<Object> machine = start();

    machine.send("key");
    machine.send("mouse.click.left");
    machine.send("mouse.move");
    machine.send("mouse");
    machine.send("other");
    machine.send("keyboard");

    assertThat(log).containsExactly(
        "leaf key key",                       // exact, on the leaf
        "leaf mouse.click.* mouse.click.left", // the longest descriptor that matches
        "leaf mouse.* mouse.move",             // the leaf's wildcard before the parent's exact
        "leaf mouse.* mouse",                  // "mouse.*" also matches "mouse"
        "leaf * other",
        "leaf * keyboard");
  }

  @Test
  void descriptorsMatchStringEventsOnly_andMustEndInAWildcardToken() {
    Machine<Object> machine = start();
    machine.send(42);
    assertThat(log).isEmpty();
    assertThatThrownBy(() -> new Trigger.OnEventMatching("mouse*"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Trigger.OnEventMatching("a.*.b"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(new Trigger.OnEventMatching("a.b.*").matches("a.b")).isTrue();
    assertThat(new Trigger.OnEventMatching("a.b.*").matches("a.bc")).isFalse();
  }
}
