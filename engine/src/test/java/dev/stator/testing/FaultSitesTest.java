package dev.stator.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stator.CallDone;
import dev.stator.Failure;
import dev.stator.LoopOptions;
import dev.stator.Machine;
import dev.stator.MachineDefinition;
import dev.stator.MachineListener;
import dev.stator.Phase;
import dev.stator.RecoveryPolicy;
import dev.stator.StateSnapshot;
import dev.stator.Status;
import dev.stator.Transition;
import dev.stator.dsl.Stator;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

/**
 * The sites of a fault plan as its documentation names them, and how each kind of site fails:
 * a blocking call throws as it starts, completes exceptionally on the executor, or times out at
 * once; a synchronous call times out at once; a guard the plan adds to still decides on the
 * runs that do not fail; the runs that do not fail run the real callback. A listener fault
 * counts every notification, of any kind, and drops only the n-th. A plan that names no
 * callback, or no listener, leaves it as it is.
 */
final class FaultSitesTest {

  /** An error class nested in another, so that its binary name has a {@code $}. */
  static final class Refused extends RuntimeException {
    Refused() {
      super("refused");
    }
  }

  /** A payload type, named by a plan by its simple name. */
  record Ping(int n) {}

  /** What the calls of a run gave back. */
  static final class Seen {
    final List<Object> events = new ArrayList<>();
    boolean open;
  }

  private static final LoopOptions INLINE_BLOCKING =
      LoopOptions.DEFAULTS.withBlockingExecutor(Runnable::run);

  private static MachineDefinition<Seen> loader() {
    return Stator.<String, Seen>machine("loader")
        .initial("loading")
        .state("loading", s -> s
            .invokeBlocking("load", seen -> () -> "data", Duration.ofSeconds(5))
            .onDone("load").then((seen, step) -> seen.events.add(step.event())).goTo("loaded")
            .onCallError("load", IOException.class)
            .then((seen, step) -> seen.events.add(step.event())).goTo("retrying")
            .onCallError("load", TimeoutException.class)
            .then((seen, step) -> seen.events.add(step.event())).goTo("retrying"))
        .state("retrying")
        .state("loaded")
        .build();
  }

  @Test
  void aBlockingCall_onItsFailingRun_throwsAsItStarts_andOtherRunsRunTheRealCall() {
    TestLoop loop = TestLoop.create(INLINE_BLOCKING).injecting(FaultPlan.builder()
        .call("loading", "load").onRun(2).throwing()
        .build());
    MachineDefinition<Seen> loader = loader();
    Seen first = new Seen();
    Machine<Seen> ok = loop.start(loader, first);
    loop.runUntilIdle();

    Machine<Seen> failing = loop.start(loader, new Seen());
    loop.runUntilIdle();

    assertThat(ok.state().path()).isEqualTo("loaded");
    assertThat(first.events).containsExactly(new CallDone("load", "data"));
    Failure failure = failing.state().failure();
    assertThat(failure.phase()).isEqualTo(Phase.CALL);
    assertThat(failure.cause()).isInstanceOf(InjectedFaultException.class)
        .hasMessage("fault injected by a FaultPlan: call load of state loading, run 2");
  }

  @Test
  void aBlockingCall_completingExceptionally_failsWithTheGivenError_markedAsInjected() {
    IOException disk = new IOException("disk");
    TestLoop loop = TestLoop.create(INLINE_BLOCKING).injecting(FaultPlan.builder()
        .call("loading", "load").completingExceptionally(disk)
        .build());
    Seen seen = new Seen();

    Machine<Seen> machine = loop.start(loader(), seen);
    loop.runUntilIdle();

    assertThat(machine.state().path()).isEqualTo("retrying");
    assertThat(seen.events).hasSize(1);
    Throwable error = (Throwable) seen.events.get(0);
    assertThat(error).isSameAs(disk);
    assertThat(InjectedFaultException.in(error)).get()
        .extracting(InjectedFaultException::site, InjectedFaultException::run)
        .containsExactly("call load of state loading", 1);
  }

  @Test
  void aBlockingCall_timingOut_failsAtOnce_withATimeoutNamingTheCall() {
    TestLoop loop = TestLoop.create(INLINE_BLOCKING).injecting(FaultPlan.builder()
        .call("loading", "load").timingOut()
        .build());
    Seen seen = new Seen();

    Machine<Seen> machine = loop.start(loader(), seen);
    loop.runUntilIdle();

    assertThat(machine.state().path()).isEqualTo("retrying");
    assertThat(loop.elapsed()).isZero();
    Throwable error = (Throwable) seen.events.get(0);
    assertThat(error).isInstanceOf(TimeoutException.class)
        .hasMessage("call load of state loading timed out");
    assertThat(InjectedFaultException.in(error)).isPresent();
  }

