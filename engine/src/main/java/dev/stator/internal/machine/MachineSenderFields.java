package dev.stator.internal.machine;

/**
 * The fields of a machine that another thread's {@code send} reads, first in the object: the
 * loop it runs on and its lifecycle future (whose completion says it has ended). Nothing writes
 * them on a step, and {@link MachineQuietFields} keeps them a cache line away from the fields a
 * step writes.
 *
 * @param <C> the context type
 */
abstract class MachineSenderFields<C> {
  /** The loop it runs on, as a machine sees it. */
  final LoopServices core;
  /** Made by the first {@code lifecycle()} or at the end, a CAS deciding; none until then. */
  volatile LifecycleFuture<C> lifecycle;

  MachineSenderFields(LoopServices core) {
    this.core = core;
  }
}
