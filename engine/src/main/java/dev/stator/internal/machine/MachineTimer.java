package dev.stator.internal.machine;

import dev.stator.TimerHandle;
import dev.stator.internal.definition.StateNode;
import dev.stator.internal.definition.TransitionNode;
import dev.stator.internal.text.Describe;
import dev.stator.internal.timer.TimerWheel;

/** A timer of one machine incarnation: a state's delayed transition, an action's timer, or recovery's. */
final class MachineTimer extends TimerWheel.Node implements TimerHandle {
  enum Kind { STATE, ACTION, RESTART, SHUTDOWN_DEADLINE, CALL_TIMEOUT }

  final MachineRuntime<?> machine;
  final Kind kind;
  /** The incarnation it was scheduled in; a state timer is reused, so this is set each time. */
  int incarnation;
  /** For STATE timers: the state whose exit cancels it. */
  final StateNode owner;
  /** For STATE timers: the delayed transition. */
  final TransitionNode transition;
  /** For ACTION timers: the event delivered. */
  final Object event;
  /**
   * How many zero-delay timers of this machine fired in a row before this one was armed, each
   * arming the next: such a chain never lets time move on, so it is bounded like a micro-step
   * chain. Zero for a timer armed outside such a chain or with a delay.
   */
  int chain;
  MachineTimer prevOfMachine;
  MachineTimer nextOfMachine;

  MachineTimer(MachineRuntime<?> machine, Kind kind, int incarnation, StateNode owner,
      TransitionNode transition, Object event) {
    super(kind == Kind.STATE);
    this.machine = machine;
    this.kind = kind;
    this.incarnation = incarnation;
    this.owner = owner;
    this.transition = transition;
    this.event = event;
  }

  @Override
  protected void expire() {
    machine.timers.expired(this);
  }

  @Override
  public boolean cancel() {
    machine.checkInLoop("cancel a timer");
    return machine.timers.cancel(this);
  }

  @Override
  public String toString() {
    return "timer of '" + machine.id() + "' (" + kind
        + (transition != null ? " " + transition : event != null ? " " + Describe.event(event) : "")
        + (isPending() ? ", pending)" : ")");
  }
}
