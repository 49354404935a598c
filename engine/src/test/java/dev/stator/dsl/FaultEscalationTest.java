package dev.stator.dsl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stator.Failure;
import dev.stator.Machine;
import dev.stator.MachineDefinition;
import dev.stator.MachineFailedException;
import dev.stator.MachineListener;
import dev.stator.Phase;
import dev.stator.RecoveryPolicy;
import dev.stator.StateSnapshot;
import dev.stator.Status;
import dev.stator.StepLimitException;
import dev.stator.UnhandledEventPolicy;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.function.Consumer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

/** RELIABILITY.md cases 1–10, 14 and 19: what happens when user code throws. */
final class FaultEscalationTest {

  private final Probe probe = new Probe();

  static final class Boom extends RuntimeException {
    Boom(String message) {
      super(message);
    }
  }

  enum Site { ENTRY, EXIT, ACTION, GUARD, TIMER_ACTION, EVENTLESS_GUARD }

  private static MachineDefinition<Recorder> throwingAt(Site site) {
    Consumer<Recorder> boom = r -> {
      throw new Boom("thrown in " + site);
    };
    return Stator.<String, Recorder>machine("faulty")
        .initial("IDLE")
        .state("IDLE", s -> s
            .onExit(r -> { if (site == Site.EXIT) boom.accept(r); })
            .on("go").when(r -> { if (site == Site.GUARD) boom.accept(r); return true; })
            .then(r -> { if (site == Site.ACTION) boom.accept(r); })
            .goTo("WORKING"))
        .state("WORKING", s -> s
            .onEntry(r -> { if (site == Site.ENTRY) boom.accept(r); })
            .always().when(r -> { if (site == Site.EVENTLESS_GUARD) boom.accept(r); return false; })
            .goTo("IDLE")
            .after(Duration.ofSeconds(1)).then(r -> { if (site == Site.TIMER_ACTION) boom.accept(r); })
            .goTo("IDLE"))
        .build();
  }

  @ParameterizedTest
  @EnumSource(Site.class)
  void callbackThrows_standardOutcome_failedOnceReportedOnceLoopGoesOn(Site site) {
    Machine<Recorder> faulty = probe.loop.start(throwingAt(site), "faulty-1", new Recorder());
    Machine<Recorder> bystander = probe.loop.start(Stator.<String, Recorder>machine("bystander")
        .initial("A").state("A", s -> s.on("ping").then(r -> r.counter++).stay()).build(),
        new Recorder());
    Thread loopThread = Thread.currentThread();

    faulty.send("go");
    probe.loop.advance(Duration.ofSeconds(2));

    StateSnapshot snapshot = faulty.state();
    assertThat(snapshot.status()).isEqualTo(Status.FAILED);
    Failure failure = snapshot.failure();
    assertThat(failure.cause()).isInstanceOf(Boom.class).hasMessage("thrown in " + site);
    assertThat(failure.machineId()).isEqualTo("faulty-1");
    assertThat(failure.phase()).isEqualTo(switch (site) {
      case ENTRY -> Phase.ENTRY;
      case EXIT -> Phase.EXIT;
      case ACTION, TIMER_ACTION -> Phase.ACTION;
      case GUARD, EVENTLESS_GUARD -> Phase.GUARD;
    });
    assertThat(faulty.lifecycle()).isCompletedExceptionally();
    assertThatThrownBy(() -> faulty.lifecycle().join())
        .isInstanceOf(CompletionException.class)
        .cause().isInstanceOf(MachineFailedException.class)
        .hasMessageStartingWith("machine 'faulty-1' failed in state ")
        .hasRootCauseInstanceOf(Boom.class);
    assertThat(probe.unobserved).containsExactly(failure);
    assertThat(probe.escalated).as("exit escalates to the loop").containsExactly(failure);
    assertThat(probe.loop.pendingTimers()).isZero();
    assertThat(probe.loop.liveMachines()).isEqualTo(1);

    bystander.send("ping");
    assertThat(bystander.state().status()).isEqualTo(Status.RUNNING);
    assertThat(Thread.currentThread()).isSameAs(loopThread);
  }

