/**
 * Micrometer meters for Stator's loops: {@link dev.stator.micrometer.StatorMetrics}, a
 * {@code MeterBinder} that observes the loops it is attached to.
 */
module dev.stator.micrometer {
  requires transitive dev.stator.engine;
  requires transitive micrometer.core;

  exports dev.stator.micrometer;
}
