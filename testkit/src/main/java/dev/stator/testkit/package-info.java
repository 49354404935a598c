/**
 * Stator's test kit, for the tests of Stator users (add {@code stator-testkit} in test scope):
 * {@link dev.stator.testkit.StatorExtension}, a JUnit 5 extension that gives a test a seeded
 * {@link dev.stator.testing.TestLoop} and closes it; {@link dev.stator.testkit.RecordingListener},
 * which keeps what a machine did; and {@link dev.stator.testkit.StatorAssertions}, assertions
 * that read like the domain ({@code assertThat(machine).isIn("active/playing")}). Fault injection
 * itself ({@link dev.stator.testing.FaultPlan}) ships with the engine.
 */
package dev.stator.testkit;
