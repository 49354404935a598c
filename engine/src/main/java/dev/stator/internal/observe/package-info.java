/**
 * The engine's JDK Flight Recorder events, all in category "Stator", and {@link Jfr}, the one
 * place the runtime emits them from; and {@link LoopObservation}, the one place it calls a loop's
 * {@link dev.stator.LoopObserver} from.
 *
 * <p>Not exported. Cold paths (a machine's start and end, a fault, a recovery decision, a dead
 * letter, a loop stall) create and commit their event when JFR records it, and tell the loop's
 * observer when it has one. The hot path, a machine's step, only asks {@link Jfr#stepsRecorded()},
 * which reads a constant the JIT folds until a recording starts or stops or an observed loop
 * starts or ends: nothing is timed, observed or allocated for a step unless the
 * {@code dev.stator.SlowStep} event is enabled in a running recording or a loop with an observer
 * runs.
 */
package dev.stator.internal.observe;
