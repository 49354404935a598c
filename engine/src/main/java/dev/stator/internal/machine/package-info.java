/**
 * The running machine: {@link MachineRuntime}, where every step is taken and every throwable from
 * user code lands, and its collaborators, each owning one concern (the statechart configuration,
 * timers, calls, channels, children, listeners, the step trace, faults, recovery and the
 * machine's end).
 *
 * <p>Not exported. Everything a machine needs from the loop it runs on goes through
 * {@link LoopServices}, which the loop implements; this package therefore depends on the
 * compiled definition ({@code dev.stator.internal.definition}), the timer wheel, the text
 * helpers and the flight-recorder events ({@code dev.stator.internal.observe}), never on the loop's package. The loop in turn reaches machines only through
 * {@link MachineFactory#start}, {@link MachineRuntime#deliver} and
 * {@link MachineRuntime#takesDirectly}, {@link IoHandle#ready} and a machine's {@link Endings}.
 * Listener and handler calls all go through {@link LoopServices#callOut}.
 */
package dev.stator.internal.machine;
