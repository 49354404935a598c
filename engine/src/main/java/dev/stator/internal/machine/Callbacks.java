package dev.stator.internal.machine;

import dev.stator.Failure;
import dev.stator.Status;
import dev.stator.Step;
import dev.stator.internal.definition.StateNode;

/**
 * A machine's side of its collaborators' narrow interfaces ({@link Recovery.Target},
 * {@link MachineCalls.Owner}): one object per machine, made with the first collaborator, so that
 * the public {@link MachineRuntime} shows none of these methods and an idle machine holds none.
 *
 * <p>It owns no state of its own: every method reads or writes its machine. Loop-confined, as the
 * machine's fields it touches are.
 */
final class Callbacks implements Recovery.Target, MachineCalls.Owner {
  private final MachineRuntime<?> machine;

  Callbacks(MachineRuntime<?> machine) {
    this.machine = machine;
  }

  @Override
  public String id() {
    return machine.id();
  }

  @Override
  public Object context() {
    return machine.context;
  }

  @Override
  public void renew(Object freshContext) {
    machine.context = freshContext;
    machine.incarnation++;
  }

  @Override
  public void notifyReset(Failure failure) {
    if (machine.rare.notifications != null && !machine.rare.notifications.isEmpty()) {
      MachineListeners.deliverPending(machine);
    }
    tellReset(machine, failure);
  }

  private static <C> void tellReset(MachineRuntime<C> m, Failure failure) {
    m.listeners.reset(m.core, m, failure);
  }

  @Override
  public MachineTimer schedule(MachineTimer.Kind kind, StateNode owner, Object event,
      long delayNanos) {
    MachineTimer timer = new MachineTimer(machine, kind, machine.incarnation, owner, null,
        event);
    machine.timers().schedule(timer, delayNanos);
    return timer;
  }

  @Override
  public int incarnation() {
    return machine.incarnation;
  }

  @Override
  public Step<Object> step() {
    return machine;
  }

  @Override
  public boolean cancelTimer(MachineTimer timer) {
    return machine.timers.cancel(timer);
  }

  @Override
  public boolean submit(Object item) {
    return machine.core.submit(machine, item);
  }

  @Override
  public boolean failed() {
    return machine.status == Status.FAILED;
  }

  @Override
  public boolean ended() {
    return machine.ended();
  }

  @Override
  public void begin() {
    machine.leafIndex = -1;
    if (machine.rare.chart != null) {
      machine.rare.chart = null;
    }
    machine.begin();
  }

  @Override
  public void finishFailed(Failure failure, boolean escalate) {
    machine.endings().finishFailed(failure, escalate);
  }

  @Override
  public VirtualMachineError fatal(VirtualMachineError error) {
    return machine.fatal(error);
  }

  @Override
  public void shutdownHookEnded(Throwable error) {
    machine.core.submit(machine, new Control("shutdown-done", error));
  }
}
