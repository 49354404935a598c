package dev.stator.internal.machine;

import dev.stator.StateSnapshot;
import dev.stator.Status;
import dev.stator.internal.definition.CompiledDefinition;

/**
 * The fields of a machine that a step does not write (they change at its start and end, on the
 * first use of a rarer feature, or as neighbours start and end), between the fields a sending
 * thread reads and those a step writes. Sixty bytes of them: with the 8-byte alignment of objects,
 * a sender's reads (the class word at offset 8 to the lifecycle future at 19) and the first field
 * a step writes (80) then never share a 64-byte cache line. They are exactly 15 four-byte fields
 * so that no gap is left for a step's byte to fill; {@code CacheLineLayoutTest} checks the offsets.
 *
 * <p>Two exceptions: a statechart's published snapshot, {@link #ended}, written on each step
 * that changes its configuration; and {@link #microsteps}, written by the steps of machines that
 * take eventless transitions or raise events.
 *
 * @param <C> the context type
 */
abstract class MachineQuietFields<C> extends MachineSenderFields<C> {
  static final StateSnapshot NOT_STARTED = new StateSnapshot(Status.STARTING, "", null);
  /** The {@link #rare} of every machine that has stored nothing there: shared, never written. */
  static final MachineRare NONE = new MachineRare();

  final CompiledDefinition<C> definition;
  /** The id(); for a generated id(), built from {@link #serial} the first time it is asked for. */
  String id;
  final int serial;
  /** The snapshot of an ended machine, or a statechart's while it runs. */
  volatile StateSnapshot ended = NOT_STARTED;
  volatile MachineListeners<C> listeners = MachineListeners.none();

  // Everything below is confined to the loop thread.

  /**
   * What few machines use ({@link MachineRare}): the shared, never written {@link #NONE} until
   * something is stored through {@code rare()}.
   */
  MachineRare rare = NONE;
  Object context;
  Status status = Status.STARTING;
  int incarnation;
  /**
   * Eventless transitions and raised events taken in the current step; written only by machines
   * that have them (a step resets it only when it is not 0 already).
   */
  int microsteps;
  /** Made with the first timer or state timeout; exit() tests it on every step. */
  MachineTimers timers;
  MachineRuntime<?> parent;
  /**
   * The trace ring of the last steps, for failure reports, in the format {@link StepTrace} owns:
   * allocated at the first step and at the second (its whole length), then only written into.
   */
  long[] trace;
  MachineRuntime<?> prevLive;
  MachineRuntime<?> nextLive;

  MachineQuietFields(LoopServices core, CompiledDefinition<C> definition, int serial) {
    super(core);
    this.definition = definition;
    this.serial = serial;
  }
}
