package dev.stator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stator.dsl.Stator;
import dev.stator.testing.TestLoop;
import java.nio.channels.Pipe;
import java.nio.channels.SelectionKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * What a machine started ends with it: a machine that stops or fails cancels its calls still in
 * flight and its channel registrations, even those that belong to no state; and what is sent to
 * an ended machine is refused, reported as a dead letter, not lost quietly.
 */
final class MachineEndTest {

  private final List<DeadLetter> deadLetters = new ArrayList<>();
  private final TestLoop loop = TestLoop.create(
      LoopOptions.DEFAULTS.withDeadLetterHandler(deadLetters::add)
          .withUnobservedFailureHandler(failure -> { }), 0);

  static final class Line {
    final CompletableFuture<String> dial = new CompletableFuture<>();
    Pipe pipe;
    IoRegistration registration;
  }

  private static MachineDefinition<Line> dialling() {
    return Stator.<String, Line>machine("dialling")
        .initial("DIALLING")
        .state("DIALLING", s -> s
            .invokeAsync("dial", (line, step) -> line.dial, Duration.ofSeconds(30))
            .on("break").then((line, step) -> {
              throw new IllegalStateException("broken");
            }).stay()
            .onDone("dial").goTo("UP"))
        .state("UP")
        .build();
  }

  @Test
  void stoppingAMachine_cancelsItsCallInFlight() {
    Line line = new Line();
    Machine<Line> machine = loop.start(dialling(), line);

    machine.stop();
    loop.runUntilIdle();

    assertThat(machine.state().status()).isEqualTo(Status.STOPPED);
    assertThat(line.dial).isCancelled();
  }

  @Test
  void aMachineThatFails_cancelsItsCallInFlight() {
    Line line = new Line();
    Machine<Line> machine = loop.start(dialling(), line);

    machine.send("break");
    loop.runUntilIdle();

    assertThat(machine.state().status()).isEqualTo(Status.FAILED);
    assertThat(line.dial).isCancelled();
  }

  @Test
  void stoppingAMachine_cancelsItsMachineScopedChannelRegistration() throws Exception {
    MachineDefinition<Line> listening = Stator.<String, Line>machine("listening")
        .initial("OPEN")
        .state("OPEN", s -> s.onEntry((line, step) -> line.registration =
            step.registerIo("pipe", line.pipe.source(), SelectionKey.OP_READ, true)))
        .build();
    Line line = new Line();
    line.pipe = Pipe.open();
    line.pipe.source().configureBlocking(false);
    try {
      Machine<Line> machine = loop.start(listening, line);
      assertThat(line.registration.isActive()).isTrue();

      machine.stop();
      loop.runUntilIdle();

      assertThat(machine.state().status()).isEqualTo(Status.STOPPED);
      assertThat(line.registration.isActive()).isFalse();
    } finally {
      line.pipe.source().close();
      line.pipe.sink().close();
    }
  }

  @Test
  void aCallCancelledBecauseItsMachineEnded_isNotReportedAsADeadLetter() {
    Line line = new Line();
    Machine<Line> machine = loop.start(dialling(), line);

    machine.stop();
    loop.runUntilIdle();

    assertThat(line.dial).isCancelled();
    assertThat(deadLetters).isEmpty();
  }

  @Test
  void sendingToAnEndedMachine_returnsFalse_andReportsADeadLetter() {
    Machine<Object> machine = loop.start(Stator.<String, Object>machine("plain")
        .initial("A").state("A").build(), new Object());
    machine.stop();
    loop.runUntilIdle();

    assertThat(machine.send("hello")).isFalse();

    assertThat(deadLetters).singleElement().satisfies(letter -> {
      assertThat(letter.machineId()).isEqualTo(machine.id());
      assertThat(letter.event()).isEqualTo("hello");
    });
  }

  @Test
  void sendingAfterTheLoopClosed_returnsFalse_andReportsADeadLetter() {
    Machine<Line> machine = loop.start(dialling(), new Line());
    loop.close();
    deadLetters.clear();

    assertThat(machine.send("hello")).isFalse();
    assertThat(deadLetters).extracting(DeadLetter::event).containsExactly("hello");
  }

  @Test
  void sendingFromACallbackToARunningMachine_returnsTrue_andTheEventArrivesAfterTheStep() {
    List<Object> seen = new ArrayList<>();
    MachineDefinition<Object> echo = Stator.<String, Object>machine("echo")
        .initial("A")
        .state("A", s -> s
            .on("ping").then((c, step) -> seen.add(step.machine().send("pong"))).stay()
            .on("pong").then((c, step) -> seen.add("pong")).stay())
        .build();
    Machine<Object> machine = loop.start(echo, new Object());

    machine.send("ping");
    loop.runUntilIdle();

    assertThat(seen).containsExactly(true, "pong");
  }
}
