package dev.stator.durable;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stator.DeadLetter;
import dev.stator.LoopOptions;
import dev.stator.Machine;
import dev.stator.MachineDefinition;
import dev.stator.RecoveryPolicy;
import dev.stator.Status;
import dev.stator.dsl.Stator;
import dev.stator.testing.TestLoop;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The edges of a restore: images written by hand that do not fit (a configuration that is not
 * whole, a timer or history that names the wrong thing), deadlines far out of range, counts that
 * must survive, and what a durable send or a snapshot says when nothing can answer it.
 */
final class RestoreEdgesTest {

  private final TestLoop loop = TestLoop.create();
  private static final Instant T = Instant.parse("2026-01-01T00:00:00Z");

  private static final MachineDefinition<Ledger> PLAYER = Stator.<String, Ledger>machine("player")
      .initial("on")
      .parallel("on", p -> p
          .history("last")
          .state("track", r -> r.initial("stopped")
              .state("stopped", x -> x.on("play").goTo("playing"))
              .state("playing"))
          .state("volume", r -> r.initial("normal")
              .state("normal", x -> x.on("mute").goTo("muted"))
              .state("muted")))
      .build();

  private static final MachineDefinition<Ledger> ORDER = Stator.<String, Ledger>machine("order")
      .initial("NEW")
      .state("NEW", s -> s.on("pay").goTo("PAID").on("fail").then(ledger -> {
        throw new IllegalStateException("failed on request");
      }).stay())
      .state("PAID", s -> s
          .after(Duration.ofMinutes(10)).then(ledger -> ledger.add("reminder")).stay()
          .after(Duration.ofMinutes(30)).goTo("NEW"))
      .recovery(RecoveryPolicy.<Ledger>reset(Ledger::new).atMost(10, Duration.ofHours(1)))
      .build();

  private static MachineImage image(String definition, List<String> active,
      Map<String, List<String>> history, List<MachineImage.PendingTimer> timers, int restarts) {
    return new MachineImage(definition, 1, "m", Status.RUNNING, active, history, new byte[0],
        timers, List.of(), restarts, List.of(), null, 1, T);
  }

  private static MachineImage.PendingTimer stateTimeout(String state, int index, Instant due) {
    return new MachineImage.PendingTimer(MachineImage.TimerKind.STATE_TIMEOUT, state, index, null,
        null, due, Duration.ofMinutes(10));
  }

  private Machine<Ledger> restore(MachineDefinition<Ledger> definition, MachineImage image) {
    return loop.restore(definition, image, Ledger.NOT_STORED, RestoreOptions.DEFAULTS);
  }

  @Test
  void aConfigurationWithARegionMissing_isRefused_asNotWhole() {
    assertThatThrownBy(() -> restore(PLAYER,
        image("player", List.of("on/track/playing"), Map.of(), List.of(), 0)))
        .isInstanceOf(ImageRefusedException.class)
        .hasMessageContaining("the configuration is not whole: state on has 1 of its 2 regions"
            + " active");
  }

  @Test
  void twoLeavesOfOneCompoundState_areRefused_asNotWhole() {
    assertThatThrownBy(() -> restore(PLAYER, image("player",
        List.of("on/track/stopped", "on/track/playing", "on/volume/normal"), Map.of(), List.of(),
        0)))
        .isInstanceOf(ImageRefusedException.class)
        .hasMessageContaining("state on/track has 2 of its 2 children active");
  }

  @Test
  void severalLeavesForAMachineWithoutRegions_areRefused() {
    assertThatThrownBy(() -> restore(ORDER,
        image("order", List.of("NEW", "PAID"), Map.of(), List.of(), 0)))
        .isInstanceOf(ImageRefusedException.class)
        .hasMessageContaining("it names 2 active leaves, but the definition has no parallel"
            + " states");
  }

  @Test
  void aCompoundStateNamedAsALeaf_isRefused() {
    assertThatThrownBy(() -> restore(PLAYER, image("player", List.of("on/track"), Map.of(),
        List.of(), 0)))
        .isInstanceOf(ImageRefusedException.class)
        .hasMessageContaining("names state on/track as an active leaf, but it has child states");
  }

  @Test
  void historyMemoryUnderAStateThatIsNoHistory_isRefused() {
    assertThatThrownBy(() -> restore(PLAYER, image("player",
        List.of("on/track/stopped", "on/volume/normal"),
        Map.of("on/track", List.of("on/track/stopped")), List.of(), 0)))
        .isInstanceOf(ImageRefusedException.class)
        .hasMessageContaining("history memory names state on/track, which is not a history"
            + " state");
  }

  @Test
  void aTimeoutTheStateDoesNotHave_orOfAStateNotActive_isRefused() {
    assertThatThrownBy(() -> restore(ORDER, image("order", List.of("PAID"), Map.of(),
        List.of(stateTimeout("PAID", 2, T)), 0)))
        .isInstanceOf(ImageRefusedException.class)
        .hasMessageContaining("timeout #2 of state PAID is pending, but the state has 2 delayed"
            + " transitions");
    assertThatThrownBy(() -> restore(ORDER, image("order", List.of("NEW"), Map.of(),
        List.of(stateTimeout("PAID", 0, T)), 0)))
        .isInstanceOf(ImageRefusedException.class)
        .hasMessageContaining("a timeout of state PAID is pending, but the state is not active");
  }

