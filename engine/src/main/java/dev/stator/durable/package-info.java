/**
 * Durable machines: a machine saved as an immutable {@link dev.stator.durable.MachineImage}
 * between steps and restored on any loop, in this process or another, without running an entry
 * action again and with its timers at their original deadlines.
 *
 * <p>The engine takes images and restores them; it never writes them anywhere itself. A
 * {@link dev.stator.durable.StepSink} given when a machine starts (or is restored) receives the
 * machine's image after every step, with a {@link dev.stator.durable.StepCommit} to say when it
 * is stored; stores (a database, a file) live in modules of their own. The context is written by
 * a {@link dev.stator.durable.ContextCodec}; nothing in an image names a class to load.
 */
package dev.stator.durable;
