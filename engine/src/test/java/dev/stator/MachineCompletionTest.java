package dev.stator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stator.model.Action;
import dev.stator.model.MachineSpec;
import dev.stator.model.StateSpec;
import dev.stator.model.TransitionSpec;
import dev.stator.model.Trigger;
import dev.stator.testing.TestLoop;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Completing a machine with one active state at a time: the top-level final state entered exits,
 * then the root, and the machine's output is computed, in the step that completed it.
 */
class MachineCompletionTest {

  private final TestLoop loop = TestLoop.create(
      LoopOptions.DEFAULTS.withUnobservedFailureHandler(failure -> { }));

  @AfterEach
  void close() {
    loop.close();
  }

  private static Action<List<String>, Object> log(String what) {
    return (log, step) -> log.add(what);
  }

  private static MachineSpec<List<String>> spec(Action<List<String>, Object> rootExit) {
    StateSpec<List<String>> working = new StateSpec<>("working", false, null, List.of(),
        List.of(log("enter:working")), List.of(log("exit:working")),
        List.of(new TransitionSpec<>(new Trigger.OnEvent("finish"), null, "done", false,
            List.of(log("t")))), List.of(), null);
    StateSpec<List<String>> done = new StateSpec<>("done", true, null, List.of(),
        List.of(log("enter:done")), List.of(log("exit:done")), List.of(), List.of(), null);
    return new MachineSpec<>("job", "working", List.of(working, done),
        UnhandledEventPolicy.IGNORE, RecoveryPolicy.exit(), false, List.of(rootExit),
        (log, step) -> "finished after " + log.size() + " actions", List.of());
  }

  @Test
  void completing_exitsTheFinalState_thenRunsTheRootsExit_thenComputesTheOutput()
      throws Exception {
    List<String> log = new ArrayList<>();
    Machine<List<String>> machine = loop.start(MachineDefinition.compile(spec(log("exit:root"))),
        log);
    machine.send("finish");

    Termination<List<String>> end = machine.lifecycle().toCompletableFuture()
        .get(1, TimeUnit.SECONDS);
    assertThat(log).containsExactly("enter:working", "exit:working", "t", "enter:done",
        "exit:done", "exit:root");
    assertThat(end.output()).isEqualTo("finished after 6 actions");
    assertThat(end.finalPath()).isEqualTo("done");
  }

  @Test
  void aRootExitActionThatThrows_failsTheMachine_inPhaseExit() {
    List<String> log = new ArrayList<>();
    Machine<List<String>> machine = loop.start(MachineDefinition.compile(spec((l, step) -> {
      throw new IllegalStateException("cannot shut down");
    })), log);
    machine.send("finish");

    assertThat(machine.state().status()).isEqualTo(Status.FAILED);
    assertThat(machine.state().failure().phase()).isEqualTo(Phase.EXIT);
    assertThat(machine.state().failure().cause()).hasMessage("cannot shut down");
  }
}
