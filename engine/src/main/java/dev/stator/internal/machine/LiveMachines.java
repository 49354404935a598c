package dev.stator.internal.machine;

import java.util.ArrayList;
import java.util.List;

/**
 * The machines of one loop that have started and not ended: an intrusive doubly linked list
 * through {@link MachineRuntime#prevLive} and {@link MachineRuntime#nextLive}, so that registering
 * a machine allocates nothing. The loop owns one and reaches it through
 * {@link LoopServices#register} and {@link LoopServices#unregister}; it walks it as it closes and
 * on its fatal path. Loop-confined.
 */
public final class LiveMachines {
  private MachineRuntime<?> head;
  private int count;

  /** Adds a machine. */
  public void register(MachineRuntime<?> machine) {
    machine.nextLive = head;
    if (head != null) {
      head.prevLive = machine;
    }
    head = machine;
    count++;
  }

  /** Removes a machine; a machine not in the list is left alone. */
  public void unregister(MachineRuntime<?> machine) {
    if (machine.prevLive == null && head != machine) {
      return;
    }
    if (machine.prevLive == null) {
      head = machine.nextLive;
    } else {
      machine.prevLive.nextLive = machine.nextLive;
    }
    if (machine.nextLive != null) {
      machine.nextLive.prevLive = machine.prevLive;
    }
    machine.prevLive = null;
    machine.nextLive = null;
    count--;
  }

  /** Returns the machine registered last, or null when there is none. */
  public MachineRuntime<?> first() {
    return head;
  }

  /** Returns how many machines are registered. */
  public int count() {
    return count;
  }

  /** Returns every registered machine (a copy), for the fatal path and tests. */
  public List<MachineRuntime<?>> all() {
    List<MachineRuntime<?>> all = new ArrayList<>();
    for (MachineRuntime<?> m = head; m != null; m = m.nextLive) {
      all.add(m);
    }
    return all;
  }
}
