/**
 * Micrometer meters for Stator: {@link dev.stator.micrometer.StatorMetrics} is a
 * {@link io.micrometer.core.instrument.binder.MeterBinder} that a loop takes as its observer
 * ({@link dev.stator.LoopOptions#withObserver}) and that counts, times and gauges what the loop's
 * machines do. See {@code docs/observability.md} for the meters, their tags and their cost.
 */
package dev.stator.micrometer;
