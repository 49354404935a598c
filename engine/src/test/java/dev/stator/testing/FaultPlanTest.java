package dev.stator.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stator.Failure;
import dev.stator.LoopOptions;
import dev.stator.Machine;
import dev.stator.MachineDefinition;
import dev.stator.MachineListener;
import dev.stator.Phase;
import dev.stator.Status;
import dev.stator.Transition;
import dev.stator.dsl.Stator;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

/**
 * A fault plan makes the n-th run of the callback it names fail, as it says, and the failure
 * report says the fault was injected.
 */
final class FaultPlanTest {

  /** What the connection machine's callbacks have done. */
  static final class Link {
    int dials;
    int pings;
    int sent;
  }

  private static final MachineDefinition<Link> LINK = Stator.<String, Link>machine("link")
      .initial("connecting")
      .state("connecting", s -> s
          .onEntry(link -> link.dials++)
          .invokeAsync("dial", (link, step) -> CompletableFuture.completedFuture("up"),
              Duration.ofSeconds(5))
          .onDone("dial").goTo("online")
          .onError(IOException.class).goTo("backoff")
          .onError(TimeoutException.class).goTo("backoff"))
      .state("backoff", s -> s.after(Duration.ofSeconds(1)).goTo("connecting"))
      .state("online", s -> s
          .initial("idle")
          .on("drop").goTo("connecting")
          .state("idle", x -> x
              .on("ping").when(link -> link.pings < 100).then(link -> link.pings++).goTo("idle")
              .on("send").then(link -> link.sent++).goTo("busy"))
          .state("busy", x -> x.onExit(link -> { }).on("done").goTo("idle")))
      .build();

  @Test
  void entry_onTheSecondRun_failsOnlyTheSecondEntry_andTheReportSaysInjected() {
    TestLoop loop = TestLoop.create().injecting(FaultPlan.builder()
        .entry("online/idle").onRun(2).throwing()
        .build());
    Machine<Link> machine = loop.start(LINK, new Link());
    assertThat(machine.state().path()).isEqualTo("online/idle");

    machine.send("send");
    machine.send("done");

    Failure failure = loop.failures().get(0);
    assertThat(failure.phase()).isEqualTo(Phase.ENTRY);
    assertThat(failure.state()).isEqualTo("online/idle");
    assertThat(failure.cause()).isInstanceOf(InjectedFaultException.class)
        .hasMessage("fault injected by a FaultPlan: entry of state online/idle, run 2");
    assertThat(failure.summary()).contains("fault injected by a FaultPlan");
  }

  @Test
  void aThrowableOfTheTests_isThrownAsItIs_andMarkedAsInjected() {
    IllegalStateException mine = new IllegalStateException("exit breaks");
    TestLoop loop = TestLoop.create().injecting(FaultPlan.builder()
        .exit("online/busy").throwing(mine)
        .build());
    Machine<Link> machine = loop.start(LINK, new Link());
    machine.send("send");

    machine.send("done");

    Failure failure = loop.failures().get(0);
    assertThat(failure.cause()).isSameAs(mine);
    assertThat(failure.phase()).isEqualTo(Phase.EXIT);
    assertThat(InjectedFaultException.in(failure.cause())).get()
        .extracting(InjectedFaultException::site).isEqualTo("exit of state online/busy");
    assertThat(failure.summary())
        .endsWith("java.lang.IllegalStateException: exit breaks (injected by a FaultPlan)");
  }

  @Test
  void aDeclaredExpectedError_takesItsTransition_insteadOfFailing() {
    TestLoop loop = TestLoop.create().injecting(FaultPlan.builder()
        .entry("connecting").throwing(new IOException("refused"))
        .build());
    Link link = new Link();
    Machine<Link> machine = loop.start(LINK, link);

    assertThat(machine.state().path()).isEqualTo("backoff");
    loop.advance(Duration.ofSeconds(1));

    assertThat(machine.state().path()).isEqualTo("online/idle");
    assertThat(link.dials).isEqualTo(1);
    assertThat(loop.failures()).isEmpty();
  }

  @Test
  void actionOnAnEvent_failsItsRun_afterTheExits() {
    TestLoop loop = TestLoop.create().injecting(FaultPlan.builder()
        .action("online/idle", "ping").onRun(3).throwing()
        .build());
    Link link = new Link();
    Machine<Link> machine = loop.start(LINK, link);

    machine.send("ping");
    machine.send("ping");
    machine.send("ping");

    assertThat(link.pings).isEqualTo(2);
    Failure failure = machine.state().failure();
    assertThat(failure.phase()).isEqualTo(Phase.ACTION);
    assertThat(failure.callbackState()).isEqualTo("online/idle");
  }

  @Test
  void guard_failsWhereItIsTested() {
    TestLoop loop = TestLoop.create().injecting(FaultPlan.builder()
        .guard("online/idle", "ping").throwing()
        .guard("online/idle", "send").onRun(2).throwing()
        .build());
    Link link = new Link();
    Machine<Link> machine = loop.start(LINK, link);

    machine.send("ping");

    assertThat(machine.state().failure().phase()).isEqualTo(Phase.GUARD);
    assertThat(link.pings).isZero();
  }

