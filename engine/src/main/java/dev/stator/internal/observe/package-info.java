/**
 * The engine's JDK Flight Recorder events, all in category "Stator", and {@link Jfr}, the one
 * place the runtime emits them from.
 *
 * <p>Not exported. Cold paths (a machine's start and end, a fault, a recovery decision, a dead
 * letter, a loop stall) create and commit their event when JFR records it. The hot path, a
 * machine's step, only asks {@link Jfr#stepsRecorded()}, which reads a constant the JIT folds
 * until a recording starts or stops: nothing is timed or allocated for a step unless the
 * {@code dev.stator.SlowStep} event is enabled in a running recording.
 */
package dev.stator.internal.observe;
