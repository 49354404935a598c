/**
 * The engine's implementation: not exported. The loop core (inbox, own queue, timer wheel,
 * registry), the compiled definition, and {@link dev.stator.internal.MachineRuntime}, where every
 * step is taken and every throwable from user code lands.
 */
package dev.stator.internal;
