package dev.stator;

import static dev.stator.Charts.machine;
import static dev.stator.Charts.run;
import static dev.stator.Charts.state;
import static org.assertj.core.api.Assertions.assertThat;

import dev.stator.dsl.Stator;
import dev.stator.testing.TestLoop;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * How a machine's end is made known and what it takes with it: the state it publishes while
 * recovery decides, the lifecycle future that is never left pending, the events it had not yet
 * taken (dead letters, each with its reason), the children it started even while ending, and the
 * loop's list of live machines it leaves.
 */
final class HowAMachineEndsTest {

  private final List<DeadLetter> deadLetters = new ArrayList<>();
  private final List<Failure> unobserved = new ArrayList<>();
  private final List<Failure> fatal = new ArrayList<>();
  private final TestLoop loop = TestLoop.create(LoopOptions.DEFAULTS
      .withDeadLetterHandler(deadLetters::add)
      .withUnobservedFailureHandler(unobserved::add)
      .withFatalFailureHandler(fatal::add), 0);

  /** A call that never completes by itself; "break" faults the machine while it is in flight. */
  static final class Line {
    final List<CompletableFuture<String>> dials = new ArrayList<>();
  }

  private static MachineDefinition<Line> dialling(RecoveryPolicy<Line> policy) {
    return Stator.<String, Line>machine("dialling")
        .recovery(policy)
        .initial("DIALLING")
        .state("DIALLING", s -> s
            .invokeAsync("dial", (line, step) -> {
              CompletableFuture<String> dial = new CompletableFuture<>();
              line.dials.add(dial);
              return dial;
            }, Duration.ofSeconds(30))
            .on("break").then((line, step) -> {
              throw new IllegalStateException("broken");
            }).stay()
            .onDone("dial").goTo("UP"))
        .state("UP")
        .build();
  }

  private static RecoveryPolicy<Line> resetAfter(Duration backoff) {
    return RecoveryPolicy.<Line>reset(Line::new).backoff(backoff, backoff)
        .atMost(5, Duration.ofMinutes(10));
  }

  private static Throwable causeOf(CompletableFuture<?> lifecycle) {
    try {
      lifecycle.join();
      throw new AssertionError("the lifecycle future completed normally");
    } catch (CompletionException e) {
      return e.getCause();
    }
  }

  // ---------------------------------------------------------------- while recovery decides

  @Test
  void aFaultedMachineAwaitingItsRestart_showsFailed_andHasItsCallCancelledAtTheFault() {
    Line line = new Line();
    Machine<Line> machine = loop.start(dialling(resetAfter(Duration.ofSeconds(10))), line);

    machine.send("break");

    assertThat(machine.state().status()).isEqualTo(Status.FAILED);
    assertThat(machine.state().failure().cause()).hasMessage("broken");
    assertThat(line.dials).hasSize(1);
    assertThat(line.dials.get(0)).isCancelled();
    assertThat(machine.lifecycle()).isNotDone();

    loop.advance(Duration.ofSeconds(10));

    assertThat(machine.state().status()).isEqualTo(Status.RUNNING);
    assertThat(machine.state().path()).isEqualTo("DIALLING");
  }

  @Test
  void stoppingAMachineAwaitingItsRestart_endsItFailed_andNoRestartFollows() {
    Line line = new Line();
    Machine<Line> machine = loop.start(dialling(resetAfter(Duration.ofSeconds(10))), line);
    machine.send("break");

    machine.stop();
    loop.advance(Duration.ofMinutes(1));

    assertThat(machine.lifecycle()).isCompletedExceptionally();
    assertThat(causeOf(machine.lifecycle())).isInstanceOf(MachineFailedException.class);
    assertThat(machine.state().status()).isEqualTo(Status.FAILED);
    assertThat(line.dials).hasSize(1);
    assertThat(loop.liveMachines()).isZero();
  }

