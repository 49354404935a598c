package dev.stator.dsl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stator.DefinitionException;
import dev.stator.Machine;
import dev.stator.MachineDefinition;
import dev.stator.Termination;
import dev.stator.testing.TestLoop;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The machine's root in the DSL: a parallel root, the root's exit actions, the output. */
class MachineRootDslTest {

  private final TestLoop loop = TestLoop.create();

  @AfterEach
  void close() {
    loop.close();
  }

  private static MachineDefinition<List<String>> pair() {
    return Stator.<String, List<String>>machine("pair")
        .parallelRoot()
        .onExit(log -> log.add("root exit"))
        .output(log -> "ran " + log.size())
        .state("left", l -> l.initial("a")
            .state("a", a -> a.on("GO").goTo("done"))
            .finalState("done", d -> d.onExit(log -> log.add("left done exit"))))
        .state("right", r -> r.initial("b")
            .state("b", b -> b.on("GO").goTo("done"))
            .finalState("done"))
        .build();
  }

  @Test
  void aParallelRoot_runsItsRegionsTogether_andCompletesWithTheOutput() {
    List<String> log = new ArrayList<>();
    Machine<List<String>> machine = loop.start(pair(), log);
    assertThat(machine.state().activeStates()).containsExactly("left/a", "right/b");

    machine.send("GO");

    Termination<List<String>> end = machine.lifecycle().getNow(null);
    assertThat(log).containsExactly("left done exit", "root exit");
    assertThat(end.output()).isEqualTo("ran 2");
  }

  @Test
  void aParallelRoot_withAnInitialState_isRefused() {
    assertThatThrownBy(() -> Stator.<String, List<String>>machine("pair")
        .parallelRoot()
        .initial("left")
        .state("left")
        .state("right")
        .build())
        .isInstanceOf(DefinitionException.class)
        .hasMessageContaining("the machine's root is parallel and names initial state 'left'");
  }
}
