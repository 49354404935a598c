package dev.stator.dsl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stator.Failure;
import dev.stator.LoopOptions;
import dev.stator.Machine;
import dev.stator.MachineDefinition;
import dev.stator.MachineListener;
import dev.stator.Phase;
import dev.stator.RecoveryPolicy;
import dev.stator.Status;
import dev.stator.Step;
import dev.stator.UnhandledEventException;
import dev.stator.UnhandledEventPolicy;
import dev.stator.testing.TestLoop;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * Rules of listeners and of a step: a removed listener hears nothing more and removing it again
 * says so; listeners hear the transitions of a step that failed before they hear its reset; a
 * delayed transition is taken only if its guard holds when it fires; an unhandled event is a fault
 * under {@link UnhandledEventPolicy#FAULT}, in a statechart too; and a step is the loop thread's
 * alone.
 */
final class ListenerAndStepRulesTest {

  private final TestLoop loop = TestLoop.create(
      LoopOptions.DEFAULTS.withUnobservedFailureHandler(failure -> { }), 0);

  /** Records what it hears as "from->to" and "reset". */
  static final class Log implements MachineListener<Object> {
    final List<String> heard = new ArrayList<>();

    @Override
    public void onTransition(Machine<Object> machine, String from, Object event, String to) {
      heard.add(from + "->" + to);
    }

    @Override
    public void onReset(Machine<Object> machine, Failure failure) {
      heard.add("reset");
    }
  }

  private static MachineDefinition<Object> toggle() {
    return Stator.<String, Object>machine("toggle")
        .initial("OFF")
        .state("OFF", s -> s.on("flip").goTo("ON"))
        .state("ON", s -> s.on("flip").goTo("OFF"))
        .build();
  }

  @Test
  void aRemovedListener_hearsNothingMore_andRemovingItAgainReturnsFalse() {
    Machine<Object> machine = loop.start(toggle(), new Object());
    Log log = new Log();
    machine.addListener(log);

    machine.send("flip");
    loop.runUntilIdle();
    assertThat(machine.removeListener(log)).isTrue();
    machine.send("flip");
    loop.runUntilIdle();

    assertThat(log.heard).containsExactly("OFF->ON");
    assertThat(machine.removeListener(log)).isFalse();
  }

  @Test
  void aMachine_namesItsIdAndStateInItsDescription() {
    Machine<Object> machine = loop.start(toggle(), "lamp", new Object());

    assertThat(machine.toString()).contains("lamp").contains("OFF");
  }

  @Test
  void listeners_hearTheTransitionsOfAFailedStep_beforeItsReset() {
    MachineDefinition<Object> fragile = Stator.<String, Object>machine("fragile")
        .initial("IDLE")
        .state("IDLE", s -> s.on("go").goTo("BUSY"))
        .state("BUSY", s -> s.always().goTo("BROKEN"))
        .state("BROKEN", s -> s.onEntry((c, step) -> {
          throw new IllegalStateException("broken on entry");
        }))
        .recovery(RecoveryPolicy.reset(Object::new))
        .build();
    Machine<Object> machine = loop.start(fragile, new Object());
    Log log = new Log();
    machine.addListener(log);

    machine.send("go");
    loop.runUntilIdle();
    loop.advance(Duration.ofSeconds(1));

    assertThat(log.heard).contains("IDLE->BUSY", "reset");
    assertThat(log.heard.indexOf("IDLE->BUSY")).isLessThan(log.heard.indexOf("reset"));
    assertThat(machine.state().path()).isEqualTo("IDLE");
  }

  @Test
  void aDelayedTransition_isTakenOnlyIfItsGuardHoldsWhenItFires() {
    boolean[] open = {false};
    MachineDefinition<Object> gate = Stator.<String, Object>machine("gate")
        .initial("WAITING")
        .state("WAITING", s -> s.after(Duration.ofSeconds(1)).when(c -> open[0]).goTo("GONE")
            .on("again").goTo("WAITING"))
        .state("GONE")
        .build();
    Machine<Object> machine = loop.start(gate, new Object());

    loop.advance(Duration.ofSeconds(1));
    assertThat(machine.state().path()).isEqualTo("WAITING");

    open[0] = true;
    machine.send("again");
    loop.runUntilIdle();
    loop.advance(Duration.ofSeconds(1));
    assertThat(machine.state().path()).isEqualTo("GONE");
  }

  @Test
  void anUnhandledEvent_underThePolicyFault_failsAStatechart() {
    MachineDefinition<Object> nested = Stator.<String, Object>machine("strict")
        .initial("OUTER")
        .state("OUTER", s -> s.initial("INNER").state("INNER", inner -> inner.on("known").goTo("OTHER"))
            .state("OTHER"))
        .unhandledEvents(UnhandledEventPolicy.FAULT)
        .build();
    Machine<Object> machine = loop.start(nested, new Object());

    machine.send("unknown");
    loop.runUntilIdle();

    assertThat(machine.state().status()).isEqualTo(Status.FAILED);
    assertThat(machine.state().failure().cause()).isInstanceOf(UnhandledEventException.class);
    assertThat(machine.state().failure().phase()).isEqualTo(Phase.DISPATCH);
  }

  @Test
  void anUnhandledEvent_underThePolicyFault_failsAMachineWithRegions() {
    MachineDefinition<Object> regions = Stator.<String, Object>machine("strict regions")
        .initial("BOTH")
        .parallel("BOTH", p -> p
            .state("LEFT", l -> l.initial("L1").state("L1", s -> s.on("left").goTo("L2")).state("L2"))
            .state("RIGHT", r -> r.initial("R1").state("R1")))
        .unhandledEvents(UnhandledEventPolicy.FAULT)
        .build();
    Machine<Object> machine = loop.start(regions, new Object());

    machine.send("left");
    loop.runUntilIdle();
    assertThat(machine.state().isIn("L2")).isTrue();

    machine.send("unknown");
    loop.runUntilIdle();

    assertThat(machine.state().status()).isEqualTo(Status.FAILED);
    assertThat(machine.state().failure().cause()).isInstanceOf(UnhandledEventException.class);
  }

  enum Signal { GO, HALT }

  @Test
  void anEventOfAnotherType_toAMachineOfEnumEvents_isUnhandledLikeAnyOther() {
    MachineDefinition<Object> signalled = Stator.<String, Object>machine("signalled")
        .initial("IDLE")
        .state("IDLE", s -> s.on(Signal.GO).goTo("RUNNING"))
        .state("RUNNING", s -> s.on(Signal.HALT).goTo("IDLE"))
        .build();
    Machine<Object> machine = loop.start(signalled, new Object());

    machine.send("GO");
    machine.send(42);
    loop.runUntilIdle();
    assertThat(machine.state().status()).isEqualTo(Status.RUNNING);
    assertThat(machine.state().path()).isEqualTo("IDLE");

    machine.send(Signal.GO);
    loop.runUntilIdle();
    assertThat(machine.state().path()).isEqualTo("RUNNING");
  }

  @Test
  void raisingAnEventFromAnotherThread_isRefused() throws InterruptedException {
    AtomicReference<Step<?>> kept = new AtomicReference<>();
    MachineDefinition<Object> keeper = Stator.<String, Object>machine("keeper")
        .initial("A")
        .state("A", s -> s.onEntry((c, step) -> kept.set(step)))
        .build();
    loop.start(keeper, new Object());
    AtomicReference<Throwable> thrown = new AtomicReference<>();

    Thread other = new Thread(() -> {
      try {
        kept.get().raise("late");
      } catch (Throwable t) {
        thrown.set(t);
      }
    });
    other.start();
    other.join();

    assertThat(thrown.get()).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("raise an event");
  }
}
