package dev.stator.durable;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stator.Machine;
import dev.stator.MachineDefinition;
import dev.stator.MachineFailedException;
import dev.stator.Phase;
import dev.stator.RecoveryPolicy;
import dev.stator.Status;
import dev.stator.dsl.Stator;
import dev.stator.testing.TestLoop;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * What a restore does with regions and history, calls in flight, failures and resets, and with
 * images that do not fit their definition.
 */
final class RestoreRulesTest {

  private final TestLoop first = TestLoop.create();
  private final TestLoop second = TestLoop.create();

  private static MachineImage imageOf(Machine<Ledger> machine) throws Exception {
    return machine.snapshot(Ledger.CODEC).get(5, TimeUnit.SECONDS);
  }

  private static final MachineDefinition<Ledger> PLAYER = Stator.<String, Ledger>machine("player")
      .initial("off")
      .state("off", s -> s.on("power").goTo("on").on("resume").goToTargets("on/resume"))
      .parallel("on", p -> p
          .on("power").goTo("off")
          .deepHistory("resume")
          .state("track", r -> r.initial("stopped")
              .onEntry(ledger -> ledger.add("enter track"))
              .state("stopped", x -> x.on("play").goTo("playing"))
              .state("playing", x -> x.on("pause").goTo("paused"))
              .state("paused", x -> x.on("play").goTo("playing")))
          .state("volume", r -> r.initial("normal")
              .state("normal", x -> x.on("mute").goTo("muted"))
              .state("muted", x -> x.on("mute").goTo("normal"))))
      .build();

  @Test
  void restore_ofRegionsAndHistory_keepsEveryActiveRegionAndTheHistoryMemory() throws Exception {
    Machine<Ledger> original = first.start(PLAYER, "p", new Ledger());
    original.send("power");
    original.send("play");
    original.send("pause");
    original.send("mute");
    original.send("power");
    MachineImage image = imageOf(original);
    assertThat(image.activeStates()).containsExactly("off");
    assertThat(image.history()).containsKey("on/resume");

    Machine<Ledger> restored = second.restore(PLAYER, image, Ledger.NOT_STORED,
        RestoreOptions.DEFAULTS);
    restored.send("resume");

    assertThat(restored.state().activeStates())
        .containsExactly("on/track/paused", "on/volume/muted");
  }

  @Test
  void restore_ofAParallelConfiguration_takesEventsInEachRegion() throws Exception {
    Machine<Ledger> original = first.start(PLAYER, "p", new Ledger());
    original.send("power");
    original.send("mute");

    Machine<Ledger> restored = second.restore(PLAYER, imageOf(original), Ledger.NOT_STORED,
        RestoreOptions.DEFAULTS);
    restored.send("play");
    restored.send("mute");

    assertThat(restored.state().activeStates())
        .containsExactly("on/track/playing", "on/volume/normal");
    assertThat(imageOf(restored).context()).isEqualTo(imageOf(original).context());
  }

  // ---------------------------------------------------------------- calls in flight

  private final List<CompletableFuture<String>> dials = new ArrayList<>();

  private MachineDefinition<Ledger> dialer(boolean idempotent) {
    return Stator.<String, Ledger>machine("dialer")
        .initial("dialing")
        .state("dialing", s -> {
          s.invokeAsync("dial", (ledger, step) -> {
            ledger.add("dial");
            CompletableFuture<String> dial = new CompletableFuture<>();
            dials.add(dial);
            return dial;
          }, Duration.ofMinutes(1))
              .onDone("dial").goTo("connected")
              .onError(CallLostException.class)
              .then((ledger, step) -> ledger.add("lost: " + step.event().getMessage())).goTo("lost");
          if (idempotent) {
            s.idempotent("dial");
          }
        })
        .state("connected")
        .state("lost")
        .build();
  }

  @Test
  void aCallInFlight_notDeclaredIdempotent_endsWithCallLostException_whichTheStateMayExpect()
      throws Exception {
    Machine<Ledger> original = first.start(dialer(false), "d", new Ledger());
    MachineImage image = imageOf(original);
    assertThat(image.calls()).extracting(MachineImage.InFlightCall::id).containsExactly("dial");

    Machine<Ledger> restored = second.restore(dialer(false), image, Ledger.NOT_STORED,
        RestoreOptions.DEFAULTS);

    assertThat(restored.state().path()).isEqualTo("lost");
    assertThat(dials).hasSize(1);
    Ledger ledger = Ledger.CODEC.decode(imageOf(restored).context());
    assertThat(ledger.log).hasSize(2);
    assertThat(ledger.log.get(1)).startsWith("lost: call 'dial' of state dialing was in flight");
  }

