package dev.stator.internal;

import dev.stator.StateSnapshot;
import dev.stator.Status;
import dev.stator.model.Action;
import java.util.Map;

/** A compiled state: its place in the tree and every table a step needs, built once. */
final class StateNode {
  final int index;
  final String name;
  final String path;
  final StateNode parent;
  final int depth;
  final boolean isFinal;
  final StateSnapshot running;

  StateNode initial;
  StateNode[] children = new StateNode[0];
  Action<Object, Object>[] entry;
  Action<Object, Object>[] exit;
  /** This state's own delayed transitions. */
  TransitionNode[] after;
  /** Eventless transitions of this state and its ancestors, innermost first. */
  TransitionNode[] always;
  /** For each value some transition matches by equality: every candidate, innermost first. */
  Map<Object, TransitionNode[]> byValue;
  /**
   * When every value in {@link #byValue} is a constant of one enum class (the common case), the
   * same table indexed by ordinal, so that dispatch on an enum event skips hashing; else null.
   */
  Class<?> enumClass;
  TransitionNode[][] byOrdinal;
  /** Transitions that match by type, innermost first, for events not in {@link #byValue}. */
  TransitionNode[] byType;
  /** Expected-error transitions of this state and its ancestors, innermost first. */
  TransitionNode[] onError;
  /** The calls made on entry. */
  dev.stator.model.Invocation<Object>[] invocations;
  /** The states entered after this one when it is a target: its initial child chain. */
  StateNode[] initialDescent;
  /** The event raised when this final state is entered inside a compound, else null. */
  String doneEvent;

  StateNode(int index, String name, StateNode parent, boolean isFinal) {
    this.index = index;
    this.name = name;
    this.parent = parent;
    this.depth = parent == null ? 0 : parent.depth + 1;
    this.path = parent == null ? name : parent.path + "/" + name;
    this.isFinal = isFinal;
    this.running = new StateSnapshot(Status.RUNNING, path, null);
  }

  boolean isDescendantOf(StateNode ancestor) {
    for (StateNode s = parent; s != null; s = s.parent) {
      if (s == ancestor) {
        return true;
      }
    }
    return false;
  }

  @Override
  public String toString() {
    return path;
  }
}
