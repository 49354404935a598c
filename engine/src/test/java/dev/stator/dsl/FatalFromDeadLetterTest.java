package dev.stator.dsl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import dev.stator.Failure;
import dev.stator.LoopOptions;
import dev.stator.Machine;
import dev.stator.MachineDefinition;
import dev.stator.testing.TestLoop;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Found by the fault storm (FaultStormProperties, jqwik seed -2528560518108419108, shrunk to a
 * dead-letter handler throwing an InternalError at its first call, during close): a
 * VirtualMachineError from a handler must take the loop's fatal path and reach the fatal-failure
 * handler (RELIABILITY 33), but one thrown while the loop drains its queue at close is thrown out
 * of {@code close()} and the fatal-failure handler never hears of it.
 */
final class FatalFromDeadLetterTest {

  private static final MachineDefinition<Object> IDLE = Stator.<String, Object>machine("idle")
      .initial("A")
      .state("A")
      .build();

  @Test
  void aDeadLetterHandlersVirtualMachineErrorAtClose_takesTheFatalPath() {
    List<Failure> fatal = new ArrayList<>();
    TestLoop loop = TestLoop.create(LoopOptions.DEFAULTS
        .withFatalFailureHandler(fatal::add)
        .withDeadLetterHandler(letter -> {
          throw new InternalError("the JVM is broken");
        }), 0L);
    Machine<Object> machine = loop.start(IDLE, "m", new Object());
    loop.execute(() -> {
      loop.close();                      // from a task: the close finishes after this run
      machine.send("late");              // queued behind the close: a dead letter when it drains
    });

    assertThatCode(loop::close).doesNotThrowAnyException();
    assertThat(fatal).hasSize(1);
    assertThat(fatal.get(0).cause()).isInstanceOf(InternalError.class);
  }
}
