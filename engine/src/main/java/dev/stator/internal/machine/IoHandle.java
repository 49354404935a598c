package dev.stator.internal.machine;

import dev.stator.IoRegistration;
import dev.stator.internal.definition.StateNode;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;

/** A channel's registration for one machine incarnation: the key's attachment. */
public final class IoHandle implements IoRegistration {
  final MachineRuntime<?> machine;
  final String name;
  final SelectionKey key;
  /** The state whose exit cancels it, or null for a machine-scoped registration. */
  final StateNode owner;
  final int incarnation;

  IoHandle(MachineRuntime<?> machine, String name, SelectionKey key, StateNode owner,
      int incarnation) {
    this.machine = machine;
    this.name = name;
    this.key = key;
    this.owner = owner;
    this.incarnation = incarnation;
  }

  /** Delivers readiness from the loop's selector to the machine, as a step. Loop thread only. */
  public void ready(int readyOps) {
    MachineIo.ready(this, readyOps);
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public SelectableChannel channel() {
    return key.channel();
  }

  @Override
  public void interestOps(int ops) {
    machine.checkInLoop("change the interest of an I/O registration");
    if (key.isValid()) {
      key.interestOps(ops);
    }
  }

  @Override
  public void cancel() {
    machine.checkInLoop("cancel an I/O registration");
    machine.rare.io.cancel(this);
  }

  @Override
  public boolean isActive() {
    return key.isValid();
  }

  @Override
  public String toString() {
    return "I/O registration '" + name + "' of '" + machine.id() + "'"
        + (key.isValid() ? "" : " (cancelled)");
  }
}
