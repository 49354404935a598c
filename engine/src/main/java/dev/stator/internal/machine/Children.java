package dev.stator.internal.machine;

import dev.stator.Machine;
import dev.stator.MachineDefinition;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * The running children of one supervising machine, in the order they started: a child that ends
 * leaves the list (and reports its end to its parent as a step), and a parent that ends stops
 * every descendant first.
 *
 * <p>Loop-confined (a child runs on its parent's loop). Made when the machine starts its first
 * child.
 */
final class Children {
  /** In start order; a set, so that a child's end is found at once among a million siblings. */
  private final java.util.Set<MachineRuntime<?>> running = new java.util.LinkedHashSet<>();

  void add(MachineRuntime<?> child) {
    running.add(child);
  }

  /** A child ended and has told its parent. */
  void remove(MachineRuntime<?> child) {
    running.remove(child);
  }

  /** The fatal path: every registered machine fails by that path, the children included. */
  void forget() {
    running.clear();
  }

  boolean isEmpty() {
    return running.isEmpty();
  }

  /**
   * Stops every descendant of {@code root}, deepest first, without recursion: a supervision chain
   * may be as deep as the user likes, and the stack is not. The whole subtree is detached first
   * (no child then reports its end to a parent that is ending too), and each machine is stopped
   * after all of its descendants, so none of them finds a child still running when its own exit
   * actions run.
   */
  static void stopDescendants(MachineRuntime<?> root) {
    List<MachineRuntime<?>> preorder = new ArrayList<>();
    ArrayDeque<MachineRuntime<?>> work = new ArrayDeque<>();
    detach(root, work);
    while (!work.isEmpty()) {
      MachineRuntime<?> next = work.pop();
      preorder.add(next);
      detach(next, work);
    }
    for (int i = preorder.size() - 1; i >= 0; i--) {
      preorder.get(i).endings().stopNow(false);
    }
  }

  private static void detach(MachineRuntime<?> machine, ArrayDeque<MachineRuntime<?>> to) {
    Children children = machine.rare.children;
    if (children != null) {
      // popped last first, and the order reversed again when stopping: siblings stop in the
      // order they started
      for (MachineRuntime<?> child : children.running) {
        // its parent is ending and stops it: it no longer reports its own end there
        child.parent = null;
        to.push(child);
      }
      children.running.clear();
    }
  }

  /** Starts a child of {@code parent} ({@link dev.stator.Step#startChild}) and keeps it. */
  static <D> Machine<D> start(MachineRuntime<?> parent, MachineDefinition<D> childDefinition,
      D childContext) {
    parent.checkInLoop("start a child");
    parent.checkRunning("start a child");
    MachineRuntime<D> child =
        MachineFactory.start(parent.core, childDefinition, null, childContext, parent, null);
    if (parent.rare.children == null) {
      parent.rare().children = new Children();
    }
    parent.rare.children.add(child);
    return child;
  }
}
