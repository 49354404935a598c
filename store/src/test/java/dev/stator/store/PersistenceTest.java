package dev.stator.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stator.EventLoop;
import dev.stator.Machine;
import dev.stator.MachineDefinition;
import dev.stator.Phase;
import dev.stator.RecoveryPolicy;
import dev.stator.Status;
import dev.stator.durable.MachineImage;
import dev.stator.durable.RestoreOptions;
import dev.stator.dsl.Stator;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Machines made durable by a persistence, on real loops and a real database: a durable send
 * returns once its step is in the store, a new process restores the machines where they were,
 * and a store that fails is a fault of the machines whose steps it lost.
 */
final class PersistenceTest {

  /** An order's context. */
  public static final class Order {
    public List<String> log = new ArrayList<>();
  }

  static final JsonContextCodec<Order> CODEC = JsonContextCodec.of(Order.class);

  static final MachineDefinition<Order> ORDER = Stator.<String, Order>machine("order")
      .initial("NEW")
      .state("NEW", s -> s.on("pay").then(order -> order.log.add("paid")).goTo("PAID"))
      .state("PAID", s -> s
          .on("ship").then(order -> order.log.add("shipped")).goTo("SHIPPED")
          .after(Duration.ofHours(1)).goTo("CANCELLED"))
      .finalState("SHIPPED")
      .finalState("CANCELLED")
      .recovery(RecoveryPolicy.exit())
      .build();

  @ParameterizedTest
  @EnumSource(Databases.Kind.class)
  void aDurableSend_returnsOnceItsStepIsInTheStore(Databases.Kind kind) throws Exception {
    try (JdbcMachineStore store = Databases.fresh(kind);
        Persistence persistence = Persistence.start(store);
        EventLoop loop = EventLoop.start("orders")) {
      Machine<Order> order = persistence.start(loop, ORDER, "order-1", new Order(), CODEC);

      order.sendDurably("pay").get(10, TimeUnit.SECONDS);

      MachineImage stored = store.load("order-1").orElseThrow();
      assertThat(stored.activeStates()).containsExactly("PAID");
      assertThat(CODEC.decode(stored.context()).log).containsExactly("paid");
      assertThat(stored.timers()).hasSize(1);
    }
  }

  @ParameterizedTest
  @EnumSource(Databases.Kind.class)
  void sync_returnsOnceTheStepsATimerCausedAreInTheStore(Databases.Kind kind) throws Exception {
    MachineDefinition<Order> quick = Stator.<String, Order>machine("quick")
        .initial("waiting")
        .state("waiting", s -> s.after(Duration.ofMillis(10))
            .then(order -> order.log.add("timed out")).goTo("timedOut"))
        .state("timedOut")
        .build();
    try (JdbcMachineStore store = Databases.fresh(kind);
        Persistence persistence = Persistence.start(store);
        EventLoop loop = EventLoop.start("orders")) {
      Machine<Order> machine = persistence.start(loop, quick, "q", new Order(), CODEC);
      CompletableFuture<Void> timedOut = new CompletableFuture<>();
      machine.addListener(new dev.stator.MachineListener<>() {
        @Override
        public void onTransition(Machine<Order> m, String from, Object event, String to) {
          if (to.equals("timedOut")) {
            timedOut.complete(null);
          }
        }
      });
      timedOut.get(10, TimeUnit.SECONDS);

      persistence.sync(machine).get(10, TimeUnit.SECONDS);

      assertThat(store.load("q").orElseThrow().activeStates()).containsExactly("timedOut");
    }
  }