  @Test
  void failureMessage_readsLikeAStackTraceHeader() {
    MachineDefinition<Recorder> definition = Stator.<String, Recorder>machine("conn")
        .initial("connecting")
        .state("connecting", c -> c.initial("dial")
            .state("dial", d -> d.on("Timeout").goTo("handshake"))
            .state("handshake", h -> h.onEntry(r -> {
              throw new IOException("peer reset");
            })))
        .build();
    Machine<Recorder> machine = probe.loop.start(definition, "conn-7", new Recorder());

    machine.send("Timeout");

    assertThat(machine.state().failure().summary()).isEqualTo("machine 'conn-7' failed in state"
        + " connecting/handshake on event Timeout during ENTRY: java.io.IOException: peer reset");
    assertThat(machine.state().failure().recentSteps()).extracting(Object::toString)
        .containsExactly("(start) --START--> connecting/dial");
  }

  @ParameterizedTest(name = "{0} steps before the fault")
  @org.junit.jupiter.params.provider.ValueSource(ints = {0, 1, 2, 3, 4, 5, 9, 40})
  void failureTrace_holdsTheLastStepsInOrder_asTheRingGrowsAndWraps(int steps) {
    dev.stator.testing.TestLoop loop = dev.stator.testing.TestLoop.create(
        dev.stator.LoopOptions.DEFAULTS.withTraceLength(4)
            .withUnobservedFailureHandler(f -> { }), 0L);
    MachineDefinition<Recorder> definition = Stator.<String, Recorder>machine("ring")
        .initial("A")
        .state("A", s -> s.on("next").goTo("B").on("boom").then(r -> {
          throw new IllegalStateException("boom");
        }).stay())
        .state("B", s -> s.on("next").goTo("A").on("boom").then(r -> {
          throw new IllegalStateException("boom");
        }).stay())
        .build();
    Machine<Recorder> machine = loop.start(definition, new Recorder());
    List<String> expected = new ArrayList<>();
    expected.add("(start) --START--> A");
    for (int i = 0; i < steps; i++) {
      machine.send("next");
      expected.add(i % 2 == 0 ? "A --next--> B" : "B --next--> A");
    }

    machine.send("boom");

    assertThat(machine.state().failure().recentSteps()).extracting(Object::toString)
        .containsExactlyElementsOf(expected.subList(Math.max(0, expected.size() - 4), expected.size()));
  }

  @Test
  void throwingGuard_isNeverReadAsFalse() {
    MachineDefinition<Recorder> definition = Stator.<String, Recorder>machine("guard")
        .initial("A")
        .state("A", s -> s
            .on("go").when(r -> { throw new Boom("guard"); }).goTo("B")
            .on("go").goTo("C"))
        .state("B").state("C")
        .build();
    Machine<Recorder> machine = probe.loop.start(definition, new Recorder());

    machine.send("go");

    assertThat(machine.state().status()).isEqualTo(Status.FAILED);
    assertThat(machine.state().failure().phase()).isEqualTo(Phase.GUARD);
  }

  static final class Hostile extends RuntimeException {
    Hostile() {
      super((String) null);
    }

    @Override
    public String getMessage() {
      throw new IllegalStateException("getMessage is hostile");
    }

    @Override
    public String toString() {
      throw new IllegalStateException("toString is hostile");
    }
  }

  @Test
  void hostileThrowables_nullMessageThrowingToStringCyclicCause_stillGiveTheStandardOutcome() {
    RuntimeException cyclicA = new RuntimeException((String) null);
    RuntimeException cyclicB = new RuntimeException("b", cyclicA);
    cyclicA.initCause(cyclicB);
    Object hostileEvent = new Object() {
      @Override
      public String toString() {
        throw new IllegalStateException("event toString is hostile");
      }
    };
    for (RuntimeException thrown : List.of(new Hostile(), cyclicA, new RuntimeException())) {
      Machine<Recorder> machine = probe.loop.start(Stator.<String, Recorder>machine("hostile")
          .initial("A")
          .state("A", s -> s.on(Object.class).then(r -> { throw thrown; }).stay())
          .build(), new Recorder());

      machine.send(hostileEvent);

      Failure failure = machine.state().failure();
      assertThat(failure.cause()).isSameAs(thrown);
      assertThat(failure.report()).contains("failed in state A");
      assertThat(failure.event()).contains("toString() threw");
    }
    assertThat(probe.unobserved).hasSize(3);
  }

  @Test
  void interruptFlagLeftSet_isAFaultAndTheLoopClearsIt() {
    Machine<Recorder> machine = probe.loop.start(Stator.<String, Recorder>machine("interrupt")
        .initial("A")
        .state("A", s -> s.on("go").then(r -> Thread.currentThread().interrupt()).stay())
        .build(), new Recorder());

    machine.send("go");

    assertThat(machine.state().failure().cause()).isInstanceOf(InterruptedException.class);
    assertThat(Thread.currentThread().isInterrupted()).isFalse();
  }

