package dev.stator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stator.dsl.Stator;
import dev.stator.testing.TestLoop;
import org.junit.jupiter.api.Test;

/**
 * A fault in the action of a nested state's self-transition names that state: the action runs
 * once the state has been exited, when the configuration is only its parent, so the report names
 * the transition's source as the state whose callback threw.
 */
final class NestedSelfTransitionFaultTest {

  private static MachineDefinition<Object> machine(String failingPart) {
    return Stator.<String, Object>machine("nested")
        .initial("outer")
        .state("outer", s -> s.initial("inner")
            .state("inner", x -> x
                .onExit(c -> fail(failingPart, "exit"))
                .on("again").then(c -> fail(failingPart, "action")).goTo("inner"))
            .state("other"))
        .build();
  }

  private static void fail(String failingPart, String part) {
    if (failingPart.equals(part)) {
      throw new IllegalStateException(part + " breaks");
    }
  }

  @Test
  void actionOfANestedSelfTransition_isReportedAgainstTheNestedState() {
    TestLoop loop = TestLoop.create();
    Machine<Object> machine = loop.start(machine("action"), new Object());

    machine.send("again");

    Failure failure = loop.failures().get(0);
    assertThat(failure.phase()).isEqualTo(Phase.ACTION);
    assertThat(failure.state()).isEqualTo("outer");
    assertThat(failure.callbackState()).isEqualTo("outer/inner");
    assertThat(failure.summary()).contains("failed in state outer (a callback of outer/inner)");
  }

  @Test
  void exitOfANestedSelfTransition_isReportedInTheNestedState() {
    TestLoop loop = TestLoop.create();
    Machine<Object> machine = loop.start(machine("exit"), new Object());

    machine.send("again");

    Failure failure = loop.failures().get(0);
    assertThat(failure.phase()).isEqualTo(Phase.EXIT);
    assertThat(failure.state()).isEqualTo("outer/inner");
    assertThat(failure.callbackState()).isEmpty();
  }

  @Test
  void actionOfATransitionBetweenSiblings_namesItsSource() {
    TestLoop loop = TestLoop.create();
    MachineDefinition<Object> definition = Stator.<String, Object>machine("siblings")
        .initial("a")
        .state("a", s -> s.on("go").then(c -> {
          throw new IllegalStateException("breaks");
        }).goTo("b"))
        .state("b")
        .build();
    Machine<Object> machine = loop.start(definition, new Object());

    machine.send("go");

    Failure failure = loop.failures().get(0);
    // between the exits and the entries there is no configuration: the source is named alone
    assertThat(failure.state()).isEqualTo("a");
    assertThat(failure.callbackState()).isEmpty();
  }
}
