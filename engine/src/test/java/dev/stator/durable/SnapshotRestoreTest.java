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
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A machine saved as an image and restored on another loop resumes where it was: the same
 * configuration and context, no entry action run again, its timers at their deadlines, its calls
 * and its failure handled as the definition says.
 */
final class SnapshotRestoreTest {

  private final TestLoop first = TestLoop.create();
  private final TestLoop second = TestLoop.create();

  /** An order: paid, then shipped within 30 minutes, else cancelled; reminders every 10. */
  private static final MachineDefinition<Ledger> ORDER = Stator.<String, Ledger>machine("order")
      .initial("NEW")
      .state("NEW", s -> s
          .onEntry(ledger -> ledger.add("entered NEW"))
          .on("pay").then((ledger, step) -> ledger.add("paid")).goTo("PAID"))
      .state("PAID", s -> s
          .onEntry(ledger -> ledger.add("entered PAID"))
          .on("ship").goTo("SHIPPED")
          .after(Duration.ofMinutes(10)).then((ledger, step) -> ledger.add("reminder")).stay()
          .after(Duration.ofMinutes(30)).goTo("CANCELLED"))
      .finalState("SHIPPED")
      .finalState("CANCELLED")
      .build();

  private static MachineImage imageOf(Machine<Ledger> machine) throws Exception {
    return machine.snapshot(Ledger.CODEC).get(5, TimeUnit.SECONDS);
  }

  @Test
  void restore_resumesInTheSameStateWithTheSameContext_withoutRunningEntryActionsAgain()
      throws Exception {
    Machine<Ledger> original = first.start(ORDER, "order-1", new Ledger());
    original.send("pay");

    Machine<Ledger> restored = second.restore(ORDER, imageOf(original), Ledger.NOT_STORED,
        RestoreOptions.DEFAULTS);
    restored.send("ship");

    assertThat(restored.id()).isEqualTo("order-1");
    Ledger ledger = restored.lifecycle().get(5, TimeUnit.SECONDS).context();
    assertThat(ledger.log).containsExactly("entered NEW", "paid", "entered PAID");
    assertThat(restored.state().path()).isEqualTo("SHIPPED");
  }

  @Test
  void restore_keepsTimersAtTheirOriginalDeadlines_onTheWallClock() throws Exception {
    Machine<Ledger> original = first.start(ORDER, "order-1", new Ledger());
    original.send("pay");
    first.advance(Duration.ofMinutes(5));
    MachineImage image = imageOf(original);

    // the second process comes up 7 minutes after the first one started: 2 minutes of downtime
    second.advance(Duration.ofMinutes(7));
    Machine<Ledger> restored = second.restore(ORDER, image, Ledger.NOT_STORED,
        RestoreOptions.DEFAULTS);

    second.advance(Duration.ofMinutes(3).minusNanos(1));
    assertThat(reminders(restored)).isZero();
    second.advance(Duration.ofNanos(1));
    assertThat(reminders(restored)).isOne();
    second.advance(Duration.ofMinutes(20));
    assertThat(restored.state().path()).isEqualTo("CANCELLED");
    assertThat(second.elapsed()).isEqualTo(Duration.ofMinutes(30));
  }

  private static long reminders(Machine<Ledger> machine) throws Exception {
    return imageOfAnyState(machine).log.stream().filter("reminder"::equals).count();
  }

  private static Ledger imageOfAnyState(Machine<Ledger> machine) throws Exception {
    return Ledger.CODEC.decode(machine.snapshot(Ledger.CODEC).get(5, TimeUnit.SECONDS).context());
  }

  @Test
  void restore_withRemainingTime_ignoresTheDowntime_andWithRestart_startsTimeoutsAgain()
      throws Exception {
    Machine<Ledger> original = first.start(ORDER, "order-1", new Ledger());
    original.send("pay");
    first.advance(Duration.ofMinutes(5));
    MachineImage image = imageOf(original);
    second.advance(Duration.ofHours(1));
    TestLoop third = TestLoop.create();
    third.advance(Duration.ofHours(1));

    Machine<Ledger> remaining = second.restore(ORDER, image, Ledger.NOT_STORED,
        RestoreOptions.DEFAULTS.withResume(ResumeMode.REMAINING_TIME));
    Machine<Ledger> restarted = third.restore(ORDER, image, Ledger.NOT_STORED,
        RestoreOptions.DEFAULTS.withResume(ResumeMode.RESTART));

    second.advance(Duration.ofMinutes(5));
    third.advance(Duration.ofMinutes(5));
    assertThat(reminders(remaining)).isOne();
    assertThat(reminders(restarted)).isZero();
    second.advance(Duration.ofMinutes(20));
    third.advance(Duration.ofMinutes(20));
    assertThat(remaining.state().path()).isEqualTo("CANCELLED");
    assertThat(restarted.state().path()).isEqualTo("PAID");
    third.advance(Duration.ofMinutes(5));
    assertThat(restarted.state().path()).isEqualTo("CANCELLED");
  }

  @Test
  void restore_firesTimersWhoseDeadlinePassed_atOnce_inDeadlineOrder_beforeLaterEvents()
      throws Exception {
    Machine<Ledger> original = first.start(ORDER, "order-1", new Ledger());
    original.send("pay");
    MachineImage image = imageOf(original);

    second.advance(Duration.ofHours(2));
    Machine<Ledger> restored = second.restore(ORDER, image, Ledger.NOT_STORED,
        RestoreOptions.DEFAULTS);
    restored.send("ship");

    // the reminder (due at 10 min) fired, then the cancellation (30 min); "ship" came too late
    assertThat(restored.state().path()).isEqualTo("CANCELLED");
    assertThat(restored.lifecycle().get(5, TimeUnit.SECONDS).context().log)
        .containsExactly("entered NEW", "paid", "entered PAID", "reminder");
  }
}
