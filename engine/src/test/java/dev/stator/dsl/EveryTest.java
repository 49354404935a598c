package dev.stator.dsl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stator.Machine;
import dev.stator.MachineDefinition;
import dev.stator.MachineListener;
import dev.stator.Transition;
import dev.stator.testing.TestLoop;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code every(period, action)} is the periodic timer: it runs the action once a period while
 * the state is active, without exiting or entering anything, and stops when the state is left.
 */
final class EveryTest {

  /** Counts what the machine does. */
  static final class Counts {
    int entries;
    int exits;
    int beats;
  }

  private static final Duration SECOND = Duration.ofSeconds(1);

  private static final MachineDefinition<Counts> BEATING = Stator.<String, Counts>machine("beat")
      .initial("ready")
      .state("ready", s -> s
          .onEntry(counts -> counts.entries++)
          .onExit(counts -> counts.exits++)
          .every(SECOND, counts -> counts.beats++)
          .on("close").goTo("closed")
          .initial("idle")
          .state("idle", x -> x.on("work").goTo("busy"))
          .state("busy"))
      .state("closed", s -> s.on("open").goTo("ready"))
      .build();

  @Test
  void every_runsOncePerPeriod_withoutReenteringTheState() {
    TestLoop loop = TestLoop.create();
    Counts counts = new Counts();
    loop.start(BEATING, counts);

    loop.advance(Duration.ofMillis(3500));

    assertThat(counts.beats).isEqualTo(3);
    assertThat(counts.entries).isEqualTo(1);
    assertThat(counts.exits).isZero();
  }

  @Test
  void every_inACompoundState_keepsItsActiveChild() {
    TestLoop loop = TestLoop.create();
    Counts counts = new Counts();
    Machine<Counts> machine = loop.start(BEATING, counts);
    machine.send("work");

    loop.advance(Duration.ofSeconds(2));

    assertThat(machine.state().path()).isEqualTo("ready/busy");
    assertThat(counts.beats).isEqualTo(2);
  }

  @Test
  void every_stopsWhenTheStateIsLeft_andStartsAgainOnReentry() {
    TestLoop loop = TestLoop.create();
    Counts counts = new Counts();
    Machine<Counts> machine = loop.start(BEATING, counts);
    loop.advance(Duration.ofMillis(1500));
    machine.send("close");

    loop.advance(Duration.ofSeconds(5));
    assertThat(counts.beats).isEqualTo(1);
    assertThat(loop.pendingTimers()).isZero();

    machine.send("open");
    loop.advance(Duration.ofMillis(999));
    assertThat(counts.beats).isEqualTo(1);
    loop.advance(Duration.ofMillis(1));
    assertThat(counts.beats).isEqualTo(2);
  }

  @Test
  void every_tick_isHeardAsATransitionThatStays() {
    TestLoop loop = TestLoop.create();
    List<Transition> seen = new ArrayList<>();
    Machine<Counts> machine = loop.start(BEATING, "beat-1", new Counts(),
        MachineListener.onEachTransition(seen::add));
    seen.clear();

    loop.advance(SECOND);

    assertThat(seen).singleElement().satisfies(transition -> {
      assertThat(transition.from()).isEqualTo("ready/idle");
      assertThat(transition.to()).isEqualTo("ready/idle");
      assertThat(transition.exited()).isEmpty();
      assertThat(transition.event()).hasToString("every PT1S in ready");
    });
    assertThat(machine.state().path()).isEqualTo("ready/idle");
  }

  @Test
  void every_withoutAPositivePeriod_isRefused() {
    assertThatThrownBy(() -> Stator.<String, Counts>machine("m").initial("a")
        .state("a", s -> s.every(Duration.ZERO, counts -> counts.beats++)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("state 'a'").hasMessageContaining("positive period");
  }
}