  @Test
  void closingTheLoopWhileAMachineAwaitsItsRestart_endsIt_andLeavesNoLiveMachine() {
    Machine<Line> machine = loop.start(dialling(resetAfter(Duration.ofSeconds(10))), new Line());
    machine.send("break");

    loop.close();

    assertThat(machine.lifecycle()).isCompletedExceptionally();
    assertThat(loop.liveMachines()).isZero();
  }

  // ---------------------------------------------------------------- stop

  @Test
  void anExitActionThatThrowsOnStop_failsTheMachine_andCompletesItsLifecycle() {
    MachineDefinition<Object> definition = machine("m",
        state("a").exit(run(() -> {
          throw new IllegalStateException("exit refused");
        })));
    Machine<Object> machine = loop.start(definition, new Object());

    machine.stop();

    assertThat(machine.state().status()).isEqualTo(Status.FAILED);
    assertThat(machine.lifecycle()).isCompletedExceptionally();
    MachineFailedException failed = (MachineFailedException) causeOf(machine.lifecycle());
    assertThat(failed.failure().phase()).isEqualTo(Phase.STOP);
    assertThat(failed.failure().cause()).hasMessage("exit refused");
    assertThat(loop.liveMachines()).isZero();
  }

  @Test
  void aChildStartedByAnExitActionWhileItsParentStops_isStoppedWithIt() {
    MachineDefinition<Object> idle = machine("idle", state("waiting"));
    List<Machine<Object>> children = new ArrayList<>();
    MachineDefinition<Object> parent = machine("parent",
        Charts.<Object>state("a").exit((context, step) ->
            children.add(step.startChild(idle, new Object()))));
    Machine<Object> machine = loop.start(parent, new Object());

    machine.stop();
    loop.runUntilIdle();

    assertThat(machine.state().status()).isEqualTo(Status.STOPPED);
    assertThat(children).hasSize(1);
    assertThat(children.get(0).lifecycle()).isCompleted();
    assertThat(children.get(0).state().status()).isEqualTo(Status.STOPPED);
    assertThat(loop.liveMachines()).isZero();
    assertThat(deadLetters).isEmpty();
  }

  @Test
  void stoppingAParent_runsItsChildsExitActionsBeforeItsOwn() {
    List<String> exits = new ArrayList<>();
    MachineDefinition<Object> child = machine("child",
        state("waiting").exit(run(() -> exits.add("child"))));
    MachineDefinition<Object> parent = machine("parent",
        Charts.<Object>state("a")
            .entry((context, step) -> step.startChild(child, new Object()))
            .exit(run(() -> exits.add("parent"))));
    Machine<Object> machine = loop.start(parent, new Object());

    machine.stop();

    assertThat(exits).containsExactly("child", "parent");
  }

  @Test
  void afterAStop_theLoopGoesOnStepping_theNextSendIsProcessedAtOnce() {
    MachineDefinition<Object> definition = machine("m", state("a").on("go", "b"), state("b"));
    Machine<Object> stopped = loop.start(definition, new Object());
    Machine<Object> other = loop.start(definition, new Object());

    stopped.stop();
    other.send("go");

    assertThat(other.state().path()).isEqualTo("b");
  }

  @Test
  void aVirtualMachineErrorFromAnExitActionOnStop_takesTheFatalPath() {
    MachineDefinition<Object> definition = machine("m",
        state("a").exit(run(() -> {
          throw new InternalError("simulated: the JVM is broken in an exit action");
        })));
    Machine<Object> machine = loop.start(definition, new Object());
    Machine<Object> bystander = loop.start(machine("b", state("a")), new Object());

    machine.stop();

    assertThat(fatal).singleElement().satisfies(failure ->
        assertThat(failure.cause()).isInstanceOf(InternalError.class));
    assertThat(loop.isClosed()).isTrue();
    assertThat(bystander.lifecycle()).isCompletedExceptionally();
  }

