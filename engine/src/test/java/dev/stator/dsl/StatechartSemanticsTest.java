package dev.stator.dsl;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stator.Machine;
import dev.stator.MachineDefinition;
import dev.stator.Status;
import dev.stator.testing.TestLoop;
import java.util.List;
import org.junit.jupiter.api.Test;

final class StatechartSemanticsTest {

  private final TestLoop loop = TestLoop.create();

  private static StateBuilder<String, Recorder> traced(StateBuilder<String, Recorder> s, String name) {
    return s.onEntry(r -> r.add("enter " + name)).onExit(r -> r.add("exit " + name));
  }

  @Test
  void transition_acrossThreeLevels_exitsInnermostFirstAndEntersOutermostFirst() {
    MachineDefinition<Recorder> definition = Stator.<String, Recorder>machine("nested")
        .initial("A")
        .state("A", a -> traced(a, "A").initial("A1")
            .state("A1", a1 -> traced(a1, "A1").initial("A2")
                .state("A2", a2 -> traced(a2, "A2").on("go").then(r -> r.add("action")).goTo("B2"))))
        .state("B", b -> traced(b, "B").initial("B1")
            .state("B1", b1 -> traced(b1, "B1").initial("B2")
                .state("B2", b2 -> traced(b2, "B2"))))
        .build();
    Recorder recorder = new Recorder();
    Machine<Recorder> machine = loop.start(definition, recorder);

    assertThat(recorder.log).containsExactly("enter A", "enter A1", "enter A2");
    recorder.log.clear();
    machine.send("go");

    assertThat(recorder.log).containsExactly(
        "exit A2", "exit A1", "exit A", "action", "enter B", "enter B1", "enter B2");
    assertThat(machine.state().path()).isEqualTo("B/B1/B2");
  }

  @Test
  void guards_areTriedInnermostStateFirstThenInDocumentOrder() {
    MachineDefinition<Recorder> definition = Stator.<String, Recorder>machine("guards")
        .initial("P")
        .state("P", p -> p.initial("C")
            .on("e").goTo("FROM_PARENT")
            .state("C", c -> c
                .on("e").when(r -> r.counter == 1).goTo("FIRST")
                .on("e").when(r -> r.counter >= 1).goTo("SECOND")))
        .state("FIRST").state("SECOND").state("FROM_PARENT")
        .build();

    Recorder zero = new Recorder();
    Machine<Recorder> parentWins = loop.start(definition, zero);
    parentWins.send("e");
    assertThat(parentWins.state().path()).isEqualTo("FROM_PARENT");

    Recorder one = new Recorder();
    one.counter = 1;
    Machine<Recorder> firstWins = loop.start(definition, one);
    firstWins.send("e");
    assertThat(firstWins.state().path()).isEqualTo("FIRST");

    Recorder two = new Recorder();
    two.counter = 2;
    Machine<Recorder> secondWins = loop.start(definition, two);
    secondWins.send("e");
    assertThat(secondWins.state().path()).isEqualTo("SECOND");
  }

  @Test
  void selfTransition_externalRunsExitAndEntry_internalRunsOnlyItsAction() {
    MachineDefinition<Recorder> definition = Stator.<String, Recorder>machine("self")
        .initial("S")
        .state("S", s -> traced(s, "S")
            .on("external").then(r -> r.add("external action")).goTo("S")
            .on("internal").then(r -> r.add("internal action")).stay())
        .build();
    Recorder recorder = new Recorder();
    Machine<Recorder> machine = loop.start(definition, recorder);
    recorder.log.clear();

    machine.send("external");
    assertThat(recorder.log).containsExactly("exit S", "external action", "enter S");
    recorder.log.clear();

    machine.send("internal");
    assertThat(recorder.log).containsExactly("internal action");
  }

  @Test
  void internalTransitionToChild_keepsTheSourceActive() {
    MachineDefinition<Recorder> definition = Stator.<String, Recorder>machine("internal-child")
        .initial("P")
        .state("P", p -> traced(p, "P").initial("X")
            .on("toY").internal().goTo("Y")
            .on("toYExternal").goTo("Y")
            .state("X", x -> traced(x, "X"))
            .state("Y", y -> traced(y, "Y")))
        .build();
    Recorder recorder = new Recorder();
    Machine<Recorder> machine = loop.start(definition, recorder);
    recorder.log.clear();

    machine.send("toY");
    assertThat(recorder.log).containsExactly("exit X", "enter Y");
    recorder.log.clear();

    machine.send("toYExternal");
    assertThat(recorder.log).containsExactly("exit Y", "exit P", "enter P", "enter Y");
  }