  @Test
  void thrownInterruptedException_isAFault() {
    Machine<Recorder> machine = probe.loop.start(Stator.<String, Recorder>machine("interrupted")
        .initial("A")
        .state("A", s -> s.on("go").then(r -> {
          throw new InterruptedException("woken");
        }).stay())
        .build(), new Recorder());

    machine.send("go");

    assertThat(machine.state().failure().cause()).isInstanceOf(InterruptedException.class);
  }

  @Test
  void jvmErrorsFromUserCode_failOnlyThatMachine() {
    List<Throwable> errors = List.of(new StackOverflowError("deep"), new AssertionError("broken"),
        new NoClassDefFoundError("Missing"));
    Machine<Recorder> bystander = probe.loop.start(Stator.<String, Recorder>machine("bystander")
        .initial("A").state("A").build(), new Recorder());
    for (Throwable error : errors) {
      Machine<Recorder> machine = probe.loop.start(Stator.<String, Recorder>machine("jvm")
          .initial("A")
          .state("A", s -> s.on("go").then(r -> { throw sneaky(error); }).stay())
          .build(), new Recorder());

      machine.send("go");

      assertThat(machine.state().failure().cause()).isSameAs(error);
    }
    assertThat(bystander.state().status()).isEqualTo(Status.RUNNING);
    assertThat(probe.loop.isClosed()).isFalse();
  }

  @Test
  void realStackOverflowInUserCode_failsThatMachineOnly() {
    Machine<Recorder> machine = probe.loop.start(Stator.<String, Recorder>machine("recursion")
        .initial("A")
        .state("A", s -> s.on("go").then(r -> r.counter = recurse(1)).stay())
        .build(), new Recorder());

    machine.send("go");

    assertThat(machine.state().failure().cause()).isInstanceOf(StackOverflowError.class);
  }

  private static int recurse(int depth) {
    return recurse(depth + 1) + 1;
  }

  @SuppressWarnings("unchecked")
  private static <T extends Throwable> RuntimeException sneaky(Throwable t) throws T {
    throw (T) t;
  }

  @Test
  void endlessEventlessChain_isCutOffAsAFault() {
    Machine<Recorder> machine = probe.loop.start(Stator.<String, Recorder>machine("spin")
        .initial("A")
        .state("A", s -> s.on("go").goTo("B"))
        .state("B", s -> s.always().goTo("C"))
        .state("C", s -> s.always().goTo("B"))
        .build(), new Recorder());

    machine.send("go");

    Failure failure = machine.state().failure();
    assertThat(failure.cause()).isInstanceOf(StepLimitException.class)
        .hasMessageContaining("more than 1000");
    assertThat(failure.phase()).isEqualTo(Phase.EVENTLESS);
  }

  @Test
  void endlessRaising_isCutOffAsAFault() {
    Machine<Recorder> machine = probe.loop.start(Stator.<String, Recorder>machine("echo")
        .initial("A")
        .state("A", s -> s.on("ping").then((r, step) -> step.raise("ping")).stay())
        .build(), new Recorder());

    machine.send("ping");

    assertThat(machine.state().failure().cause()).isInstanceOf(StepLimitException.class);
  }

  @Test
  void unhandledEvent_underTheFaultPolicy_isAFault() {
    Machine<Recorder> machine = probe.loop.start(Stator.<String, Recorder>machine("strict")
        .initial("A").state("A")
        .unhandledEvents(UnhandledEventPolicy.FAULT)
        .build(), new Recorder());

    machine.send("surprise");

    assertThat(machine.state().failure().cause())
        .hasMessage("machine '" + machine.id() + "' has no transition for event surprise in state A");
    assertThat(machine.state().failure().phase()).isEqualTo(Phase.DISPATCH);
  }

  @Test
  void sendAfterFailure_isRefusedAndCountedAsADeadLetter() {
    Machine<Recorder> machine = probe.loop.start(throwingAt(Site.ACTION), new Recorder());
    machine.send("go");

    boolean accepted = machine.send("late");

    assertThat(accepted).isFalse();
    assertThat(probe.deadLetters).extracting(d -> d.event()).containsExactly("late");
  }

  @Test
  void eventsQueuedAtTheFault_areCountedInTheReportAndDeadLettered() {
    Machine<Recorder>[] self = new Machine[1];
    self[0] = probe.loop.start(Stator.<String, Recorder>machine("queued")
        .initial("A")
        .state("A", s -> s
            .on("burst").then((r, step) -> {
              step.machine().send("one");
              step.machine().send("two");
              step.raise("raised");
              throw new Boom("after queueing");
            }).stay())
        .build(), new Recorder());

    self[0].send("burst");

    assertThat(self[0].state().failure().queuedEvents()).isEqualTo(3);
    assertThat(probe.deadLetters).extracting(d -> d.event())
        .containsExactly("raised", "one", "two");
  }

