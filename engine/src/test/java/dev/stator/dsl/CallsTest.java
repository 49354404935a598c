package dev.stator.dsl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.stator.DefinitionException;
import dev.stator.EventLoop;
import dev.stator.LoopOptions;
import dev.stator.Machine;
import dev.stator.MachineDefinition;
import dev.stator.Phase;
import dev.stator.Status;
import dev.stator.Termination;
import java.io.IOException;
import java.net.ConnectException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

/** Issue 4, item 1: external calls and what becomes of their results. */
final class CallsTest {

  private final Probe probe = new Probe();

  /** A context with a dialer the test completes by hand. */
  static final class Client {
    final CompletableFuture<String> dial = new CompletableFuture<>();
    int budget = 3;
    final List<String> log = new ArrayList<>();
  }

  /** Blocking work that waits until it is interrupted, and says whether it was. */
  static final class Interruptible implements java.util.concurrent.Callable<String> {
    final CountDownLatch running = new CountDownLatch(1);
    final CompletableFuture<Boolean> interrupted = new CompletableFuture<>();

    @Override
    public String call() {
      running.countDown();
      try {
        new CountDownLatch(1).await();
        interrupted.complete(false);
      } catch (InterruptedException e) {
        interrupted.complete(true);
      }
      return "too late";
    }
  }

  private static MachineDefinition<Client> dialer() {
    return Stator.<String, Client>machine("dialer")
        .initial("CONNECTING")
        .state("CONNECTING", s -> s
            .invokeAsync("dial", (c, step) -> c.dial, Duration.ofSeconds(10))
            .onDone("dial").when((c, step) -> step.event().value().equals("hello"))
            .then((c, step) -> c.log.add("greeted")).goTo("READY")
            .onDone("dial").goTo("CONFUSED")
            .onError(ConnectException.class).goTo("BACKOFF")
            .onError(TimeoutException.class).goTo("TIMED_OUT")
            .on("cancel").goTo("IDLE"))
        .state("READY").state("CONFUSED").state("BACKOFF").state("TIMED_OUT").state("IDLE")
        .build();
  }

  @Test
  void asyncCall_resultDecidesTheNextStateThroughGuards() {
    Client greeted = new Client();
    Machine<Client> first = probe.loop.start(dialer(), greeted);
    Client confused = new Client();
    Machine<Client> second = probe.loop.start(dialer(), confused);

    greeted.dial.complete("hello");
    confused.dial.complete("what?");
    probe.loop.runUntilIdle();

    assertThat(first.state().path()).isEqualTo("READY");
    assertThat(greeted.log).containsExactly("greeted");
    assertThat(second.state().path()).isEqualTo("CONFUSED");
  }

  @Test
  void declaredCallError_becomesATransition() {
    Client client = new Client();
    Machine<Client> machine = probe.loop.start(dialer(), client);

    client.dial.completeExceptionally(new ConnectException("refused"));
    probe.loop.runUntilIdle();

    assertThat(machine.state().path()).isEqualTo("BACKOFF");
    assertThat(probe.loop.failures()).isEmpty();
  }

  @Test
  void undeclaredCallError_isAFaultInPhaseCall() {
    Client client = new Client();
    Machine<Client> machine = probe.loop.start(dialer(), client);

    client.dial.completeExceptionally(new IOException("disk on fire"));
    probe.loop.runUntilIdle();

    assertThat(machine.state().status()).isEqualTo(Status.FAILED);
    assertThat(machine.state().failure().phase()).isEqualTo(Phase.CALL);
    assertThat(machine.state().failure().cause()).hasMessage("disk on fire");
    assertThat(machine.state().failure().event()).isEqualTo("CallFailed(dial: "
        + "java.io.IOException: disk on fire)");
  }

  @Test
  void callTimeout_failsTheCallWithATimeoutException() {
    Machine<Client> machine = probe.loop.start(dialer(), new Client());

    probe.loop.advance(Duration.ofSeconds(10));

    assertThat(machine.state().path()).isEqualTo("TIMED_OUT");
  }