  @Test
  void internalTransitionOfAParallelState_keepsItActive_andEntersTheOtherRegionsByDefault() {
    // XState v5's default for a target inside the source: the parallel source is not exited;
    // everything below it is, and what the targets do not enter is entered by default
    MachineDefinition<Recorder> definition = Stator.<String, Recorder>machine("internal-parallel")
        .initial("P")
        .parallel("P", p -> traced(p, "P")
            .on("toA2").internal().goTo("P/A/A2")
            .on("toA2External").goTo("P/A/A2")
            .state("A", a -> traced(a, "A").initial("A1")
                .state("A1", a1 -> traced(a1, "A1").on("next").goTo("A2"))
                .state("A2", a2 -> traced(a2, "A2")))
            .state("B", b -> traced(b, "B").initial("B1")
                .state("B1", b1 -> traced(b1, "B1").on("next").goTo("B2"))
                .state("B2", b2 -> traced(b2, "B2"))))
        .build();
    Recorder recorder = new Recorder();
    Machine<Recorder> machine = loop.start(definition, recorder);
    machine.send("next");
    recorder.log.clear();

    machine.send("toA2");
    assertThat(recorder.log).containsExactly(
        "exit B2", "exit B", "exit A2", "exit A", "enter A", "enter A2", "enter B", "enter B1");
    assertThat(machine.state().activeStates()).containsExactly("P/A/A2", "P/B/B1");
    recorder.log.clear();

    machine.send("toA2External");
    assertThat(recorder.log).containsExactly("exit B1", "exit B", "exit A2", "exit A", "exit P",
        "enter P", "enter A", "enter A2", "enter B", "enter B1");
  }

  @Test
  void eventlessTransitions_chainUntilNoGuardHolds() {
    MachineDefinition<Recorder> definition = Stator.<String, Recorder>machine("choice")
        .initial("IDLE")
        .state("IDLE", s -> s.on("compute").then(r -> r.counter = 7).goTo("CHOOSE"))
        .state("CHOOSE", s -> s
            .always().when(r -> r.counter > 5).goTo("BIG")
            .always().goTo("SMALL"))
        .state("BIG", s -> s.always().when(r -> r.counter % 2 == 1).goTo("ODD"))
        .state("SMALL")
        .state("ODD")
        .build();
    Machine<Recorder> machine = loop.start(definition, new Recorder());
    List<String> seen = new java.util.ArrayList<>();
    machine.addListener(new dev.stator.MachineListener<>() {
      @Override
      public void onTransition(Machine<Recorder> m, String from, Object event, String to) {
        seen.add(from + "->" + to);
      }
    });

    machine.send("compute");

    assertThat(machine.state().path()).isEqualTo("ODD");
    assertThat(seen).containsExactly("IDLE->CHOOSE", "CHOOSE->BIG", "BIG->ODD");
  }

  @Test
  void raisedEvents_areProcessedBeforeExternalEventsSentDuringTheStep() {
    MachineDefinition<Recorder> definition = Stator.<String, Recorder>machine("raise")
        .initial("S")
        .state("S", s -> s
            .on("start").then((r, step) -> {
              step.machine().send("external");
              step.raise("internal");
            }).stay()
            .on("internal").then(r -> r.add("internal")).stay()
            .on("external").then(r -> r.add("external")).stay())
        .build();
    Recorder recorder = new Recorder();
    Machine<Recorder> machine = loop.start(definition, recorder);

    machine.send("start");

    assertThat(recorder.log).containsExactly("internal", "external");
  }

  @Test
  void sendToSelfFromACallback_isQueuedAndNeverReentrant() {
    MachineDefinition<Recorder> definition = Stator.<String, Recorder>machine("self-send")
        .initial("S")
        .state("S", s -> s
            .on("ping").then((r, step) -> {
              r.add("ping start");
              step.machine().send("pong");
              r.add("ping end");
            }).stay()
            .on("pong").then(r -> r.add("pong")).stay())
        .build();
    Recorder recorder = new Recorder();
    loop.start(definition, recorder).send("ping");

    assertThat(recorder.log).containsExactly("ping start", "ping end", "pong");
  }

