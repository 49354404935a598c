package dev.stator.dsl;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stator.ChildTerminated;
import dev.stator.Machine;
import dev.stator.MachineDefinition;
import dev.stator.MachineFailedException;
import dev.stator.Status;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Issue 3, item 6: children, their ends, and escalation up the tree. */
final class SupervisionTest {

  private final Probe probe = new Probe();
  private final List<Machine<?>> children = new ArrayList<>();
  private final List<String> log = new ArrayList<>();

  private final MachineDefinition<Recorder> child = Stator.<String, Recorder>machine("child")
      .initial("RUN")
      .state("RUN", s -> s
          .onExit(r -> log.add("child exit"))
          .on("crash").then(r -> {
            throw new IllegalStateException("child crashed");
          }).stay()
          .on("finish").goTo("DONE"))
      .finalState("DONE")
      .build();

  private MachineDefinition<Recorder> parent(boolean handlesChildFailure) {
    return Stator.<String, Recorder>machine("parent")
        .initial("SUPERVISING")
        .state("SUPERVISING", s -> {
          s.onEntry((r, step) -> children.add(step.startChild(child, new Recorder())))
              .onExit(r -> log.add("parent exit"))
              .on(ChildTerminated.class).when((r, step) -> step.event().status() == Status.COMPLETED)
              .then((r, step) -> log.add("child completed")).stay();
          if (handlesChildFailure) {
            s.on(ChildTerminated.class).then((r, step) -> log.add("child failed: "
                + step.event().failure().cause().getMessage())).goTo("DEGRADED");
          }
          s.on("quit").goTo("GONE");
        })
        .state("DEGRADED")
        .finalState("GONE")
        .build();
  }

  @Test
  void childCompletion_arrivesAtTheParentAsAnEvent() {
    Machine<Recorder> parent = probe.loop.start(parent(false), new Recorder());

    ((Machine<?>) children.get(0)).send("finish");

    assertThat(log).containsExactly("child exit", "child completed");
    assertThat(parent.state().path()).isEqualTo("SUPERVISING");
  }

  @Test
  void childFailure_handledByTheParent_isAnOrdinaryTransition() {
    Machine<Recorder> parent = probe.loop.start(parent(true), new Recorder());

    children.get(0).send("crash");

    assertThat(parent.state().path()).isEqualTo("DEGRADED");
    assertThat(log).containsExactly("parent exit", "child failed: child crashed");
    assertThat(probe.unobserved).as("the parent observed it").isEmpty();
    assertThat(probe.escalated).as("a child escalates to its parent, not the loop").isEmpty();
  }

  @Test
  void childFailure_unhandledByTheParent_isTheParentsFault() {
    Machine<Recorder> parent = probe.loop.start(parent(false), new Recorder());

    children.get(0).send("crash");

    assertThat(parent.state().status()).isEqualTo(Status.FAILED);
    assertThat(parent.state().failure().cause()).isInstanceOf(MachineFailedException.class)
        .hasMessageContaining("machine 'child-");
    assertThat(probe.escalated).containsExactly(parent.state().failure());
  }

  @Test
  void parentStop_stopsItsChildrenFirst() {
    Machine<Recorder> parent = probe.loop.start(parent(false), new Recorder());
    Machine<?> theChild = children.get(0);

    parent.stop();

    assertThat(log).containsExactly("child exit", "parent exit");
    assertThat(theChild.state().status()).isEqualTo(Status.STOPPED);
    assertThat(parent.lifecycle()).isCompleted();
    assertThat(probe.loop.liveMachines()).isZero();
  }

  @Test
  void parentReachingItsFinalState_leavesNoChildRunning() {
    Machine<Recorder> parent = probe.loop.start(parent(false), new Recorder());
    Machine<?> theChild = children.get(0);
    List<Status> childWhenParentEnded = new ArrayList<>();
    parent.lifecycle().thenRun(() -> childWhenParentEnded.add(theChild.state().status()));

    parent.send("quit");

    assertThat(childWhenParentEnded).containsExactly(Status.STOPPED);
    assertThat(probe.loop.liveMachines()).isZero();
  }

  @Test
  void childStartedByAnExitActionDuringStop_isStoppedWithItsParent() {
    List<Machine<?>> late = new ArrayList<>();
    Machine<Recorder> parent = probe.loop.start(Stator.<String, Recorder>machine("parent")
        .initial("A")
        .state("A", s -> s.onExit((r, step) -> late.add(step.startChild(child, new Recorder()))))
        .build(), new Recorder());

    parent.stop();
    probe.loop.runUntilIdle();

    assertThat(late).singleElement().satisfies(c -> assertThat(c.lifecycle()).isDone());
    assertThat(probe.loop.liveMachines()).isZero();
  }
}
