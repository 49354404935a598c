package dev.stator.examples.durable;

import dev.stator.EventLoop;
import dev.stator.Machine;
import dev.stator.MachineDefinition;
import dev.stator.MachineListener;
import dev.stator.Termination;
import dev.stator.durable.MachineImage;
import dev.stator.durable.RestoreOptions;
import dev.stator.dsl.json.Bindings;
import dev.stator.dsl.json.JsonMachineReader;
import dev.stator.store.JdbcMachineStore;
import dev.stator.store.JsonContextCodec;
import dev.stator.store.Persistence;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The order service of {@link DurableOrderDemo}: the order workflow of
 * {@code machines/order-workflow.json}, made durable in a SQLite file. Run as {@code start}, it
 * takes order A-1001, whose card payment meets a gateway that is down, and waits there for its
 * retry (the parent kills it then); run as {@code restore}, it restores the order from the file and
 * carries it to the end, the gateway being up again.
 */
public final class OrderService {

  /** The order's context: what the workflow's bindings read and write. */
  public static final class Order {
    public String orderId = "A-1001";
    public int paymentAttempts;
  }

  static final DateTimeFormatter CLOCK =
      DateTimeFormatter.ofPattern("HH:mm:ss.SSS").withZone(ZoneOffset.UTC);
  static final JsonContextCodec<Order> CODEC = JsonContextCodec.of(Order.class);

  private OrderService() {
  }

  static void say(String line) {
    System.out.println("[service " + ProcessHandle.current().pid() + " " + CLOCK.format(
        Instant.now()) + "] " + line);
    System.out.flush();
  }

  static MachineDefinition<Order> workflow(boolean gatewayUp) throws IOException {
    Bindings.Builder<Order> bindings = Bindings.builder();
    for (String action : new String[] {"recordReceipt", "notifyOutOfStock", "notifyExpired",
        "recordPayment", "sendConfirmation", "resetPaymentAttempts", "notifyDeclined",
        "reserveStock", "sendPickList", "sendTrackingNumber", "alertWarehouse", "sendReceipt",
        "refundIfCharged", "notifyCustomer"}) {
      bindings.action(action, order -> { });
    }
    bindings.action("logGatewayError", order -> say("payment gateway unreachable"))
        .action("countPaymentAttempt", order -> order.paymentAttempts++)
        .guard("allInStock", order -> true)
        .guard("paymentApproved", order -> true)
        .guard("paymentAttemptsExhausted", order -> order.paymentAttempts >= 3)
        .call("checkStock", (order, step) -> "in stock")
        .callBlocking("chargeCard", order -> () -> {
          if (!gatewayUp) {
            throw new IOException("connection refused by the payment gateway");
          }
          return "approved";
        })
        .hook("releaseStockHold", (order, failure) -> { })
        .hook("flagForReview", (order, failure) -> { });
    try (InputStream json = OrderService.class.getResourceAsStream(
        "/machines/order-workflow.json")) {
      return JsonMachineReader.of(bindings.build()).read("order-workflow.json", json)
          .definition();
    }
  }

  static final MachineListener<Order> PRINT_STEPS = new MachineListener<>() {
    @Override
    public void onTransition(Machine<Order> machine, String from, Object event, String to) {
      say(machine.id() + ": " + from + " --" + event + "--> " + to);
    }
  };

  /**
   * Runs the service.
   *
   * @param args {@code start FILE} or {@code restore FILE}
   * @throws Exception if the service fails
   */
  public static void main(String[] args) throws Exception {
    boolean restoring = args[0].equals("restore");
    MachineDefinition<Order> workflow = workflow(restoring);
    try (JdbcMachineStore store = JdbcMachineStore.sqlite(Path.of(args[1]));
        Persistence persistence = Persistence.start(store);
        EventLoop loop = EventLoop.start("orders")) {
      if (!restoring) {
        takeOrder(persistence, loop, workflow);
      } else {
        finishOrder(persistence, loop, workflow);
      }
    }
  }

  private static void takeOrder(Persistence persistence, EventLoop loop,
      MachineDefinition<Order> workflow) throws Exception {
    CountDownLatch retrying = new CountDownLatch(1);
    Machine<Order> order = persistence.start(loop, workflow, "A-1001", new Order(), CODEC);
    order.addListener(PRINT_STEPS);
    order.addListener(new MachineListener<>() {
      @Override
      public void onTransition(Machine<Order> machine, String from, Object event, String to) {
        if (to.equals("paymentRetry")) {
          retrying.countDown();
        }
      }
    });
    order.sendDurably("PAY").get(10, TimeUnit.SECONDS);
    retrying.await(30, TimeUnit.SECONDS);
    // the step into paymentRetry came from the call's failure, not a send: wait for its commit
    persistence.sync(order).get(10, TimeUnit.SECONDS);
    MachineImage image = order.snapshot(CODEC).get(10, TimeUnit.SECONDS);
    Instant due = image.timers().get(0).deadline();
    say("order " + image.machineId() + " stored in " + image.activeStates()
        + "; its payment retry is due at " + CLOCK.format(due));
    System.out.println("RETRY_DUE " + due.toEpochMilli());
    System.out.flush();
    new CountDownLatch(1).await(); // until the demo kills this process
  }

  private static void finishOrder(Persistence persistence, EventLoop loop,
      MachineDefinition<Order> workflow) throws Exception {
    Persistence.Restored<Order> restored = persistence.restoreAll(loop, workflow, CODEC,
        RestoreOptions.DEFAULTS);
    Machine<Order> order = restored.machines().get(0);
    order.addListener(PRINT_STEPS);
    MachineImage image = order.snapshot(CODEC).get(10, TimeUnit.SECONDS);
    say("restored order " + order.id() + " in " + image.activeStates() + " after "
        + CODEC.decode(image.context()).paymentAttempts + " payment attempt(s); its retry is"
        + " still due at " + CLOCK.format(image.timers().get(0).deadline()));
    CompletableFuture<Void> picked = new CompletableFuture<>();
    order.addListener(new MachineListener<>() {
      @Override
      public void onTransition(Machine<Order> machine, String from, Object event, String to) {
        if (to.equals("fulfilment/picking")) {
          picked.complete(null);
        }
      }
    });
    picked.get(60, TimeUnit.SECONDS);
    order.sendDurably("PICKED").get(10, TimeUnit.SECONDS);
    order.sendDurably("PACKED").get(10, TimeUnit.SECONDS);
    Termination<Order> end = order.lifecycle().get(10, TimeUnit.SECONDS);
    say("order " + end.machineId() + " " + end.status() + " in " + end.finalPath());
  }
}
