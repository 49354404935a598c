package dev.stator.durable;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stator.Machine;
import dev.stator.MachineDefinition;
import dev.stator.MachineFailedException;
import dev.stator.Phase;
import dev.stator.RecoveryPolicy;
import dev.stator.Status;
import dev.stator.dsl.Stator;
import dev.stator.testing.TestLoop;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A durable machine hands its image to its sink after every step, and a durable send completes
 * only once the step that consumed it is stored; a store that fails is a fault of the machine.
 */
final class DurableStepsTest {

  private final TestLoop loop = TestLoop.create();
  private final List<MachineImage> images = new ArrayList<>();
  private final List<StepCommit> commits = new ArrayList<>();
  private final Durability<Ledger> durability = new Durability<>(Ledger.CODEC,
      (image, commit) -> {
        images.add(image);
        commits.add(commit);
      });

  private static final MachineDefinition<Ledger> COUNTER = Stator.<String, Ledger>machine("counter")
      .initial("counting")
      .state("counting", s -> s
          .on("add").then(ledger -> ledger.add("+1")).stay()
          .on("broken").then(ledger -> {
            throw new IllegalStateException("broken");
          }).stay()
          .after(Duration.ofMinutes(1)).goTo("done"))
      .finalState("done")
      .recovery(RecoveryPolicy.exit())
      .build();

  @Test
  void theSink_receivesAnImageAfterEveryStep_countingTheSteps() throws Exception {
    Machine<Ledger> machine = loop.startDurable(COUNTER, "c", new Ledger(), durability);
    machine.send("add");
    machine.send("add");
    loop.advance(Duration.ofMinutes(1));

    assertThat(images).extracting(MachineImage::steps).containsExactly(1L, 2L, 3L, 4L);
    assertThat(images).extracting(MachineImage::status)
        .containsExactly(Status.RUNNING, Status.RUNNING, Status.RUNNING, Status.COMPLETED);
    assertThat(Ledger.CODEC.decode(images.get(2).context()).log).containsExactly("+1", "+1");
    assertThat(images.get(3).activeStates()).containsExactly("done");
  }

  @Test
  void aDurableSend_completesOnlyWhenItsStepIsCommitted() {
    Machine<Ledger> machine = loop.startDurable(COUNTER, "c", new Ledger(), durability);

    CompletableFuture<Void> ack = machine.sendDurably("add");
    assertThat(ack).isNotDone();
    commits.get(0).committed();
    assertThat(ack).isNotDone();
    commits.get(1).committed();

    assertThat(ack).isCompleted();
  }

  @Test
  void aStoreThatFails_failsTheDurableSend_andFaultsTheMachineInCommit() {
    Machine<Ledger> machine = loop.startDurable(COUNTER, "c", new Ledger(), durability);
    CompletableFuture<Void> ack = machine.sendDurably("add");

    commits.get(1).failed(new java.io.IOException("disk full"));
    loop.runUntilIdle();

    assertThat(ack).isCompletedExceptionally();
    assertThat(machine.state().status()).isEqualTo(Status.FAILED);
    assertThat(machine.state().failure().phase()).isEqualTo(Phase.COMMIT);
    assertThat(machine.state().failure().summary()).contains("java.io.IOException: disk full");
    assertThatThrownBy(loop::checkFailures).isInstanceOf(MachineFailedException.class);
    // the failed machine's image went to the store too
    assertThat(images.get(images.size() - 1).status()).isEqualTo(Status.FAILED);
  }

  @Test
  void aSinkThatThrows_isAStoreThatFailed() {
    Durability<Ledger> throwing = new Durability<>(Ledger.CODEC, (image, commit) -> {
      if (image.steps() == 2) {
        throw new IllegalStateException("writer gone");
      }
      commit.committed();
    });
    Machine<Ledger> machine = loop.startDurable(COUNTER, "c", new Ledger(), throwing);

    CompletableFuture<Void> ack = machine.sendDurably("add");

    assertThat(ack).isCompletedExceptionally();
    assertThat(machine.state().failure().phase()).isEqualTo(Phase.COMMIT);
    assertThatThrownBy(loop::checkFailures).isInstanceOf(MachineFailedException.class);
  }

  @Test
  void aDurableSendToAnEndedMachine_failsAtOnce_andIsADeadLetter() {
    Machine<Ledger> machine = loop.start(COUNTER, "c", new Ledger());
    loop.advance(Duration.ofMinutes(1));

    CompletableFuture<Void> ack = machine.sendDurably("add");

    assertThatThrownBy(() -> ack.get(1, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class)
        .cause().isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("was not consumed: machine has ended");
  }

  @Test
  void aDurableSendToAMachineThatIsNotDurable_completesWhenItsStepEnds() throws Exception {
    Machine<Ledger> machine = loop.start(COUNTER, "c", new Ledger());

    machine.sendDurably("add").get(1, TimeUnit.SECONDS);

    assertThat(Ledger.CODEC.decode(machine.snapshot(Ledger.CODEC).get(1, TimeUnit.SECONDS)
        .context()).log).containsExactly("+1");
  }

  @Test
  void aDurableSendThatFaults_isStillCommitted_theLifecycleTellsTheFault() {
    Durability<Ledger> committing = new Durability<>(Ledger.CODEC,
        (image, commit) -> commit.committed());
    Machine<Ledger> machine = loop.startDurable(COUNTER, "c", new Ledger(), committing);

    CompletableFuture<Void> ack = machine.sendDurably("broken");

    assertThat(ack).isCompleted();
    assertThat(machine.lifecycle()).isCompletedExceptionally();
    assertThatThrownBy(loop::checkFailures).isInstanceOf(MachineFailedException.class);
  }

  @Test
  void aRestoredDurableMachine_goesOnCountingStepsFromItsImage() throws Exception {
    Machine<Ledger> machine = loop.startDurable(COUNTER, "c", new Ledger(), durability);
    machine.send("add");
    MachineImage last = images.get(images.size() - 1);
    TestLoop second = TestLoop.create();
    List<MachineImage> later = new ArrayList<>();

    Machine<Ledger> restored = second.restore(COUNTER, last, new Durability<>(Ledger.CODEC,
        (image, commit) -> later.add(image)), RestoreOptions.DEFAULTS);
    restored.send("add");

    assertThat(later).extracting(MachineImage::steps).containsExactly(3L);
  }

  @Test
  void aStop_isStored_butALoopsClose_storesNothing_soTheMachinesResume() {
    Machine<Ledger> stopped = loop.startDurable(COUNTER, "stopped", new Ledger(), durability);
    Machine<Ledger> running = loop.startDurable(COUNTER, "running", new Ledger(), durability);

    stopped.stop();
    loop.runUntilIdle();
    int storedBeforeClose = images.size();
    loop.close();

    assertThat(images.get(storedBeforeClose - 1).machineId()).isEqualTo("stopped");
    assertThat(images.get(storedBeforeClose - 1).status()).isEqualTo(Status.STOPPED);
    assertThat(images).hasSize(storedBeforeClose);
    assertThat(running.state().status()).isEqualTo(Status.STOPPED);
  }
}
