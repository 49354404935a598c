package dev.stator.dsl;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stator.LoopOptions;
import dev.stator.Machine;
import dev.stator.MachineDefinition;
import dev.stator.Phase;
import dev.stator.RecoveryPolicy;
import dev.stator.Status;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * The edges of a call's life: blocking work that throws is the call's error like an asynchronous
 * call's, a call that hands back nothing to wait for is a fault naming it, a completion that
 * arrives after the incarnation that made the call was reset, or after the loop closed, is a dead
 * letter that says which.
 */
final class CallEdgeRulesTest {

  /** Blocking work runs at once, on the caller's thread: the test loop's, here. */
  private final Probe probe = new Probe(LoopOptions.DEFAULTS.withBlockingExecutor(Runnable::run));

  @Test
  void blockingWorkThatThrows_isTheCallsError_takenByItsOnError() {
    Machine<Object> machine = probe.loop.start(Stator.<String, Object>machine("reading")
        .initial("READING")
        .state("READING", s -> s
            .invokeBlocking("read", context -> () -> {
              throw new IOException("disk gone");
            }, Duration.ofSeconds(10))
            .onDone("read").goTo("READ")
            .onError(IOException.class).goTo("UNREADABLE"))
        .state("READ").state("UNREADABLE")
        .build(), new Object());

    probe.loop.runUntilIdle();

    assertThat(machine.state().path()).isEqualTo("UNREADABLE");
  }

  @Test
  void anAsynchronousCallThatReturnsNoStage_isAFaultNamingTheCall() {
    Machine<Object> machine = probe.loop.start(Stator.<String, Object>machine("nothing")
        .initial("WAITING")
        .state("WAITING", s -> s
            .invokeAsync("fetch", (context, step) -> null, Duration.ofSeconds(10))
            .onDone("fetch").goTo("DONE"))
        .state("DONE")
        .build(), new Object());

    assertThat(machine.state().status()).isEqualTo(Status.FAILED);
    assertThat(machine.state().failure().cause())
        .hasMessage("call 'fetch' of machine '" + machine.id() + "' returned a null stage");
  }

  @Test
  void blockingWorkPreparedAsNothing_isAFaultNamingTheCall() {
    Machine<Object> machine = probe.loop.start(Stator.<String, Object>machine("nothing")
        .initial("WAITING")
        .state("WAITING", s -> s
            .invokeBlocking("read", context -> null, Duration.ofSeconds(10))
            .onDone("read").goTo("DONE"))
        .state("DONE")
        .build(), new Object());

    assertThat(machine.state().status()).isEqualTo(Status.FAILED);
    assertThat(machine.state().failure().phase()).isEqualTo(Phase.CALL);
    assertThat(machine.state().failure().cause())
        .hasMessage("call 'read' of machine '" + machine.id() + "' prepared null work");
  }

  @Test
  void aCompletionForTheIncarnationBeforeAReset_isADeadLetter_notAnEventOfTheNewOne() {
    CompletableFuture<String> first = new CompletableFuture<>();
    java.util.List<CompletableFuture<String>> calls = new java.util.ArrayList<>();
    MachineDefinition<Object> definition = Stator.<String, Object>machine("resetting")
        .initial("WAITING")
        .state("WAITING", s -> s
            .invokeAsync("fetch", (context, step) -> {
              CompletableFuture<String> call = calls.isEmpty() ? first : new CompletableFuture<>();
              calls.add(call);
              // a stage whose cancel cannot reach the work: the work completes anyway
              return call.minimalCompletionStage();
            }, Duration.ofSeconds(10))
            .onDone("fetch").goTo("DONE")
            .on("break").then(context -> {
              throw new IllegalStateException("broken");
            }).stay())
        .state("DONE")
        .recovery(RecoveryPolicy.reset(Object::new))
        .build();
    Machine<Object> machine = probe.loop.start(definition, new Object());

    machine.send("break");
    first.complete("for the old incarnation");
    probe.loop.runUntilIdle();

    assertThat(calls).hasSize(2);
    assertThat(machine.state().path()).isEqualTo("WAITING");
    assertThat(probe.deadLetters).singleElement().satisfies(letter ->
        assertThat(letter.reason()).contains("call 'fetch' completed after"));
  }

  @Test
  void aCompletionAfterTheLoopClosed_isADeadLetterSayingSo() {
    CompletableFuture<String> work = new CompletableFuture<>();
    probe.loop.start(Stator.<String, Object>machine("closing")
        .initial("WAITING")
        .state("WAITING", s -> s
            .invokeAsync("fetch", (context, step) -> work.minimalCompletionStage(),
                Duration.ofSeconds(10))
            .onDone("fetch").goTo("DONE"))
        .state("DONE")
        .build(), new Object());

    probe.loop.close();
    work.complete("too late");

    assertThat(probe.deadLetters).singleElement().satisfies(letter ->
        assertThat(letter.reason()).contains("closed before call 'fetch' completed"));
  }
}
