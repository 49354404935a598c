package dev.stator.examples.docs;

import dev.stator.MachineDefinition;
import dev.stator.dsl.Stator;

/** The names docs/concepts.md's snippets take as known. */
class ConceptsGiven extends Given {
  enum OrderEvent { PAY }

  record Order(int number) {}

  /** The order machine, "built once". */
  static MachineDefinition<Order> orderMachine() {
    return Stator.<String, Order>machine("order")
        .initial("open")
        .state("open", s -> s.on(OrderEvent.PAY).goTo("paid"))
        .finalState("paid")
        .build();
  }
}
