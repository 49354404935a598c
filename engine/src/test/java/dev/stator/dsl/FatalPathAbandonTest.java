package dev.stator.dsl;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stator.LoopOptions;
import dev.stator.Machine;
import dev.stator.MachineDefinition;
import dev.stator.MachineListener;
import dev.stator.StateSnapshot;
import dev.stator.Status;
import dev.stator.testing.TestLoop;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Found by the fault storm (FaultStormProperties, jqwik seed 7158570511584631124, a listener's
 * onTerminated throwing an InternalError while children had just been started): recovery.md says
 * the fatal path runs no listener's onTerminated and fails every machine, but a machine whose
 * START was still queued is abandoned as STOPPED instead, and its listener is told.
 */
final class FatalPathAbandonTest {

  private static final MachineDefinition<Object> IDLE = Stator.<String, Object>machine("idle")
      .initial("A")
      .state("A")
      .build();

  @Test
  void aMachineNotYetStarted_failsOnTheFatalPathWithoutItsListenerRunning() {
    TestLoop loop = TestLoop.create(LoopOptions.DEFAULTS.withFatalFailureHandler(f -> { }), 0L);
    List<StateSnapshot> heard = new ArrayList<>();
    List<Machine<Object>> started = new ArrayList<>();

    loop.execute(() -> {
      started.add(loop.start(IDLE, "late", new Object(), new MachineListener<>() {
        @Override
        public void onTerminated(Machine<Object> machine, StateSnapshot last) {
          heard.add(last);
        }
      }));
      throw new InternalError("the JVM is broken");    // the fatal path, START still queued
    });

    assertThat(loop.isClosed()).isTrue();
    assertThat(heard).as("listeners told after the fatal path").isEmpty();
    assertThat(started.get(0).state().status()).isEqualTo(Status.FAILED);
    assertThat(started.get(0).lifecycle().isCompletedExceptionally()).isTrue();
  }
}