  @Test
  void leavingTheState_cancelsTheCallAndALateCompletionIsCountedNotDelivered() {
    Client client = new Client();
    Machine<Client> machine = probe.loop.start(dialer(), client);

    machine.send("cancel");
    assertThat(client.dial).isCancelled();
    probe.loop.advance(Duration.ofSeconds(30));

    assertThat(machine.state().path()).isEqualTo("IDLE");
    assertThat(probe.loop.pendingTimers()).as("the call's timeout went with it").isZero();
  }

  @Test
  void completionArrivingAfterTheStateWasLeft_isADeadLetterNeverAnEvent() {
    CompletableFuture<String> uncancellable = new CompletableFuture<>();
    Machine<Client> machine = probe.loop.start(Stator.<String, Client>machine("late")
        .initial("WAITING")
        .state("WAITING", s -> s
            .invokeAsync("fetch", (c, step) -> uncancellable.minimalCompletionStage(),
                Duration.ofSeconds(10))
            .onDone("fetch").goTo("GOT_IT")
            .on("leave").goTo("ELSEWHERE"))
        .state("GOT_IT").state("ELSEWHERE")
        .build(), new Client());

    machine.send("leave");
    uncancellable.complete("too late");
    probe.loop.runUntilIdle();

    assertThat(machine.state().path()).isEqualTo("ELSEWHERE");
    assertThat(probe.deadLetters).singleElement()
        .satisfies(letter -> assertThat(letter.reason()).contains("completed after its state"));
  }

  @Test
  void syncCall_resultArrivesAsAnEventAfterTheEntryStep() {
    Machine<Client> machine = probe.loop.start(Stator.<String, Client>machine("sync")
        .initial("COMPUTING")
        .state("COMPUTING", s -> s
            .onEntry(c -> c.log.add("entered"))
            .invoke("sum", (c, step) -> 20 + 22)
            .onDone("sum").when((c, step) -> step.event().value(Integer.class) == 42).goTo("DONE"))
        .finalState("DONE")
        .build(), new Client());

    assertThat(machine.lifecycle()).isCompleted();
    assertThat(machine.lifecycle().join().finalPath()).isEqualTo("DONE");
  }

  @Test
  void syncCallThrowing_isAnExpectedErrorWhenDeclared() {
    Machine<Client> machine = probe.loop.start(Stator.<String, Client>machine("sync-error")
        .initial("COMPUTING")
        .state("COMPUTING", s -> s
            .invoke("parse", (c, step) -> Integer.parseInt("not a number"))
            .onError(NumberFormatException.class).goTo("INVALID"))
        .state("INVALID")
        .build(), new Client());

    assertThat(machine.state().path()).isEqualTo("INVALID");
  }

  @Test
  void blockingCall_runsOffTheLoopAndItsResultComesBack() throws Exception {
    CountDownLatch started = new CountDownLatch(1);
    List<String> threads = new java.util.concurrent.CopyOnWriteArrayList<>();
    MachineDefinition<Client> definition = Stator.<String, Client>machine("blocking")
        .initial("RESOLVING")
        .state("RESOLVING", s -> s
            .invokeBlocking("resolve", c -> {
              String host = "localhost";
              return () -> {
                threads.add(Thread.currentThread().getName());
                started.countDown();
                return java.net.InetAddress.getByName(host).isLoopbackAddress();
              };
            }, Duration.ofSeconds(10))
            .onDone("resolve").when((c, step) -> Boolean.TRUE.equals(step.event().value()))
            .goTo("RESOLVED"))
        .finalState("RESOLVED")
        .build();
    try (EventLoop loop = EventLoop.start("blocking-loop")) {
      Machine<Client> machine = loop.start(definition, new Client());

      Termination<Client> end = machine.lifecycle().get(10, TimeUnit.SECONDS);

      assertThat(end.finalPath()).isEqualTo("RESOLVED");
      assertThat(threads).singleElement().asString().startsWith("blocking-loop-blocking-");
    }
  }