  @Test
  void aCallInFlight_declaredIdempotent_isStartedAgain_andItsResultTaken() throws Exception {
    Machine<Ledger> original = first.start(dialer(true), "d", new Ledger());
    MachineImage image = imageOf(original);

    Machine<Ledger> restored = second.restore(dialer(true), image, Ledger.NOT_STORED,
        RestoreOptions.DEFAULTS);
    assertThat(dials).hasSize(2);
    dials.get(1).complete("line");
    second.runUntilIdle();

    assertThat(restored.state().path()).isEqualTo("connected");
    assertThat(Ledger.CODEC.decode(imageOf(restored).context()).log).containsExactly("dial", "dial");
  }

  // ---------------------------------------------------------------- failures and resets

  private static MachineDefinition<Ledger> fragile(RecoveryPolicy<Ledger> recovery) {
    return Stator.<String, Ledger>machine("fragile")
        .initial("idle")
        .state("idle", s -> s
            .onEntry(ledger -> ledger.add("idle"))
            .on("break").then(ledger -> {
              throw new IllegalStateException("broken by request");
            }).stay())
        .recovery(recovery)
        .build();
  }

  @Test
  void aFailedMachine_restoresFailed_withItsReport() throws Exception {
    MachineDefinition<Ledger> definition = fragile(RecoveryPolicy.exit());
    Machine<Ledger> original = first.start(definition, "f", new Ledger());
    original.send("break");
    assertThatThrownBy(first::checkFailures).isInstanceOf(MachineFailedException.class);
    MachineImage image = imageOf(original);
    assertThat(image.status()).isEqualTo(Status.FAILED);

    Machine<Ledger> restored = second.restore(definition, image, Ledger.NOT_STORED,
        RestoreOptions.DEFAULTS);

    assertThat(restored.state().status()).isEqualTo(Status.FAILED);
    assertThatThrownBy(() -> restored.lifecycle().get(5, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class)
        .cause().isInstanceOf(MachineFailedException.class)
        .hasMessageContaining("failed in state idle on event break during ACTION")
        .hasMessageContaining("java.lang.IllegalStateException: broken by request");
    assertThat(restored.state().failure().cause()).isInstanceOf(RestoredCause.class);
    assertThat(restored.state().failure().phase()).isEqualTo(Phase.ACTION);
  }

  @Test
  void aMachineWaitingForItsResetBackoff_restartsWhenTheBackoffEnds_withItsRestartCount()
      throws Exception {
    MachineDefinition<Ledger> definition = fragile(RecoveryPolicy.<Ledger>reset(Ledger::new)
        .backoff(Duration.ofSeconds(10), Duration.ofSeconds(10)).atMost(2, Duration.ofHours(1)));
    Machine<Ledger> original = first.start(definition, "f", new Ledger());
    original.send("break");
    MachineImage image = imageOf(original);
    assertThat(image.timers()).extracting(MachineImage.PendingTimer::kind)
        .containsExactly(MachineImage.TimerKind.RESTART);

    Machine<Ledger> restored = second.restore(definition, image, Ledger.NOT_STORED,
        RestoreOptions.DEFAULTS);
    assertThat(restored.state().status()).isEqualTo(Status.FAILED);
    second.advance(Duration.ofSeconds(10));
    assertThat(restored.state().path()).isEqualTo("idle");

    // the restart history came along: the third fault within the hour is one too many
    restored.send("break");
    second.advance(Duration.ofSeconds(10));
    restored.send("break");
    assertThat(restored.lifecycle()).isCompletedExceptionally();
    assertThat(restored.state().failure().restartCount()).isEqualTo(2);
    assertThatThrownBy(second::checkFailures).isInstanceOf(MachineFailedException.class);
  }

  // ---------------------------------------------------------------- images that do not fit

  private static MachineDefinition<Ledger> order(String paidName) {
    return Stator.<String, Ledger>machine("order")
        .initial("NEW")
        .state("NEW", s -> s.on("pay").goTo(paidName))
        .state(paidName, s -> s.on("ship").goTo("SHIPPED")
            .after(Duration.ofMinutes(30)).goTo("SHIPPED"))
        .finalState("SHIPPED")
        .build();
  }

  @Test
  void anImageNamingAStateTheDefinitionNoLongerHas_isRefused_namingIt() throws Exception {
    Machine<Ledger> original = first.start(order("PAID"), "o", new Ledger());
    original.send("pay");
    MachineImage image = imageOf(original);

    assertThatThrownBy(() -> second.restore(order("SETTLED"), image, Ledger.NOT_STORED,
        RestoreOptions.DEFAULTS))
        .isInstanceOf(ImageRefusedException.class)
        .hasMessageContaining("image of machine 'o' (definition 'order') does not fit")
        .hasMessageContaining("the configuration names state PAID, which the definition does"
            + " not have")
        .hasMessageContaining("a state timeout names state PAID");
    assertThat(second.liveMachines()).isZero();
  }

  @Test
  void aMigration_mayRenameTheStatesOfAnImageThatDoesNotFit() throws Exception {
    Machine<Ledger> original = first.start(order("PAID"), "o", new Ledger());
    original.send("pay");
    MachineImage image = imageOf(original);
    ImageMigration rename = (old, problems) -> new MachineImage(old.definitionId(),
        old.fingerprint(), old.machineId(), old.status(), List.of("SETTLED"), old.history(),
        old.context(), old.timers().stream().map(t -> new MachineImage.PendingTimer(t.kind(),
            "SETTLED", t.index(), t.event(), t.eventEnum(), t.deadline(), t.delay())).toList(),
        old.calls(), old.restartCount(), old.restarts(), old.failure(), old.steps(),
        old.takenAt());

    Machine<Ledger> restored = second.restore(order("SETTLED"), image, Ledger.NOT_STORED,
        RestoreOptions.DEFAULTS.withMigration(rename));
    second.advance(Duration.ofMinutes(30));

    assertThat(restored.state().path()).isEqualTo("SHIPPED");
  }

  @Test
  void anImageOfAnotherDefinition_isRefused() throws Exception {
    Machine<Ledger> original = first.start(order("PAID"), "o", new Ledger());
    MachineImage image = imageOf(original);
    MachineDefinition<Ledger> other = Stator.<String, Ledger>machine("invoice")
        .initial("NEW").state("NEW").build();

    assertThatThrownBy(() -> second.restore(other, image, Ledger.NOT_STORED,
        RestoreOptions.DEFAULTS))
        .isInstanceOf(ImageRefusedException.class)
        .hasMessageContaining("it was taken from definition 'order', not 'invoice'");
  }

  @Test
  void aContextTheCodecCannotRead_isRefused_andNothingStarts() throws Exception {
    Machine<Ledger> original = first.start(order("PAID"), "o", new Ledger());
    MachineImage image = imageOf(original);
    ContextCodec<Ledger> broken = new ContextCodec<>() {
      @Override
      public byte[] encode(Ledger context) {
        return new byte[0];
      }

      @Override
      public Ledger decode(byte[] bytes) throws Exception {
        throw new java.io.IOException("not a ledger");
      }
    };

    assertThatThrownBy(() -> second.restore(order("PAID"), image,
        new Durability<>(broken, Durability.NO_SINK), RestoreOptions.DEFAULTS))
        .isInstanceOf(ImageRefusedException.class)
        .hasMessageContaining("its context could not be read by the codec: java.io.IOException:"
            + " not a ledger");
    assertThat(second.liveMachines()).isZero();
  }

  // ---------------------------------------------------------------- what cannot be saved

  record Reminder(String what) {}

  @Test
  void anActionTimerCarryingARecord_cannotBeSaved_andTheMessageSaysWhy() {
    MachineDefinition<Ledger> definition = Stator.<String, Ledger>machine("reminding")
        .initial("waiting")
        .state("waiting", s -> s.onEntry((ledger, step) ->
            step.startTimer(Duration.ofMinutes(1), new Reminder("call back"))))
        .build();
    Machine<Ledger> machine = first.start(definition, "r", new Ledger());

    assertThatThrownBy(() -> imageOf(machine))
        .isInstanceOf(ExecutionException.class)
        .cause().isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("an image keeps only timers of string and enum events");
  }

  enum Tick { NOW }

  @Test
  void anActionTimerCarryingAnEnumConstant_isSaved_andFiresAfterTheRestore() throws Exception {
    AtomicInteger ticks = new AtomicInteger();
    MachineDefinition<Ledger> definition = Stator.<String, Ledger>machine("ticking")
        .initial("waiting")
        .state("waiting", s -> s
            .onEntry((ledger, step) -> step.startTimer(Duration.ofMinutes(1), Tick.NOW))
            .on(Tick.NOW).then(ledger -> ticks.incrementAndGet()).goTo("done"))
        .state("done")
        .build();
    Machine<Ledger> original = first.start(definition, "t", new Ledger());
    MachineImage image = imageOf(original);

    Machine<Ledger> restored = second.restore(definition, image, Ledger.NOT_STORED,
        RestoreOptions.DEFAULTS);
    second.advance(Duration.ofMinutes(1));

    assertThat(ticks).hasValue(1);
    assertThat(restored.state().path()).isEqualTo("done");
  }
}