  @Test
  void aSynchronousCall_timingOut_failsAtOnce_andOtherRunsGiveTheRealResult() {
    MachineDefinition<Seen> looker = Stator.<String, Seen>machine("looker")
        .initial("looking")
        .state("looking", s -> s
            .invoke("look", (seen, step) -> 42)
            .onDone("look").then((seen, step) -> seen.events.add(step.event())).goTo("found")
            .onError(TimeoutException.class)
            .then((seen, step) -> seen.events.add(step.event())).goTo("lost"))
        .state("found")
        .state("lost")
        .build();
    TestLoop loop = TestLoop.create().injecting(FaultPlan.builder()
        .call("looking", "look").onRun(2).timingOut()
        .build());
    Seen first = new Seen();
    Seen second = new Seen();

    Machine<Seen> found = loop.start(looker, first);
    Machine<Seen> lost = loop.start(looker, second);

    assertThat(found.state().path()).isEqualTo("found");
    assertThat(first.events).containsExactly(new CallDone("look", 42));
    assertThat(lost.state().path()).isEqualTo("lost");
    assertThat((Throwable) second.events.get(0)).isInstanceOf(TimeoutException.class)
        .hasMessage("call look of state looking timed out");
  }

  @Test
  void aGuardThePlanAddsTo_stillDecides_onTheRunsThatDoNotFail() {
    MachineDefinition<Seen> door = Stator.<String, Seen>machine("door")
        .initial("shut")
        .state("shut", s -> s.on("push").when(seen -> seen.open).goTo("open"))
        .state("open")
        .build();
    TestLoop loop = TestLoop.create().injecting(FaultPlan.builder()
        .guard("shut", "push").onRun(3).throwing()
        .build());
    Seen seen = new Seen();
    Machine<Seen> machine = loop.start(door, seen);

    machine.send("push");
    assertThat(machine.state().path()).isEqualTo("shut");
    Machine<Seen> other = TestLoop.create().injecting(FaultPlan.builder()
        .entry("open").throwing().build()).start(door, new Seen());
    other.send("push");
    assertThat(other.state().path()).as("a guard the plan does not name").isEqualTo("shut");
    seen.open = true;
    machine.send("push");

    assertThat(machine.state().path()).isEqualTo("open");
  }

  @Test
  void aPlan_namesEachTrigger_asTheDocumentationSays_andListsThemWhenASiteIsMissing() {
    MachineDefinition<Seen> many = Stator.<String, Seen>machine("many")
        .initial("a")
        .state("a", s -> s
            .invokeAsync("dial", (seen, step) -> new java.util.concurrent.CompletableFuture<>(),
                Duration.ofSeconds(5))
            .on("ping").goTo("b")
            .on(Ping.class).goTo("b")
            .onError(Refused.class).goTo("b")
            .onCallError("dial", IOException.class).goTo("b")
            .onDone("dial").goTo("b")
            .after(Duration.ofSeconds(1)).goTo("b")
            .always().when(seen -> seen.open).goTo("b"))
        .state("b")
        .build();

    assertThatThrownBy(() -> FaultPlan.builder().guard("a", "pong").throwing().build()
        .applyTo(many))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("its transitions are on [ping, Ping, error Refused,"
            + " error IOException from dial, done dial, after PT1S, always]");
    for (String event : List.of("ping", "Ping", "error Refused", "error IOException from dial",
        "done dial", "after PT1S", "always")) {
      assertThat(FaultPlan.builder().action("a", event).throwing().build().applyTo(many))
          .as(event).isNotSameAs(many);
    }
  }

  @Test
  void aListenerFault_dropsOnlyTheNthNotification_countingTransitionsResetsAndTheEnd() {
    MachineDefinition<Seen> flaky = Stator.<String, Seen>machine("flaky")
        .initial("idle")
        .recovery(RecoveryPolicy.reset(Seen::new))
        .state("idle", s -> s
            .on("go").goTo("busy")
            .on("boom").then(seen -> {
              throw new IllegalStateException("boom");
            }).goTo("busy"))
        .state("busy", s -> s.on("back").goTo("idle"))
        .build();
    List<String> all = heard(flaky, FaultPlan.none());
    int reset = all.indexOf("reset");
    int end = all.indexOf("end");
    int transition = all.indexOf("transition to busy");
    assertThat(reset).isPositive();
    assertThat(end).isPositive();
    assertThat(transition).isPositive();

    List<String> faulty = heard(flaky, FaultPlan.builder()
        .listener().onRun(reset + 1).throwing()
        .listener().onRun(end + 1).throwing()
        .listener().onRun(transition + 1).throwing()
        .build());

    List<String> expected = new ArrayList<>();
    for (int i = 0; i < all.size(); i++) {
      if (!Set.of(reset, end, transition).contains(i)) {
        expected.add(all.get(i));
      }
    }
    assertThat(faulty).isEqualTo(expected);
  }