  private static MachineDefinition<Recorder> logging(String id) {
    return Stator.<String, Recorder>machine(id)
        .initial("S")
        .state("S", s -> s.on("go").then(r -> r.add(id + " took go")).goTo("T"))
        .state("T", s -> s.on("go").then(r -> r.add(id + " took go")).goTo("S"))
        .build();
  }

  @Test
  void sendFromATaskToAMachineWithNothingQueued_isDeliveredBeforeSendReturns() {
    Recorder recorder = new Recorder();
    Machine<Recorder> machine = loop.start(logging("m"), recorder);
    List<String> seenBySender = new java.util.ArrayList<>();

    loop.execute(() -> {
      machine.send("go");
      seenBySender.add(machine.state().path());
    });

    assertThat(recorder.log).containsExactly("m took go");
    assertThat(seenBySender).containsExactly("T");
  }

  @Test
  void sendFromATask_staysBehindWorkAlreadyQueuedOnTheLoop() {
    Recorder recorder = new Recorder();
    Machine<Recorder> machine = loop.start(logging("m"), recorder);

    loop.execute(() -> {
      loop.execute(() -> recorder.add("queued task"));
      machine.send("go");
      recorder.add("task done");
    });

    assertThat(recorder.log).containsExactly("task done", "queued task", "m took go");
  }

  @Test
  void sendFromAListenerOfADirectlyDeliveredEvent_isQueuedNotNested() {
    Recorder shared = new Recorder();
    Machine<Recorder> second = loop.start(logging("second"), shared);
    Machine<Recorder> first = loop.start(logging("first"), shared);
    first.addListener(new dev.stator.MachineListener<>() {
      @Override
      public void onTransition(Machine<Recorder> m, String from, Object event, String to) {
        shared.add("listener of first starts");
        second.send("go");
        shared.add("listener of first ends");
      }
    });

    loop.execute(() -> first.send("go"));

    assertThat(shared.log).containsExactly("first took go", "listener of first starts",
        "listener of first ends", "second took go");
  }

  enum Command {
    GO {
      @Override
      public String toString() {
        return "go!";
      }
    },
    STOP
  }

  @Test
  void enumConstantsWithBodies_matchLikeAnyOtherConstant() {
    MachineDefinition<Recorder> definition = Stator.<String, Recorder>machine("bodies")
        .initial("A")
        .state("A", s -> s.on(Command.GO).then(r -> r.add("go")).goTo("B"))
        .state("B", s -> s.on(Command.STOP).then(r -> r.add("stop")).goTo("A"))
        .build();
    Recorder recorder = new Recorder();
    Machine<Recorder> machine = loop.start(definition, recorder);

    machine.send(Command.GO);
    machine.send(Command.STOP);
    machine.send(Command.GO);

    assertThat(recorder.log).containsExactly("go", "stop", "go");
    assertThat(machine.state().path()).isEqualTo("B");
  }

  @Test
  void aStackOverflowInAListenerOfADirectStep_doesNotReachTheSendingTask() {
    Recorder shared = new Recorder();
    Machine<Recorder> first = loop.start(logging("first"), shared);
    Machine<Recorder> second = loop.start(logging("second"), shared);
    first.addListener(new dev.stator.MachineListener<>() {
      @Override
      public void onTransition(Machine<Recorder> m, String from, Object event, String to) {
        throw new StackOverflowError("listener");
      }
    });

    loop.execute(() -> {
      first.send("go");
      second.send("go");
      shared.add("task went on");
    });

    assertThat(shared.log).containsExactly("first took go", "second took go", "task went on");
  }

  @Test
  void twoTestLoopsOnOneThread_neverRunAStepInsideAnotherLoopsStep() {
    TestLoop other = TestLoop.create();
    Recorder shared = new Recorder();
    Machine<Recorder> near = loop.start(logging("near"), shared);
    Machine<Recorder> far = other.start(Stator.<String, Recorder>machine("far")
        .initial("S")
        .state("S", s -> s.on("go").then(r -> {
          r.add("far starts");
          near.send("go");
          r.add("far ends");
        }).stay())
        .build(), shared);

    loop.execute(() -> far.send("go"));
    loop.runUntilIdle();

    assertThat(shared.log).containsExactly("far starts", "far ends", "near took go");
  }

