/** Runnable programs built on Stator. */
module dev.stator.examples {
  requires dev.stator.dsl;
}