  @Test
  void twoFaultsAtOneSite_eachFailsTheRunItNames() {
    MachineDefinition<Seen> flaky = Stator.<String, Seen>machine("two")
        .initial("idle")
        .recovery(RecoveryPolicy.reset(Seen::new))
        .state("idle", s -> s.on("go").goTo("busy"))
        .state("busy", s -> s.onEntry(seen -> seen.open = true).on("back").goTo("idle"))
        .build();
    TestLoop loop = TestLoop.create().injecting(FaultPlan.builder()
        .entry("busy").onRun(1).throwing()
        .entry("busy").onRun(2).throwing()
        .build());
    List<Integer> failedRuns = new ArrayList<>();
    Machine<Seen> machine = loop.start(flaky, "two", new Seen(),
        MachineListener.onEachReset(failure ->
            failedRuns.add(InjectedFaultException.in(failure.cause()).orElseThrow().run())));

    for (int run = 1; run <= 3; run++) {
      machine.send("go");
      loop.advance(Duration.ofMinutes(1));
    }

    assertThat(failedRuns).containsExactly(1, 2);
    assertThat(machine.state().path()).isEqualTo("busy");
  }

  /** What a listener given to {@code start} hears of a scripted run, with the plan attached. */
  private static List<String> heard(MachineDefinition<Seen> definition, FaultPlan plan) {
    List<String> heard = new ArrayList<>();
    TestLoop loop = TestLoop.create().injecting(plan);
    Machine<Seen> machine = loop.start(definition, "flaky", new Seen(), new MachineListener<>() {
      @Override
      public void onTransition(Machine<Seen> m, Transition transition) {
        heard.add("transition to " + transition.to());
      }

      @Override
      public void onReset(Machine<Seen> m, Failure failure) {
        heard.add("reset");
      }

      @Override
      public void onTerminated(Machine<Seen> m, StateSnapshot last) {
        heard.add("end");
      }
    });
    machine.send("go");
    machine.send("back");
    machine.send("boom");
    loop.advance(Duration.ofMinutes(1));
    machine.send("go");
    machine.stop();
    loop.runUntilIdle();
    assertThat(machine.state().status()).isEqualTo(Status.STOPPED);
    return heard;
  }

  @Test
  void aListenerFault_isLogged_namingTheListenerAsFaulty_andTheLoopGoesOn() {
    List<java.util.logging.LogRecord> logged = new java.util.concurrent.CopyOnWriteArrayList<>();
    java.util.logging.Handler handler = new java.util.logging.Handler() {
      @Override
      public void publish(java.util.logging.LogRecord logRecord) {
        logged.add(logRecord);
      }

      @Override
      public void flush() { }

      @Override
      public void close() { }
    };
    MachineListener<Seen> listener = new MachineListener<>() {
      @Override
      public String toString() {
        return "the recorder";
      }
    };
    java.util.logging.Logger logger = java.util.logging.Logger.getLogger("dev.stator");
    logger.addHandler(handler);
    Machine<Seen> machine;
    try {
      TestLoop loop = TestLoop.create().injecting(FaultPlan.builder().listener().throwing().build());
      machine = loop.start(Stator.<String, Seen>machine("listened").initial("loading")
          .state("loading").build(), "listened", new Seen(), listener);
    } finally {
      logger.removeHandler(handler);
    }

    assertThat(machine.state().path()).isEqualTo("loading");
    assertThat(logged).anySatisfy(logRecord -> {
      assertThat(logRecord.getMessage()).contains("listener faulty the recorder")
          .contains("threw; the loop goes on");
      assertThat(logRecord.getThrown()).isInstanceOf(InjectedFaultException.class);
    });
  }

  @Test
  void aPlanOfListenerFaultsOnly_leavesTheDefinition_andAPlanWithoutThem_theListener() {
    MachineDefinition<Seen> definition = loader();
    MachineListener<Seen> listener = MachineListener.onEachTransition(t -> { });
    FaultPlan listenerOnly = FaultPlan.builder().listener().throwing().build();
    FaultPlan entryOnly = FaultPlan.builder().entry("loaded").throwing().build();

    assertThat(listenerOnly.applyTo(definition)).isSameAs(definition);
    assertThat(entryOnly.applyTo(listener)).isSameAs(listener);
    assertThat(listenerOnly.applyTo(listener)).isNotSameAs(listener);
    assertThat(entryOnly.applyTo(definition)).isNotSameAs(definition);
  }

  @Test
  void isEmpty_isTrueOnlyForAPlanWithoutFaults() {
    assertThat(FaultPlan.none().isEmpty()).isTrue();
    assertThat(FaultPlan.builder().build().isEmpty()).isTrue();
    assertThat(FaultPlan.builder().listener().throwing().build().isEmpty()).isFalse();
  }

  @Test
  void toString_listsEachFault_bySiteRunAndHow() {
    FaultPlan plan = FaultPlan.builder()
        .entry("a").onRun(2).throwing(new IOException("x"))
        .call("a", "dial").timingOut()
        .listener().throwing()
        .build();

    assertThat(plan).hasToString("FaultPlan[entry of state a, run 2: throw IOException,"
        + " call dial of state a, run 1: time_out, listener, run 1: throw]");
  }
}