  @Test
  void throwingListener_isReportedAndNeitherTheMachineNorOtherListenersSuffer() {
    Machine<Recorder> machine = probe.loop.start(Stator.<String, Recorder>machine("listened")
        .initial("A")
        .state("A", s -> s.on("go").goTo("B"))
        .state("B")
        .build(), new Recorder());
    List<String> seen = new ArrayList<>();
    machine.addListener(new MachineListener<>() {
      @Override
      public void onTransition(Machine<Recorder> m, String from, Object event, String to) {
        throw new Boom("listener");
      }
    });
    machine.addListener(new MachineListener<>() {
      @Override
      public void onTransition(Machine<Recorder> m, String from, Object event, String to) {
        seen.add(to);
      }
    });

    machine.send("go");

    assertThat(machine.state().path()).isEqualTo("B");
    assertThat(seen).containsExactly("B");
  }

  @Test
  void observedFailure_isNotReportedAsUnobserved() {
    Machine<Recorder> machine = probe.loop.start(throwingAt(Site.ACTION), new Recorder());
    List<Throwable> seen = new ArrayList<>();
    machine.lifecycle().whenComplete((t, e) -> seen.add(e));

    machine.send("go");

    assertThat(seen).hasSize(1);
    assertThat(probe.unobserved).isEmpty();
  }

  @Test
  void stopRacingAFault_givesExactlyOneOutcome() {
    Machine<Recorder> machine = probe.loop.start(throwingAt(Site.ACTION), new Recorder());
    probe.loop.execute(() -> {
      machine.send("go");
      machine.stop();
      machine.stop();
    });

    assertThat(machine.lifecycle()).isCompletedExceptionally();
    assertThat(probe.loop.failures()).hasSize(1);
    assertThat(probe.unobserved).hasSize(1);
  }

  @Test
  void guardReturningNullWhereABooleanIsNeeded_isAFaultNamingTheProblem() {
    Machine<Recorder> machine = probe.loop.start(Stator.<String, Recorder>machine("null-guard")
        .initial("A")
        .state("A", s -> s.on("go").when(r -> (Boolean) null).goTo("B"))
        .state("B")
        .build(), new Recorder());

    machine.send("go");

    assertThat(machine.state().failure().cause()).isInstanceOf(NullPointerException.class);
    assertThat(machine.state().failure().phase()).isEqualTo(Phase.GUARD);
  }

  @Test
  void eventsDuringAPendingShutdown_areDeadLettersAndTheHookRunsOnce() {
    java.util.concurrent.CompletableFuture<Void> goodbye = new java.util.concurrent.CompletableFuture<>();
    java.util.concurrent.atomic.AtomicInteger hookRuns = new java.util.concurrent.atomic.AtomicInteger();
    Machine<Recorder> machine = probe.loop.start(Stator.<String, Recorder>machine("closing")
        .initial("A")
        .state("A", s -> s.on("go").then(r -> { throw new Boom("first"); }).stay())
        .recovery(RecoveryPolicy.shutdownAsync((r, f) -> {
          hookRuns.incrementAndGet();
          return goodbye;
        }, Duration.ofSeconds(5)))
        .build(), new Recorder());

    machine.send("go");
    machine.send("go");
    machine.send("again");
    goodbye.complete(null);
    probe.loop.runUntilIdle();

    assertThat(hookRuns).hasValue(1);
    assertThat(probe.deadLetters).extracting(d -> d.event()).containsExactly("go", "again");
    assertThat(probe.loop.failures()).hasSize(1);
    assertThat(machine.state().failure().cause()).hasMessage("first");
  }

  @Test
  void testLoop_checkFailures_rethrowsEachFailureOnce() {
    probe.loop.start(throwingAt(Site.ACTION), "first", new Recorder()).send("go");
    probe.loop.start(throwingAt(Site.ACTION), "second", new Recorder()).send("go");

    assertThatThrownBy(probe.loop::checkFailures).isInstanceOf(MachineFailedException.class)
        .hasMessageStartingWith("machine 'first'");
    assertThatThrownBy(probe.loop::checkFailures).isInstanceOf(MachineFailedException.class)
        .hasMessageStartingWith("machine 'second'");
    probe.loop.checkFailures();
  }
}