  record Deposit(int amount) {}

  @Test
  void payloadEvents_matchByTypeAndReachGuardsAndActionsTyped() {
    MachineDefinition<Recorder> definition = Stator.<String, Recorder>machine("typed")
        .initial("OPEN")
        .state("OPEN", s -> s
            .on(Deposit.class).when((r, step) -> step.event().amount() > 100).goTo("REVIEW")
            .on(Deposit.class).then((r, step) -> r.counter += step.event().amount()).stay())
        .state("REVIEW")
        .build();
    Recorder recorder = new Recorder();
    Machine<Recorder> machine = loop.start(definition, recorder);

    machine.send(new Deposit(30));
    machine.send(new Deposit(12));
    assertThat(recorder.counter).isEqualTo(42);
    assertThat(machine.state().path()).isEqualTo("OPEN");

    machine.send(new Deposit(500));
    assertThat(machine.state().path()).isEqualTo("REVIEW");
  }

  enum Light { RED, GREEN }

  enum Signal { NEXT }

  @Test
  void enumStatesAndEvents_readLikeTheDiagram() {
    MachineDefinition<Recorder> definition = Stator.<Light, Recorder>machine("light")
        .initial(Light.RED)
        .state(Light.RED, s -> s.on(Signal.NEXT).goTo(Light.GREEN))
        .state(Light.GREEN, s -> s.on(Signal.NEXT).goTo(Light.RED))
        .build();
    Machine<Recorder> machine = loop.start(definition, new Recorder());

    machine.send(Signal.NEXT);
    assertThat(machine.state().path()).isEqualTo("GREEN");
    machine.send("NEXT");
    assertThat(machine.state().path()).as("a string does not match an enum constant")
        .isEqualTo("GREEN");
  }

  @Test
  void topLevelFinalState_completesTheLifecycleWithTheFinalStateAndContext() {
    MachineDefinition<Recorder> definition = Stator.<String, Recorder>machine("job")
        .initial("WORK")
        .state("WORK", s -> s.on("done").goTo("DONE"))
        .finalState("DONE")
        .build();
    Recorder recorder = new Recorder();
    Machine<Recorder> machine = loop.start(definition, recorder);
    assertThat(machine.lifecycle()).isNotDone();

    machine.send("done");

    assertThat(machine.lifecycle()).isCompleted();
    var termination = machine.lifecycle().join();
    assertThat(termination.status()).isEqualTo(Status.COMPLETED);
    assertThat(termination.finalPath()).isEqualTo("DONE");
    assertThat(termination.context()).isSameAs(recorder);
    assertThat(machine.state().status()).isEqualTo(Status.COMPLETED);
  }

  @Test
  void nestedFinalState_raisesDoneEventForItsParent() {
    MachineDefinition<Recorder> definition = Stator.<String, Recorder>machine("steps")
        .initial("TASK")
        .state("TASK", t -> t.initial("STEP1")
            .on("done.state.TASK").goTo("AFTER")
            .state("STEP1", s -> s.on("next").goTo("FINISHED"))
            .finalState("FINISHED"))
        .state("AFTER")
        .build();
    Machine<Recorder> machine = loop.start(definition, new Recorder());

    machine.send("next");

    assertThat(machine.state().path()).isEqualTo("AFTER");
  }

  @Test
  void closingTheTestLoopFromACallback_completesAfterTheStepWithoutReenteringIt() {
    MachineDefinition<Recorder> definition = Stator.<String, Recorder>machine("closer")
        .initial("A")
        .state("A", s -> s.onExit(r -> r.add("exit A"))
            .on("close").then(r -> loop.close()).goTo("B"))
        .state("B", s -> s.onEntry(r -> r.add("enter B")).onExit(r -> r.add("exit B")))
        .build();
    Recorder recorder = new Recorder();
    Machine<Recorder> machine = loop.start(definition, recorder);

    machine.send("close");

    assertThat(recorder.log).containsExactly("exit A", "enter B", "exit B");
    assertThat(machine.state().status()).isEqualTo(Status.STOPPED);
    assertThat(machine.lifecycle().join().finalPath()).isEqualTo("B");
    assertThat(loop.isClosed()).isTrue();
  }
}
