/** Runnable programs built on Stator. */
module dev.stator.examples {
  requires dev.stator.dsl;
  requires info.picocli;

  // picocli fills the commands' annotated fields reflectively
  opens dev.stator.examples.cli to info.picocli;
}