  @Test
  void blockingCall_isInterruptedWhenItsStateIsLeft() throws Exception {
    Interruptible work = new Interruptible();
    MachineDefinition<Client> definition = Stator.<String, Client>machine("interruptible")
        .initial("WAITING")
        .state("WAITING", s -> s
            .invokeBlocking("wait", c -> work, Duration.ofMinutes(1))
            .on("leave").goTo("GONE"))
        .finalState("GONE")
        .build();
    try (EventLoop loop = EventLoop.start("interrupting-loop",
        LoopOptions.DEFAULTS.withDeadLetterHandler(d -> { }))) {
      Machine<Client> machine = loop.start(definition, new Client());
      assertThat(work.running.await(10, TimeUnit.SECONDS)).isTrue();

      machine.send("leave");

      assertThat(work.interrupted.get(10, TimeUnit.SECONDS)).isTrue();
      assertThat(machine.lifecycle().get(10, TimeUnit.SECONDS).finalPath()).isEqualTo("GONE");
    }
  }

  @Test
  void onDoneForAnUnknownCall_isRefusedWithASuggestion() {
    DefinitionException e = catchThrowableOfType(DefinitionException.class,
        () -> Stator.<String, Client>machine("typo")
            .initial("A")
            .state("A", s -> s.invoke("dial", (c, step) -> 1).onDone("dail").goTo("B"))
            .state("B")
            .build());

    assertThat(e.problems()).containsExactly("state 'A', transition done dail: state 'A' makes no"
        + " call 'dail'; its calls are [dial]; did you mean 'dial'?");
  }

  @Test
  void callNamesUsedTwiceInAMachine_areRefused() {
    DefinitionException e = catchThrowableOfType(DefinitionException.class,
        () -> Stator.<String, Client>machine("twice")
            .initial("P")
            .state("P", p -> p.initial("C").invoke("fetch", (c, step) -> 1)
                .state("C", ch -> ch.invoke("fetch", (c, step) -> 2)))
            .build());

    assertThat(e.problems()).singleElement().asString()
        .startsWith("state 'P/C' makes a call named 'fetch', as state 'P' does");
  }

  @Test
  void expectedErrorWithoutATarget_isRefused() {
    DefinitionException e = catchThrowableOfType(DefinitionException.class,
        () -> Stator.<String, Client>machine("stay-on-error")
            .initial("A")
            .state("A", s -> s.onError(IOException.class).stay())
            .build());

    assertThat(e.problems()).singleElement().asString()
        .startsWith("state 'A', transition on error IOException: an expected-error transition"
            + " needs a target");
  }

  @Test
  void callTimeout_interruptsBlockingWorkAndReportsNoDeadLetter() throws Exception {
    Interruptible work = new Interruptible();
    MachineDefinition<Client> definition = Stator.<String, Client>machine("slow-call")
        .initial("WAITING")
        .state("WAITING", s -> s
            .invokeBlocking("slow", c -> work, Duration.ofMillis(100))
            .onError(TimeoutException.class).goTo("GAVE_UP"))
        .finalState("GAVE_UP")
        .build();
    Machine<Client> machine = probe.loop.start(definition, new Client());
    // the work runs on the loop's blocking threads; the timeout is on the test loop's virtual
    // clock, so it fires only once the work is known to be running, however loaded the machine
    assertThat(work.running.await(10, TimeUnit.SECONDS)).isTrue();

    probe.loop.advance(Duration.ofMillis(100));

    assertThat(work.interrupted.get(10, TimeUnit.SECONDS)).isTrue();
    probe.loop.runUntilIdle();
    assertThat(machine.state().path()).isEqualTo("GAVE_UP");
    assertThat(probe.deadLetters).isEmpty();
  }
}
