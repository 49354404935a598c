package dev.stator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stator.dsl.Stator;
import dev.stator.internal.observe.Jfr;
import dev.stator.testing.TestLoop;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What a loop tells its {@link LoopObserver} (LoopOptions.withObserver), and what it costs. */
final class LoopObserverTest {

  /** Records what it hears; times every {@code timeEvery}-th step; may be told to throw. */
  static final class Recorder implements LoopObserver {
    final List<String> heard = new ArrayList<>();
    final int timeEvery;
    int asked;
    boolean throwing;
    EventLoop loop;

    Recorder(int timeEvery) {
      this.timeEvery = timeEvery;
    }

    @Override
    public boolean timesNextStep() {
      return asked++ % timeEvery == 0;
    }

    @Override
    public void stepEnded(String definitionId, long nanos) {
      heard.add("step " + definitionId + " " + nanos);
      if (throwing) {
        throw new IllegalStateException("observer broken on purpose");
      }
    }

    @Override
    public void faulted(String definitionId, Failure failure) {
      heard.add("fault " + definitionId + " " + failure.state() + " " + failure.phase());
    }

    @Override
    public void restarted(String definitionId, Failure failure) {
      heard.add("restart " + definitionId + " " + failure.state());
    }

    @Override
    public synchronized void deadLetter(DeadLetter letter) {
      heard.add("dead letter " + letter.machineId() + " " + letter.event());
    }

    @Override
    public void loopEnded() {
      heard.add("loop ended");
    }
  }

  private static final MachineDefinition<Object> DOOR = Stator.<String, Object>machine("door")
      .initial("closed")
      .state("closed", s -> s
          .on("open").goTo("open")
          .on("lock").goTo("locked")
          .on("leave").goTo("gone"))
      .state("open", s -> s.on("close").goTo("closed").after(Duration.ofSeconds(5)).goTo("closed"))
      .state("locked", s -> s.onEntry(c -> {
        throw new IllegalStateException("the lock jammed");
      }))
      .finalState("gone")
      .recovery(RecoveryPolicy.<Object>reset(Object::new).atMost(3, Duration.ofMinutes(1)))
      .build();

  private TestLoop loop;

  @AfterEach
  void close() {
    if (loop != null) {
      loop.close();
    }
  }

  private TestLoop observed(Recorder recorder) {
    loop = TestLoop.create(LoopOptions.DEFAULTS.withObserver(l -> {
      recorder.loop = l;
      return recorder;
    }), 0L);
    return loop;
  }

  @Test
  void observer_hearsEachStepWithItsDefinition_andADurationOnlyForTheStepsItTimes() {
    Recorder recorder = new Recorder(2);
    TestLoop loop = observed(recorder);

    Machine<Object> door = loop.start(DOOR, new Object());
    door.send("open");
    door.send("close");
    loop.advance(Duration.ofSeconds(1));

    // the virtual clock does not move within a step: a timed step lasted 0 ns
    assertThat(recorder.heard).containsExactly("step door 0", "step door -1", "step door 0");
    assertThat(recorder.loop).isSameAs(loop);
  }

  @Test
  void observer_hearsAStopAsAStep() {
    Recorder recorder = new Recorder(1);
    TestLoop loop = observed(recorder);
    Machine<Object> door = loop.start(DOOR, new Object());

    door.stop();
    loop.runUntilIdle();

    assertThat(door.state().status()).isEqualTo(Status.STOPPED);
    assertThat(recorder.heard).containsExactly("step door 0", "step door 0");
  }

  @Test
  void observer_hearsATimerFiringAsAStep() {
    Recorder recorder = new Recorder(1);
    TestLoop loop = observed(recorder);
    Machine<Object> door = loop.start(DOOR, new Object());
    door.send("open");

    loop.advance(Duration.ofSeconds(5));

    assertThat(door.state().path()).isEqualTo("closed");
    assertThat(recorder.heard).containsExactly("step door 0", "step door 0", "step door 0");
  }

  @Test
  void observer_hearsTheFaultAndTheRestartWithTheStateAndPhase() {
    Recorder recorder = new Recorder(1);
    TestLoop loop = observed(recorder);
    Machine<Object> door = loop.start(DOOR, new Object());

    door.send("lock");

    assertThat(recorder.heard).containsExactly("step door 0", "fault door locked ENTRY",
        "restart door locked", "step door 0");
  }

  @Test
  void observer_hearsEachDeadLetter() {
    Recorder recorder = new Recorder(1);
    TestLoop loop = observed(recorder);
    Machine<Object> door = loop.start(DOOR, "door-1", new Object());
    door.send("leave");
    recorder.heard.clear();

    door.send("open");

    assertThat(recorder.heard).containsExactly("dead letter door-1 open");
  }

  @Test
  void observer_isToldOnceThatTheLoopEnded() {
    Recorder recorder = new Recorder(1);
    TestLoop loop = observed(recorder);
    loop.start(DOOR, new Object());
    recorder.heard.clear();

    loop.close();
    loop.close();

    // the close stops the door (its exits are a step of their own), then the loop ends, once
    assertThat(recorder.heard).containsExactly("step door 0", "loop ended");
  }

  @Test
  void observer_thatThrows_isLoggedAndTheMachineGoesOn() {
    Recorder recorder = new Recorder(1);
    recorder.throwing = true;
    TestLoop loop = observed(recorder);
    Machine<Object> door = loop.start(DOOR, new Object());

    door.send("open");
    door.send("close");

    assertThat(door.state().path()).isEqualTo("closed");
    assertThat(door.state().status()).isEqualTo(Status.RUNNING);
    assertThat(recorder.heard).hasSize(3);
    loop.checkFailures();
  }

  @Test
  void withObserver_aFactoryThatReturnsNull_refusesTheLoopNamingTheOption() {
    LoopOptions options = LoopOptions.DEFAULTS.withObserver(l -> null);

    assertThatThrownBy(() -> TestLoop.create(options, 0L))
        .isInstanceOf(NullPointerException.class)
        .hasMessageContaining("LoopOptions.withObserver")
        .hasMessageContaining("expected an observer");
  }

  @Test
  void steps_areLookedAtWhileAnObservedLoopRuns_andNoLongerOnceItEnds() {
    boolean before = Jfr.stepsRecorded();
    TestLoop observed = observed(new Recorder(1));
    assertThat(Jfr.stepsRecorded()).isTrue();

    observed.close();

    assertThat(Jfr.stepsRecorded()).isEqualTo(before);
  }

  @Test
  void queuedEventsAndPendingTimers_countWhatWaits() throws Exception {
    loop = TestLoop.create();
    Machine<Object> door = loop.start(DOOR, new Object());
    door.send("open");
    assertThat(loop.pendingTimers()).isEqualTo(1);

    // sent from another thread, events wait in the inbox for the test loop's next run
    CompletableFuture.runAsync(() -> {
      door.send("close");
      door.send("open");
    }).get(10, TimeUnit.SECONDS);
    assertThat(((EventLoop) loop).queuedEvents()).isEqualTo(2);

    loop.runUntilIdle();
    assertThat(loop.queuedEvents()).isZero();
    assertThat(loop.pendingTimers()).isEqualTo(1);
  }
}
