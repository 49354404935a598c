package dev.stator.internal.machine;

import java.util.ArrayDeque;
import java.util.List;

/**
 * What few machines use (raised events, calls, I/O, listeners' pending notifications, children,
 * fault handling, the end), kept apart from {@link MachineRuntime} so that an idle machine stays small.
 * Reads go through {@code MachineRuntime.rare}, which is one shared, never written instance until
 * something is stored; stores go through {@code MachineRuntime.rare()}, which makes the machine
 * its own holder first.
 *
 * <p>A plain holder with no behaviour. Loop-confined, as everything of the machine it holds is.
 */
final class MachineRare {
  ArrayDeque<Object> early;
  /** The step being timed for the flight recorder, only while a recording takes slow steps. */
  Object step;
  /** Made at the first fault, kept for the restart history. */
  Recovery recovery;
  /** The fault path's collaborator: made at the first fault or reported unhandled event. */
  Faults faults;
  /** The end's collaborator: made when the machine first needs it, usually as it ends. */
  Endings<?> endings;
  /** What the collaborators call back; made with the first of them. */
  Callbacks callbacks;
  Children children;
  ArrayDeque<Object> raised;
  MachineCalls calls;
  MachineIo io;
  List<dev.stator.Transition> notifications;
  /**
   * For a definition with regions, history or several targets: the configuration and its step;
   * null otherwise (the configuration is then {@code MachineRuntime.leafIndex} and its
   * ancestors). Made anew for each incarnation, so a reset forgets the history memory too. While
   * it steps, {@code MachineRuntime.leafIndex} names the state whose callback runs. Held here,
   * not in a field of the machine: an idle machine without regions stays small.
   */
  Statechart chart;
  /**
   * For a durable machine, or one that took a durable send: the codec and sink, the step count and
   * the durable sends of the step in progress; null for most machines.
   */
  DurableMachine durable;
}