  @ParameterizedTest
  @EnumSource(Databases.Kind.class)
  void aNewProcess_restoresEveryStoredMachine_whereItWas(Databases.Kind kind) throws Exception {
    try (JdbcMachineStore store = Databases.fresh(kind)) {
      try (Persistence persistence = Persistence.start(store);
          EventLoop loop = EventLoop.start("before")) {
        for (int i = 0; i < 20; i++) {
          Machine<Order> order = persistence.start(loop, ORDER, "order-" + i, new Order(), CODEC);
          if (i % 2 == 0) {
            order.sendDurably("pay").get(10, TimeUnit.SECONDS);
          } else {
            order.sendDurably("pay");
            order.sendDurably("ship").get(10, TimeUnit.SECONDS);
          }
        }
      }

      try (Persistence persistence = Persistence.start(store);
          EventLoop loop = EventLoop.start("after")) {
        Persistence.Restored<Order> restored = persistence.restoreAll(loop, ORDER, CODEC,
            RestoreOptions.DEFAULTS);

        assertThat(restored.refused()).isEmpty();
        assertThat(restored.machines()).hasSize(20);
        List<CompletableFuture<Void>> shipped = new ArrayList<>();
        for (Machine<Order> order : restored.machines()) {
          // the resume runs on the loop: the image taken after it says where the machine is
          if (order.snapshot(CODEC).get(10, TimeUnit.SECONDS).status() == Status.RUNNING) {
            shipped.add(order.sendDurably("ship"));
          }
        }
        assertThat(shipped).hasSize(10);
        CompletableFuture.allOf(shipped.toArray(new CompletableFuture<?>[0]))
            .get(10, TimeUnit.SECONDS);
        for (Machine<Order> order : restored.machines()) {
          assertThat(order.lifecycle().get(10, TimeUnit.SECONDS).context().log)
              .containsExactly("paid", "shipped");
        }
      }
      assertThat(store.loadAll("order")).extracting(MachineImage::status)
          .containsOnly(Status.COMPLETED);
    }
  }

  @ParameterizedTest
  @EnumSource(Databases.Kind.class)
  void aStoreThatFails_failsTheDurableSend_andTheMachineFaultsInCommit(Databases.Kind kind)
      throws Exception {
    JdbcMachineStore store = Databases.fresh(kind);
    try (Persistence persistence = Persistence.start(store);
        EventLoop loop = EventLoop.start("orders")) {
      Machine<Order> order = persistence.start(loop, ORDER, "order-1", new Order(), CODEC);
      order.sendDurably("nothing").get(10, TimeUnit.SECONDS);
      store.close();

      CompletableFuture<Void> pay = order.sendDurably("pay");

      assertThatThrownBy(() -> pay.get(10, TimeUnit.SECONDS))
          .isInstanceOf(ExecutionException.class)
          .cause().isInstanceOf(StoreException.class).hasMessageContaining("is closed");
      assertThatThrownBy(() -> order.lifecycle().get(10, TimeUnit.SECONDS))
          .hasMessageContaining("failed in state PAID on event pay during COMMIT")
          .hasMessageContaining("StoreException: " + store + " is closed");
      assertThat(order.state().failure().phase()).isEqualTo(Phase.COMMIT);
    }
  }

  @ParameterizedTest
  @EnumSource(Databases.Kind.class)
  void aStoreThatFailsTheLastStepOfAnEndedMachine_isReportedAsAnUnobservedFailure(
      Databases.Kind kind) throws Exception {
    JdbcMachineStore store = Databases.fresh(kind);
    CompletableFuture<dev.stator.Failure> reported = new CompletableFuture<>();
    dev.stator.LoopOptions options = dev.stator.LoopOptions.DEFAULTS
        .withUnobservedFailureHandler(reported::complete);
    try (Persistence persistence = Persistence.start(store);
        EventLoop loop = EventLoop.start("orders", options)) {
      Machine<Order> order = persistence.start(loop, ORDER, "order-1", new Order(), CODEC);
      order.sendDurably("pay").get(10, TimeUnit.SECONDS);
      store.close();

      CompletableFuture<Void> ship = order.sendDurably("ship");

      assertThatThrownBy(() -> ship.get(10, TimeUnit.SECONDS))
          .cause().isInstanceOf(StoreException.class);
      assertThat(order.lifecycle().get(10, TimeUnit.SECONDS).status())
          .isEqualTo(Status.COMPLETED);
      dev.stator.Failure failure = reported.get(10, TimeUnit.SECONDS);
      assertThat(failure.phase()).isEqualTo(Phase.COMMIT);
      assertThat(failure.summary()).contains("machine 'order-1' failed in state SHIPPED");
    }
  }
}