  @Test
  void eventsTakenBeforeAStartThatNeverRan_areDeadLetters_whenTheMachineIsStopped()
      throws InterruptedException {
    MachineDefinition<Object> idle = machine("idle", state("waiting"));
    AtomicReference<Machine<Object>> started = new AtomicReference<>();
    OtherThread.run(() -> started.set(loop.start(idle, "late", new Object())));
    Machine<Object> machine = started.get();

    // from a task on the loop thread: its queue is taken before the other thread's start
    loop.execute(() -> {
      machine.send("hello");
      machine.stop();
    });
    loop.runUntilIdle();

    assertThat(machine.state().status()).isEqualTo(Status.STOPPED);
    assertThat(machine.lifecycle()).isCompleted();
    assertThat(deadLetters).extracting(DeadLetter::event).containsExactly("hello");
    assertThat(deadLetters.get(0).reason()).contains("before it started");
    assertThat(loop.liveMachines()).isZero();
  }

  @Test
  void aChildStoppedBeforeItsStartRan_leavesTheLoopsLiveMachines() {
    MachineDefinition<Object> idle = machine("idle", state("waiting"));
    List<Integer> liveAfterStop = new ArrayList<>();
    MachineDefinition<Object> parent = machine("parent",
        Charts.<Object>state("a").on("spawn", null, (context, step) -> {
          Machine<Object> child = step.startChild(idle, new Object());
          child.stop();
          liveAfterStop.add(step.machine().loop().liveMachines());
        }));
    Machine<Object> machine = loop.start(parent, new Object());

    machine.send("spawn");
    loop.runUntilIdle();

    assertThat(liveAfterStop).containsExactly(1);
    assertThat(loop.liveMachines()).isEqualTo(1);
  }

  // ---------------------------------------------------------------- completion

  @Test
  void anEventRaisedByTheStepThatCompletesTheMachine_isADeadLetter() {
    MachineDefinition<Object> definition = machine("m",
        Charts.<Object>state("a").on("finish", "done", (context, step) -> step.raise("echo")),
        Charts.<Object>state("done").asFinal());
    Machine<Object> machine = loop.start(definition, new Object());

    machine.send("finish");

    assertThat(machine.state().status()).isEqualTo(Status.COMPLETED);
    assertThat(deadLetters).extracting(DeadLetter::event).containsExactly("echo");
    assertThat(deadLetters.get(0).reason()).contains("COMPLETED");
  }

  @Test
  void listenersHearTheLastStepBeforeTheEnd() {
    MachineDefinition<Object> definition = machine("m",
        Charts.<Object>state("a").on("finish", "done"),
        Charts.<Object>state("done").asFinal());
    Machine<Object> machine = loop.start(definition, new Object());
    List<String> heard = new ArrayList<>();
    machine.addListener(new MachineListener<Object>() {
      @Override
      public void onTransition(Machine<Object> m, String from, Object event, String to) {
        heard.add(from + " -" + event + "-> " + to);
      }

      @Override
      public void onTerminated(Machine<Object> m, StateSnapshot last) {
        heard.add("terminated " + last.status());
      }
    });

    machine.send("finish");

    assertThat(heard).containsExactly("a -finish-> done", "terminated COMPLETED");
  }

  // ---------------------------------------------------------------- lifecycle dependents

  @Test
  void anInterruptLeftByALifecycleDependent_doesNotFailTheNextMachineToStep() {
    MachineDefinition<Object> finishing = machine("finishing",
        Charts.<Object>state("a").on("finish", "done"),
        Charts.<Object>state("done").asFinal());
    List<Boolean> interruptedInStep = new ArrayList<>();
    MachineDefinition<Object> bystander = machine("bystander",
        Charts.<Object>state("a").on("ping", null, (context, step) ->
            interruptedInStep.add(Thread.currentThread().isInterrupted())));
    Machine<Object> ending = loop.start(finishing, new Object());
    Machine<Object> other = loop.start(bystander, new Object());
    ending.lifecycle().whenComplete((termination, error) -> {
      Thread.currentThread().interrupt();
      other.send("ping");
    });

    ending.send("finish");

    assertThat(Thread.interrupted()).isFalse();
    assertThat(interruptedInStep).containsExactly(false);
    assertThat(other.state().status()).isEqualTo(Status.RUNNING);
  }