  @Test
  void guard_addedToATransitionWithoutOne_holdsOnOtherRuns() {
    TestLoop loop = TestLoop.create().injecting(FaultPlan.builder()
        .guard("online/idle", "send").onRun(2).throwing()
        .build());
    Link link = new Link();
    Machine<Link> machine = loop.start(LINK, link);

    machine.send("send");
    machine.send("done");
    assertThat(machine.state().path()).isEqualTo("online/idle");
    machine.send("send");

    assertThat(link.sent).isEqualTo(1);
    assertThat(machine.state().failure().phase()).isEqualTo(Phase.GUARD);
  }

  @Test
  void call_neverCompleting_leavesTheMachineWaitingUntilItsTimeout() {
    TestLoop loop = TestLoop.create().injecting(FaultPlan.builder()
        .call("connecting", "dial").neverCompleting()
        .build());
    Machine<Link> machine = loop.start(LINK, new Link());

    loop.advance(Duration.ofMillis(4999));
    assertThat(machine.state().path()).isEqualTo("connecting");
    loop.advance(Duration.ofMillis(1));

    assertThat(machine.state().path()).isEqualTo("backoff");
  }

  @Test
  void call_timingOut_withATimeout_isTheEnginesTimeout() {
    TestLoop loop = TestLoop.create().injecting(FaultPlan.builder()
        .call("connecting", "dial").onRun(2).timingOut()
        .build());
    List<Object> events = new ArrayList<>();
    Machine<Link> machine = loop.start(LINK, "link", new Link(),
        MachineListener.onEachTransition((Transition t) -> events.add(t.event())));
    machine.send("drop");
    assertThat(machine.state().path()).isEqualTo("connecting");

    loop.advance(Duration.ofSeconds(5));

    assertThat(machine.state().path()).isEqualTo("backoff");
    assertThat(events.get(events.size() - 1)).isInstanceOf(TimeoutException.class);
  }

  @Test
  void call_completingExceptionally_isAFaultDuringCall_markedAsInjected() {
    TestLoop loop = TestLoop.create().injecting(FaultPlan.builder()
        .call("connecting", "dial").completingExceptionally()
        .build());
    Machine<Link> machine = loop.start(LINK, new Link());

    Failure failure = machine.state().failure();
    assertThat(failure.phase()).isEqualTo(Phase.CALL);
    assertThat(failure.call()).startsWith("dial");
    assertThat(failure.cause()).isInstanceOf(InjectedFaultException.class);
  }

  @Test
  void call_neverCompleting_ofASynchronousCall_isRefusedWhenApplied() {
    MachineDefinition<Link> sync = Stator.<String, Link>machine("sync")
        .initial("a")
        .state("a", s -> s.invoke("look", (link, step) -> 1).onDone("look").goTo("b"))
        .state("b")
        .build();
    FaultPlan plan = FaultPlan.builder().call("a", "look").neverCompleting().build();

    assertThatThrownBy(() -> plan.applyTo(sync)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("call 'look' of state 'a' is SYNC");
  }

  @Test
  void aSiteTheDefinitionLacks_isRefused_withWhatItHas() {
    FaultPlan plan = FaultPlan.builder()
        .entry("onlin/idle").throwing()
        .action("online/idle", "pong").throwing()
        .call("connecting", "dail").throwing()
        .build();

    assertThatThrownBy(() -> plan.applyTo(LINK)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("fault plan for machine 'link'")
        .hasMessageContaining("no state 'onlin/idle'")
        .hasMessageContaining("state 'online/idle' has no transition on 'pong'")
        .hasMessageContaining("its transitions are on [ping, send]")
        .hasMessageContaining("state 'connecting' has no call 'dail'; its calls are [dial]");
  }

  @Test
  void listener_faultIsLogged_andTheMachineGoesOn() {
    TestLoop loop = TestLoop.create(LoopOptions.DEFAULTS).injecting(FaultPlan.builder()
        .listener().onRun(1).throwing()
        .build());
    List<Transition> heard = new ArrayList<>();
    Machine<Link> machine = loop.start(LINK, "link", new Link(),
        MachineListener.onEachTransition(heard::add));
    int afterStart = heard.size();

    machine.send("send");

    assertThat(heard).hasSize(afterStart + 1);
    assertThat(machine.state().path()).isEqualTo("online/busy");
    assertThat(machine.state().status()).isEqualTo(Status.RUNNING);
  }

  @Test
  void eachApplication_countsAfresh_andMachinesOfALoopShareTheCount() {
    FaultPlan plan = FaultPlan.builder().entry("online/busy").onRun(2).throwing().build();
    TestLoop loop = TestLoop.create().injecting(plan);
    Machine<Link> first = loop.start(LINK, new Link());
    Machine<Link> second = loop.start(LINK, new Link());

    first.send("send");
    second.send("send");

    assertThat(first.state().status()).isEqualTo(Status.RUNNING);
    assertThat(second.state().status()).isEqualTo(Status.FAILED);
    Machine<Link> fresh = TestLoop.create().injecting(plan).start(LINK, new Link());
    fresh.send("send");
    assertThat(fresh.state().status()).isEqualTo(Status.RUNNING);
  }
}
