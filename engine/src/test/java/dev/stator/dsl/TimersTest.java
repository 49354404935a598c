package dev.stator.dsl;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stator.Machine;
import dev.stator.MachineDefinition;
import dev.stator.Timeout;
import dev.stator.TimerHandle;
import dev.stator.testing.TestLoop;
import java.time.Duration;
import org.junit.jupiter.api.Test;

final class TimersTest {

  private final TestLoop loop = TestLoop.create();

  private static final MachineDefinition<Recorder> HANDSHAKE =
      Stator.<String, Recorder>machine("handshake")
          .initial("CONNECTING")
          .state("CONNECTING", s -> s
              .on("connected").goTo("READY")
              .after(Duration.ofSeconds(10)).then((r, step) -> r.add("timeout " + step.event()))
              .goTo("BACKOFF"))
          .state("BACKOFF", s -> s.after(Duration.ofSeconds(2)).goTo("CONNECTING"))
          .state("READY")
          .build();

  @Test
  void delayedTransition_neverFiresBeforeItsDeadline() {
    Machine<Recorder> machine = loop.start(HANDSHAKE, new Recorder());

    loop.advance(Duration.ofSeconds(10).minusNanos(1));
    assertThat(machine.state().path()).isEqualTo("CONNECTING");

    loop.advance(Duration.ofNanos(1));
    assertThat(machine.state().path()).isEqualTo("BACKOFF");
  }

  @Test
  void delayedTransition_isCancelledWhenItsStateExits() {
    Recorder recorder = new Recorder();
    Machine<Recorder> machine = loop.start(HANDSHAKE, recorder);
    assertThat(loop.pendingTimers()).isEqualTo(1);

    loop.advance(Duration.ofSeconds(5));
    machine.send("connected");

    assertThat(loop.pendingTimers()).isZero();
    loop.advance(Duration.ofMinutes(5));
    assertThat(machine.state().path()).isEqualTo("READY");
    assertThat(recorder.log).isEmpty();
  }

  @Test
  void clockJump_firesEachDueTimerOnceInDeadlineOrderAtItsOwnTime() {
    Recorder recorder = new Recorder();
    Machine<Recorder> machine = loop.start(HANDSHAKE, recorder);
    java.util.List<String> times = new java.util.ArrayList<>();
    machine.addListener(new dev.stator.MachineListener<>() {
      @Override
      public void onTransition(Machine<Recorder> m, String from, Object event, String to) {
        times.add(to + "@" + loop.elapsed().toSeconds());
      }
    });

    loop.advance(Duration.ofSeconds(23));

    // 10 s in CONNECTING, 2 s in BACKOFF, 10 s in CONNECTING again: due at 10, 12, 22 (then 24)
    assertThat(times).containsExactly("BACKOFF@10", "CONNECTING@12", "BACKOFF@22");
    assertThat(recorder.log).containsExactly(
        "timeout " + new Timeout("CONNECTING", Duration.ofSeconds(10)),
        "timeout " + new Timeout("CONNECTING", Duration.ofSeconds(10)));
  }

  @Test
  void thirtySecondTimeout_takesNoRealTime() {
    Machine<Recorder> machine = loop.start(Stator.<String, Recorder>machine("slow")
        .initial("WAIT")
        .state("WAIT", s -> s.after(Duration.ofSeconds(30)).goTo("GAVE_UP"))
        .state("GAVE_UP")
        .build(), new Recorder());

    long before = System.nanoTime();
    loop.advance(Duration.ofSeconds(30));
    long took = System.nanoTime() - before;

    assertThat(machine.state().path()).isEqualTo("GAVE_UP");
    assertThat(Duration.ofNanos(took)).isLessThan(Duration.ofSeconds(1));
  }

  @Test
  void actionTimer_outlivesItsStateUntilCancelledOrFired() {
    MachineDefinition<Recorder> definition = Stator.<String, Recorder>machine("reminder")
        .initial("A")
        .state("A", s -> s
            .on("arm").then((r, step) -> step.startTimer(Duration.ofSeconds(3), "ring")).goTo("B"))
        .state("B", s -> s.on("ring").then(r -> r.add("rang")).goTo("C"))
        .state("C")
        .build();
    Recorder recorder = new Recorder();
    Machine<Recorder> machine = loop.start(definition, recorder);

    machine.send("arm");
    loop.advance(Duration.ofSeconds(3));

    assertThat(recorder.log).containsExactly("rang");
    assertThat(machine.state().path()).isEqualTo("C");
  }

  @Test
  void cancelledActionTimer_neverFires() {
    TimerHandle[] handle = new TimerHandle[1];
    MachineDefinition<Recorder> definition = Stator.<String, Recorder>machine("cancel")
        .initial("A")
        .state("A", s -> s
            .on("arm").then((r, step) -> handle[0] = step.startTimer(Duration.ofSeconds(3), "ring"))
            .stay()
            .on("disarm").then(r -> r.add("cancelled " + handle[0].cancel())).stay()
            .on("ring").then(r -> r.add("rang")).stay())
        .build();
    Recorder recorder = new Recorder();
    Machine<Recorder> machine = loop.start(definition, recorder);

    machine.send("arm");
    assertThat(handle[0].isPending()).isTrue();
    machine.send("disarm");
    loop.advance(Duration.ofSeconds(10));

    assertThat(recorder.log).containsExactly("cancelled true");
    assertThat(handle[0].isPending()).isFalse();
  }

  @Test
  void zeroAndNegativeDelays_fireOnTheNextTurnNeverBeforeTheirStep() {
    MachineDefinition<Recorder> definition = Stator.<String, Recorder>machine("now")
        .initial("A")
        .state("A", s -> s
            .on("arm").then((r, step) -> {
              step.startTimer(Duration.ofSeconds(-5), "negative");
              step.startTimer(Duration.ZERO, "zero");
              r.add("armed");
            }).stay()
            .on("negative").then(r -> r.add("negative")).stay()
            .on("zero").then(r -> r.add("zero")).stay())
        .build();
    Recorder recorder = new Recorder();
    Machine<Recorder> machine = loop.start(definition, recorder);

    machine.send("arm");
    loop.advance(Duration.ZERO);

    assertThat(recorder.log).containsExactly("armed", "negative", "zero");
  }

  @Test
  void overflowingDelay_isClampedAndNeverFires() {
    MachineDefinition<Recorder> definition = Stator.<String, Recorder>machine("forever")
        .initial("A")
        .state("A", s -> s.after(Duration.ofSeconds(Long.MAX_VALUE)).goTo("B"))
        .state("B")
        .build();
    Machine<Recorder> machine = loop.start(definition, new Recorder());

    loop.advance(Duration.ofDays(365 * 1000));

    assertThat(machine.state().path()).isEqualTo("A");
    assertThat(loop.pendingTimers()).isEqualTo(1);
  }
}