  @Test
  void anInterruptLeftByALifecycleDependentOutsideAnyStep_doesNotFailTheNextMachineToStep() {
    List<Boolean> interruptedInStep = new ArrayList<>();
    MachineDefinition<Object> bystander = machine("bystander",
        Charts.<Object>state("a").on("ping", null, (context, step) ->
            interruptedInStep.add(Thread.currentThread().isInterrupted())));
    Machine<Line> ending = loop.start(dialling(resetAfter(Duration.ofSeconds(10))), new Line());
    Machine<Object> other = loop.start(bystander, new Object());
    ending.send("break");
    ending.lifecycle().whenComplete((termination, error) -> {
      Thread.currentThread().interrupt();
      other.send("ping");
    });

    // the stop ends the machine awaiting its restart outside any step of its own
    ending.stop();

    assertThat(Thread.interrupted()).isFalse();
    assertThat(ending.lifecycle()).isCompletedExceptionally();
    assertThat(interruptedInStep).containsExactly(false);
    assertThat(other.state().status()).isEqualTo(Status.RUNNING);
  }

  // ---------------------------------------------------------------- the fatal path

  @Test
  void theFatalPath_cancelsABystandersCall_andTellsTheFatalHandlerOnce() {
    Line line = new Line();
    Machine<Line> bystander = loop.start(dialling(RecoveryPolicy.exit()), line);
    MachineDefinition<Object> breaking = machine("breaking",
        Charts.<Object>state("a").on("break", null, (context, step) -> {
          step.raise("never taken");
          throw new InternalError("simulated: the JVM is broken");
        }));
    Machine<Object> culprit = loop.start(breaking, new Object());

    culprit.send("break");

    assertThat(line.dials).hasSize(1);
    assertThat(line.dials.get(0)).isCancelled();
    assertThat(bystander.state().status()).isEqualTo(Status.FAILED);
    assertThat(causeOf(bystander.lifecycle())).isInstanceOf(MachineFailedException.class);
    assertThat(fatal).hasSize(1);
    assertThat(fatal.get(0).cause()).isInstanceOf(InternalError.class);
    assertThat(unobserved).isEmpty();
    assertThat(deadLetters).extracting(DeadLetter::event).containsExactly("never taken");
    assertThat(deadLetters.get(0).reason()).contains("fatal error");
    assertThat(loop.liveMachines()).isZero();
    // both final failures are kept for the test's check, the culprit's first
    assertThat(checkedFailures(loop)).containsExactly(culprit.id(), bystander.id());
  }

  private static List<String> checkedFailures(TestLoop loop) {
    List<String> ids = new ArrayList<>();
    while (true) {
      try {
        loop.checkFailures();
        return ids;
      } catch (MachineFailedException e) {
        ids.add(e.failure().machineId());
      }
    }
  }

  @Test
  void theFatalPath_dropsTheEventsAMachineTookBeforeItsStartRan() throws InterruptedException {
    MachineDefinition<Object> breaking = machine("breaking",
        Charts.<Object>state("a").on("break", null, (context, step) -> {
          throw new InternalError("simulated: the JVM is broken");
        }));
    Machine<Object> culprit = loop.start(breaking, new Object());
    MachineDefinition<Object> idle = machine("idle", state("waiting"));
    AtomicReference<Machine<Object>> started = new AtomicReference<>();
    OtherThread.run(() -> started.set(loop.start(idle, "late", new Object())));
    Machine<Object> late = started.get();

    // from a task on the loop thread: "hello" reaches the machine before its start does
    loop.execute(() -> {
      late.send("hello");
      culprit.send("break");
    });

    assertThat(late.lifecycle()).isCompletedExceptionally();
    assertThat(late.state().path()).isEmpty();
    assertThat(deadLetters).extracting(DeadLetter::event).containsExactly("hello");
    assertThat(deadLetters.get(0).reason()).contains("fatal error");
  }
}
