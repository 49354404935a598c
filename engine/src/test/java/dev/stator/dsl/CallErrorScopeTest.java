package dev.stator.dsl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stator.DefinitionException;
import dev.stator.Machine;
import dev.stator.MachineDefinition;
import dev.stator.MachineFailedException;
import dev.stator.Phase;
import dev.stator.Status;
import dev.stator.testing.TestLoop;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

/**
 * An expected error scoped to a call ({@code onCallError}, JSON's {@code invoke.onError}) handles
 * that call's own failure only, and may stay in its state: the failure comes in a step of its own,
 * when the configuration is whole.
 */
final class CallErrorScopeTest {

  private final TestLoop loop = TestLoop.create();
  private final CompletableFuture<String> quote = new CompletableFuture<>();
  private final CompletableFuture<String> stock = new CompletableFuture<>();

  private MachineDefinition<Recorder> shop(boolean entryFails) {
    return Stator.<String, Recorder>machine("shop")
        .initial("browsing")
        .state("browsing", s -> s
            .onEntry(r -> {
              r.add("enter");
              if (entryFails) {
                throw new IOException("catalogue unreachable");
              }
            })
            .invokeAsync("quote", (r, step) -> quote, Duration.ofSeconds(5))
            .invokeAsync("stock", (r, step) -> stock, Duration.ofMinutes(5))
            .onCallError("quote", Exception.class)
            .then((r, step) -> r.add("no quote: " + step.event().getClass().getSimpleName()))
            .stay()
            .after(Duration.ofMinutes(1)).goTo("idle"))
        .state("idle")
        .build();
  }

  @Test
  void aCallsFailure_takesItsTargetlessHandler_andTheStateStaysWithItsTimersAndOtherCalls() {
    Recorder recorder = new Recorder();
    Machine<Recorder> machine = loop.start(shop(false), recorder);

    quote.completeExceptionally(new IOException("pricing down"));
    loop.runUntilIdle();

    assertThat(recorder.log).containsExactly("enter", "no quote: IOException");
    assertThat(machine.state().path()).isEqualTo("browsing");
    stock.complete("plenty");
    loop.advance(Duration.ofMinutes(1));
    assertThat(machine.state().path()).isEqualTo("idle");
  }

  @Test
  void aCallsTimeout_isItsFailure_too() {
    Recorder recorder = new Recorder();
    loop.start(shop(false), recorder);

    loop.advance(Duration.ofSeconds(5));

    assertThat(recorder.log).containsExactly("enter", "no quote: TimeoutException");
  }

  @Test
  void anotherCallsFailure_isNotHandled_andFaults() {
    Machine<Recorder> machine = loop.start(shop(false), new Recorder());

    stock.completeExceptionally(new IOException("warehouse down"));
    loop.runUntilIdle();

    assertThat(machine.state().status()).isEqualTo(Status.FAILED);
    assertThat(machine.state().failure().call()).isEqualTo("stock");
    assertThatThrownBy(loop::checkFailures).isInstanceOf(MachineFailedException.class);
  }

  @Test
  void anEntryActionsError_isNotACallsFailure_andFaults() {
    Machine<Recorder> machine = loop.start(shop(true), new Recorder());

    assertThat(machine.state().status()).isEqualTo(Status.FAILED);
    assertThat(machine.state().failure().phase()).isEqualTo(Phase.ENTRY);
    assertThatThrownBy(loop::checkFailures).isInstanceOf(MachineFailedException.class);
  }

  @Test
  void aHandlerScopedToACallTheStateDoesNotMake_isRefused() {
    assertThatThrownBy(() -> Stator.<String, Recorder>machine("shop")
        .initial("browsing")
        .state("browsing", s -> s
            .invokeAsync("quote", (r, step) -> quote, Duration.ofSeconds(5))
            .onCallError("qoute", TimeoutException.class).stay())
        .build())
        .isInstanceOf(DefinitionException.class)
        .hasMessageContaining("state 'browsing' makes no call 'qoute'; its calls are [quote]");
  }

  @Test
  void anExpectedErrorNotScopedToACall_stillNeedsATarget() {
    assertThatThrownBy(() -> Stator.<String, Recorder>machine("shop")
        .initial("browsing")
        .state("browsing", s -> s.onError(IOException.class).stay())
        .build())
        .isInstanceOf(DefinitionException.class)
        .hasMessageContaining("an expected-error transition needs a target");
  }
}
