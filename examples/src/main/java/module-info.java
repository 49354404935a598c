/** Runnable programs built on Stator. */
module dev.stator.examples {
  requires dev.stator.dsl;
  requires dev.stator.store;
  requires info.picocli;

  // picocli fills the commands' annotated fields reflectively
  opens dev.stator.examples.cli to info.picocli;
  // the JSON context codec reads and writes the order's fields reflectively
  opens dev.stator.examples.durable to tools.jackson.databind;
}
