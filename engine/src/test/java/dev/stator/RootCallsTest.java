package dev.stator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stator.durable.ContextCodec;
import dev.stator.durable.Durability;
import dev.stator.durable.MachineImage;
import dev.stator.durable.RestoreOptions;
import dev.stator.model.Action;
import dev.stator.model.Invocation;
import dev.stator.model.MachineSpec;
import dev.stator.model.StateSpec;
import dev.stator.model.TransitionSpec;
import dev.stator.model.Trigger;
import dev.stator.testing.TestLoop;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The root's calls: made as the machine starts, after its initial states are entered; they last
 * while the machine moves between top-level states, their done and error transitions may sit on
 * any state, and they end with the machine.
 */
class RootCallsTest {

  private final List<DeadLetter> deadLetters = new ArrayList<>();
  private final TestLoop loop = TestLoop.create(LoopOptions.DEFAULTS
      .withDeadLetterHandler(deadLetters::add).withUnobservedFailureHandler(failure -> { }));
  private final CompletableFuture<String> quote = new CompletableFuture<>();
  /** What each start of the call returns, in order: {@link #quote} first. */
  private final List<CompletableFuture<String>> quotes = new ArrayList<>(List.of(quote));

  @AfterEach
  void close() {
    loop.close();
  }

  private static Action<List<String>, Object> log(String what) {
    return (log, step) -> log.add(what);
  }

  private static TransitionSpec<List<String>> on(Trigger trigger, String target, String action) {
    return new TransitionSpec<>(trigger, null, target, false, List.of(log(action)));
  }

  /** Waiting, then browsing on NEXT; the root's call "quote" ends in quoted, or failed. */
  private MachineSpec<List<String>> spec(boolean idempotent) {
    TransitionSpec<List<String>> done = new TransitionSpec<>(new Trigger.OnDone("quote"), null,
        "quoted", false, List.of((log, step) -> log.add("done " + ((CallDone) step.event())
            .value())));
    TransitionSpec<List<String>> failed = on(new Trigger.OnError("java.lang.Exception", "quote"),
        "failed", "failed");
    StateSpec<List<String>> waiting = new StateSpec<>("waiting", false, null, List.of(),
        List.of(log("enter:waiting")), List.of(),
        List.of(on(new Trigger.OnEvent("NEXT"), "browsing", "next"), done, failed), List.of(),
        null);
    StateSpec<List<String>> browsing = new StateSpec<>("browsing", false, null, List.of(),
        List.of(log("enter:browsing")), List.of(), List.of(done, failed), List.of(), null);
    StateSpec<List<String>> quoted = new StateSpec<>("quoted", true, null, List.of(), List.of(),
        List.of(), List.of(), List.of(), null);
    StateSpec<List<String>> failedState = new StateSpec<>("failed", true, null, List.of(),
        List.of(), List.of(), List.of(), List.of(), null);
    Invocation<List<String>> call = new Invocation<List<String>>("quote", Invocation.Kind.ASYNC,
        (Invocation.Async<List<String>, String>) (log, step) -> {
          log.add("quote started");
          return quotes.remove(0);
        }, Duration.ofSeconds(5)).withIdempotent(idempotent);
    return new MachineSpec<>("shop", "waiting", List.of(waiting, browsing, quoted, failedState),
        UnhandledEventPolicy.IGNORE, RecoveryPolicy.exit(), false, List.of(), null,
        List.of(call));
  }

  @Test
  void aRootCall_startsAfterTheInitialEntry_andOutlivesTheTopLevelStates() {
    List<String> log = new ArrayList<>();
    Machine<List<String>> machine = loop.start(MachineDefinition.compile(spec(false)), log);
    machine.send("NEXT");
    quote.complete("42 EUR");
    loop.runUntilIdle();

    assertThat(log).containsExactly("enter:waiting", "quote started", "next", "enter:browsing",
        "done 42 EUR");
    assertThat(machine.state().status()).isEqualTo(Status.COMPLETED);
    assertThat(machine.state().path()).isEqualTo("quoted");
  }

  @Test
  void aRootCallThatFails_takesItsScopedErrorTransition_fromWhicheverStateIsActive() {
    List<String> log = new ArrayList<>();
    Machine<List<String>> machine = loop.start(MachineDefinition.compile(spec(false)), log);
    machine.send("NEXT");
    quote.completeExceptionally(new java.io.IOException("no route"));
    loop.runUntilIdle();

    assertThat(machine.state().path()).isEqualTo("failed");
    assertThat(log).endsWith("failed");
  }

  @Test
  void aRootCall_isCancelledWhenTheMachineEnds() {
    Machine<List<String>> machine = loop.start(MachineDefinition.compile(spec(false)),
        new ArrayList<>());
    machine.stop();
    loop.runUntilIdle();

    assertThat(quote).isCancelled();
    assertThat(deadLetters).isEmpty();
  }

  @Test
  void anImage_keepsARootCallInFlight_andAnIdempotentOneIsMadeAgainOnRestore() {
    MachineDefinition<List<String>> definition = MachineDefinition.compile(spec(true));
    Machine<List<String>> machine = loop.start(definition, new ArrayList<>());
    MachineImage image = machine.snapshot(codec(new ArrayList<>())).join();
    assertThat(image.calls()).singleElement()
        .satisfies(call -> assertThat(call.state()).isEmpty())
        .satisfies(call -> assertThat(call.id()).isEqualTo("quote"));
    machine.stop();
    loop.runUntilIdle();

    List<String> restoredLog = new ArrayList<>();
    CompletableFuture<String> again = new CompletableFuture<>();
    quotes.add(again);
    Machine<List<String>> restored = loop.restore(definition, image,
        new Durability<>(codec(restoredLog), Durability.NO_SINK), RestoreOptions.DEFAULTS);
    loop.runUntilIdle();

    assertThat(restoredLog).containsExactly("quote started");
    assertThat(restored.state().path()).isEqualTo("waiting");
    again.complete("7 EUR");
    loop.runUntilIdle();
    assertThat(restoredLog).containsExactly("quote started", "done 7 EUR");
  }

  /** A codec that keeps nothing and restores {@code restored}. */
  private static ContextCodec<List<String>> codec(List<String> restored) {
    return new ContextCodec<>() {
      @Override
      public byte[] encode(List<String> context) {
        return new byte[0];
      }

      @Override
      public List<String> decode(byte[] bytes) {
        return restored;
      }
    };
  }

  @Test
  void aStateCallNamedAsARootCall_isRefused() {
    MachineSpec<List<String>> spec = spec(false);
    StateSpec<List<String>> first = spec.states().get(0);
    Invocation<List<String>> clash = new Invocation<>("quote", Invocation.Kind.SYNC,
        (Invocation.Sync<List<String>, String>) (log, step) -> "x", null);
    StateSpec<List<String>> calling = new StateSpec<>(first.name(), first.id(), first.type(),
        first.initial(), first.children(), first.entry(), first.exit(), first.transitions(),
        List.of(clash), null, null);
    List<StateSpec<List<String>>> states = new ArrayList<>(spec.states());
    states.set(0, calling);

    assertThatThrownBy(() -> MachineDefinition.compile(spec.withStates(states)))
        .isInstanceOf(DefinitionException.class)
        .hasMessageContaining("state 'waiting' makes a call named 'quote', as the machine's root"
            + " does");
  }
}
