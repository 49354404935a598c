package dev.stator.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stator.Machine;
import dev.stator.MachineDefinition;
import dev.stator.MachineFailedException;
import dev.stator.Status;
import dev.stator.dsl.Stator;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The test loop's contract as its javadoc states it: {@code advanceToNextTimer} moves time by
 * the distance to the next deadline and says how far; {@code close(timeout)} checks its argument
 * and closes on the calling thread; {@code inLoop} is true on the test's thread, the loop's, and false on another;
 * attaching another plan replaces the one before, for definitions already started too;
 * {@code checkFailures} throws the failure of any machine the test started, however many it
 * started; the loop's name and its description for messages.
 */
final class TestLoopContractTest {

  /** What the callbacks saw. */
  static final class Probe {
    final List<Boolean> inLoop = new ArrayList<>();
  }

  private static final MachineDefinition<Probe> TIMED = Stator.<String, Probe>machine("timed")
      .initial("waiting")
      .state("waiting", s -> s
          .after(Duration.ofSeconds(3)).goTo("done")
          .on("fail").then(probe -> {
            throw new IllegalStateException("fail");
          }).goTo("done")
          .on("look").then(probe -> probe.inLoop.add(null)).stay())
      .state("done", s -> s.onEntry(probe -> { }))
      .build();

  @Test
  void advanceToNextTimer_movesByTheDistanceFromNow_andSaysHowFar() {
    TestLoop loop = TestLoop.create();
    loop.advance(Duration.ofSeconds(1));
    Machine<Probe> machine = loop.start(TIMED, new Probe());

    Optional<Duration> moved = loop.advanceToNextTimer();

    assertThat(moved).contains(Duration.ofSeconds(3));
    assertThat(loop.elapsed()).isEqualTo(Duration.ofSeconds(4));
    assertThat(machine.state().path()).isEqualTo("done");
    assertThat(loop.advanceToNextTimer()).isEmpty();
    assertThat(loop.elapsed()).isEqualTo(Duration.ofSeconds(4));
  }

  @Test
  void closeWithATimeout_refusesANegativeOne_andClosesOnTheCallingThread() {
    TestLoop loop = TestLoop.create();
    Machine<Probe> machine = loop.start(TIMED, new Probe());

    assertThatThrownBy(() -> loop.close(Duration.ofMillis(-1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("close(timeout): the timeout must be zero or more, not PT-0.001S");
    assertThat(loop.isClosed()).isFalse();

    assertThat(loop.close(Duration.ZERO)).isEmpty();
    assertThat(loop.isClosed()).isTrue();
    assertThat(machine.state().status()).isEqualTo(Status.STOPPED);
  }

  @Test
  void inLoop_isTrueOnTheTestsThread_inCallbacksToo_andFalseOnAnother() throws Exception {
    TestLoop loop = TestLoop.create();
    List<Boolean> seen = new ArrayList<>();
    MachineDefinition<Probe> asking = Stator.<String, Probe>machine("asking")
        .initial("a")
        .state("a", s -> s.on("look").then(probe -> seen.add(loop.inLoop())).stay())
        .build();
    Machine<Probe> machine = loop.start(asking, new Probe());

    machine.send("look");

    assertThat(seen).containsExactly(true);
    assertThat(loop.inLoop()).isTrue();
    assertThat(java.util.concurrent.CompletableFuture.supplyAsync(loop::inLoop)
        .get(10, java.util.concurrent.TimeUnit.SECONDS)).isFalse();
  }

  @Test
  void injecting_anotherPlan_replacesTheOneBefore_forADefinitionAlreadyStarted() {
    TestLoop loop = TestLoop.create().injecting(FaultPlan.builder()
        .entry("done").throwing().build());
    Machine<Probe> first = loop.start(TIMED, new Probe());
    loop.advance(Duration.ofSeconds(3));
    assertThat(first.state().status()).isEqualTo(Status.FAILED);

    loop.injecting(FaultPlan.builder().entry("done").onRun(99).throwing().build());
    Machine<Probe> second = loop.start(TIMED, new Probe());
    loop.advance(Duration.ofSeconds(3));

    assertThat(second.state().status()).isEqualTo(Status.RUNNING);
    assertThat(second.state().path()).isEqualTo("done");
  }

  @Test
  void checkFailures_throwsTheFailureOfAnyMachineTheTestStarted_howeverManyItStarted() {
    TestLoop loop = TestLoop.create();
    Machine<Probe> early = loop.start(TIMED, new Probe());
    for (int i = 0; i < 1100; i++) {
      loop.start(TIMED, new Probe());
    }
    early.lifecycle().exceptionally(failure -> null);

    early.send("fail");

    assertThatThrownBy(loop::checkFailures).isInstanceOf(MachineFailedException.class)
        .hasMessageContaining(early.id());
  }

  @Test
  void name_isTestLoop_andToStringSaysTimeMachinesAndTimers() {
    TestLoop loop = TestLoop.create();
    loop.start(TIMED, new Probe());
    loop.advance(Duration.ofSeconds(2));

    assertThat(loop.name()).isEqualTo("test-loop");
    assertThat(loop).hasToString("TestLoop [PT2S, 1 machines, 1 timers]");
  }
}
