package dev.stator.examples.docs;

import dev.stator.MachineDefinition;
import dev.stator.dsl.Stator;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** The names docs/persistence.md's snippets take as known. */
class PersistenceGiven extends Given {
  /** An order's context, as the JSON codec reads and writes it. */
  public static final class Order {
    public List<String> items = new ArrayList<>();
    public boolean paid;
  }

  static final MachineDefinition<Order> orderWorkflow = Stator.<String, Order>machine("order")
      .initial("awaitingPayment")
      .state("awaitingPayment", s -> s
          .on("PAY").then(order -> order.paid = true).goTo("paid")
          .after(Duration.ofMinutes(30)).goTo("cancelled"))
      .finalState("paid")
      .finalState("cancelled")
      .build();

  /** The server's loop, on which the machines run. */
  dev.stator.EventLoop loop;
}