  enum Tick { NOW }

  @Test
  void anActionTimersEnumEvent_resolvesOnlyAmongTheDefinitionsEnums() {
    MachineDefinition<Ledger> ticking = Stator.<String, Ledger>machine("ticking")
        .initial("waiting")
        .state("waiting", s -> s.on(Tick.NOW).goTo("done"))
        .state("done")
        .build();
    MachineImage.PendingTimer foreign = new MachineImage.PendingTimer(
        MachineImage.TimerKind.ACTION, null, 0, "NOW", "java.lang.Thread$State", T, Duration.ZERO);
    MachineImage.PendingTimer unknownConstant = new MachineImage.PendingTimer(
        MachineImage.TimerKind.ACTION, null, 0, "LATER", Tick.class.getName(), T, Duration.ZERO);

    assertThatThrownBy(() -> restore(ticking, image("ticking", List.of("waiting"), Map.of(),
        List.of(foreign), 0)))
        .isInstanceOf(ImageRefusedException.class)
        .hasMessageContaining("is of enum java.lang.Thread$State, which the definition does not"
            + " name");
    assertThatThrownBy(() -> restore(ticking, image("ticking", List.of("waiting"), Map.of(),
        List.of(unknownConstant), 0)))
        .isInstanceOf(ImageRefusedException.class)
        .hasMessageContaining("a timer's event LATER is not a constant of " + Tick.class.getName());
  }

  @Test
  void deadlinesFarInThePastFireAtOnce_andFarInTheFutureNever() {
    Machine<Ledger> machine = restore(ORDER, image("order", List.of("PAID"), Map.of(), List.of(
        stateTimeout("PAID", 0, Instant.MIN.plusSeconds(1)),
        stateTimeout("PAID", 1, Instant.MAX.minusSeconds(1))), 0));

    loop.advance(Duration.ofDays(365 * 100));

    assertThat(machine.state().path()).isEqualTo("PAID");
    assertThat(loop.pendingTimers()).isOne();
  }

  @Test
  void theRestartCount_survives_evenWithNoRestartLeftInItsWindow() {
    Machine<Ledger> machine = restore(ORDER, image("order", List.of("NEW"), Map.of(), List.of(),
        3));
    List<Integer> resetsBefore = new ArrayList<>();
    machine.addListener(new dev.stator.MachineListener<>() {
      @Override
      public void onReset(Machine<Ledger> m, dev.stator.Failure failure) {
        resetsBefore.add(failure.restartCount());
      }
    });

    machine.send("fail");

    assertThat(resetsBefore).containsExactly(3);
    assertThat(machine.state().status()).isEqualTo(Status.RUNNING);
  }

  @Test
  void anIdempotentCallOnTheLoop_isMadeAgain_andItsResultTakenAtTheRestore() throws Exception {
    List<String> calls = new ArrayList<>();
    MachineDefinition<Ledger> looking = Stator.<String, Ledger>machine("looking")
        .initial("looking")
        .state("looking", s -> s
            .invoke("lookup", (ledger, step) -> {
              calls.add("lookup");
              return "found";
            })
            .idempotent("lookup")
            .onDone("lookup").goTo("found"))
        .state("found")
        .build();
    MachineImage image = new MachineImage("looking", 1, "m", Status.RUNNING, List.of("looking"),
        Map.of(), new byte[0], List.of(), List.of(new MachineImage.InFlightCall("looking",
        "lookup", T)), 0, List.of(), null, 1, T);

    Machine<Ledger> machine = restore(looking, image);

    assertThat(calls).containsExactly("lookup");
    assertThat(machine.state().path()).isEqualTo("found");
  }

  @Test
  void aDurableSendNeverConsumed_isADeadLetter() {
    List<DeadLetter> letters = new ArrayList<>();
    TestLoop lettered = TestLoop.create(LoopOptions.DEFAULTS.withDeadLetterHandler(letters::add),
        0L);
    Machine<Ledger> machine = lettered.start(ORDER, "o", new Ledger());
    machine.stop();

    assertThat(machine.sendDurably("pay")).isCompletedExceptionally();
    assertThat(letters).extracting(DeadLetter::event).containsExactly("pay");
  }

  @Test
  void aSnapshotAfterTheLoopClosed_failsSayingSo() {
    Machine<Ledger> machine = loop.start(ORDER, "o", new Ledger());
    loop.close();

    assertThatThrownBy(() -> machine.snapshot(Ledger.CODEC).get(1, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class)
        .hasMessageContaining("is closed; cannot take the image of machine 'o'");
  }

  @Test
  void imagesAreEqual_onlyWhenEveryPartIs() {
    MachineImage one = image("order", List.of("NEW"), Map.of(), List.of(), 0);
    MachineImage same = image("order", List.of("NEW"), Map.of(), List.of(), 0);
    MachineImage later = new MachineImage("order", 1, "m", Status.RUNNING, List.of("NEW"),
        Map.of(), new byte[0], List.of(), List.of(), 0, List.of(), null, 2, T);

    assertThat(one).isEqualTo(same).hasSameHashCodeAs(same).isNotEqualTo(later);
    assertThat(one.toString()).isEqualTo("image of machine 'm' (order) RUNNING in NEW, step 1,"
        + " 0 timers, 0 calls, taken at 2026-01-01T00:00:00Z");
  }
}
