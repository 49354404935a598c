package dev.stator.internal.definition;

import dev.stator.StateSnapshot;
import dev.stator.Status;
import dev.stator.model.Action;
import java.util.Map;

/** A compiled state: its place in the tree and every table a step needs, built once. */
public final class StateNode {
  public final int index;
  final String name;
  public final StateNode parent;
  final int depth;
  public final boolean isFinal;
  /** The index of its last descendant in document order (its own index when it has none). */
  public int subtreeEnd;
  /** What kind of state it is. */
  final dev.stator.model.StateSpec.Type type;
  /** The id the definition gave it, or null: then its id is its path. */
  String explicitId;
  /** Its own tags (not its ancestors'). */
  public String[] tags = new String[0];
  /** The history pseudo-states among its children. */
  public StateNode[] historyChildren = new StateNode[0];
  /**
   * For a history state: the states entered when nothing is remembered (its default target, or
   * its parent's default entry when it names none).
   */
  public StateNode[] historyDefault;
  /** For a final state: its done data, or null. */
  public dev.stator.model.Output<Object> output;
  /**
   * For a final state inside a compound state of a machine without regions: its parent's done
   * event when it has no output (made once), else null.
   */
  public dev.stator.StateDone doneEvent;
  /**
   * This state's path once something asked for it, else null. Paths repeat their ancestors' names,
   * so holding every state's path would take memory quadratic in the nesting: only the states a
   * machine has been in keep theirs. Written racily: a String is safely published, and every thread
   * computes the same one.
   */
  private String path;
  /** The snapshot of a machine running in this state, made the first time one is asked for. */
  private StateSnapshot running;

  public StateNode initial;
  public StateNode[] children = new StateNode[0];
  public Action<Object, Object>[] entry;
  public Action<Object, Object>[] exit;
  /** This state's own delayed transitions. */
  public TransitionNode[] after;
  /** Eventless transitions of this state and its ancestors, innermost first. */
  public TransitionNode[] always;
  /** For each value some transition matches by equality: every candidate, innermost first. */
  public Map<Object, TransitionNode[]> byValue;
  /**
   * When every value in {@link #byValue} is a constant of one enum class (the common case), the
   * same table indexed by ordinal, so that dispatch on an enum event skips hashing; else null.
   */
  public Class<?> enumClass;
  public TransitionNode[][] byOrdinal;
  /** Transitions that match by type, innermost first, for events not in {@link #byValue}. */
  public TransitionNode[] byType;
  /** Expected-error transitions of this state and its ancestors, innermost first. */
  public TransitionNode[] onError;
  /** The calls made on entry. */
  public dev.stator.model.Invocation<Object>[] invocations;
  /** The states entered after this one when it is a target: its initial child chain. */
  StateNode[] initialDescent;
  StateNode(int index, String name, StateNode parent, dev.stator.model.StateSpec.Type type) {
    this.index = index;
    this.name = name;
    this.parent = parent;
    this.depth = parent == null ? 0 : parent.depth + 1;
    this.type = type;
    this.isFinal = type == dev.stator.model.StateSpec.Type.FINAL;
  }

  /** Returns its id: the one the definition gave, else its path. */
  public String id() {
    return explicitId != null ? explicitId : path();
  }

  public boolean isParallel() {
    return type == dev.stator.model.StateSpec.Type.PARALLEL;
  }

  public boolean isHistory() {
    return type == dev.stator.model.StateSpec.Type.SHALLOW_HISTORY
        || type == dev.stator.model.StateSpec.Type.DEEP_HISTORY;
  }

  public boolean isDeepHistory() {
    return type == dev.stator.model.StateSpec.Type.DEEP_HISTORY;
  }

  /** A normal state with children (not a parallel one). */
  public boolean isCompound() {
    return type == dev.stator.model.StateSpec.Type.NORMAL && children.length > 0;
  }

  /** A state that is active alone at its level: no children, or final. History is never active. */
  public boolean isAtomic() {
    return !isHistory() && (children.length == 0 || isFinal);
  }

  /** Returns the names from the top-level state down to this one, joined by '/', and keeps it. */
  public String path() {
    String known = path;
    if (known == null) {
      known = pathUncached();
    path = known;
    }
    return known;
  }

  /**
   * Returns {@link #path()} without keeping it, for a caller that names many states once each
   * (a listing, a message): those must not leave every path held.
   */
  String pathUncached() {
    String known = path;
    if (known != null) {
      return known;
    }
    if (parent == null) {
      return name;
    }
    StateNode[] chain = new StateNode[depth + 1];
    int length = depth;
    for (StateNode s = this; s != null; s = s.parent) {
      chain[s.depth] = s;
      length += s.name.length();
    }
    StringBuilder out = new StringBuilder(length);
    for (StateNode s : chain) {
      out.append(s.depth == 0 ? "" : "/").append(s.name);
    }
    return out.toString();
  }

  /** Returns the length of {@link #path()} without making it. */
  long pathLength() {
    long length = depth;
    for (StateNode s = this; s != null; s = s.parent) {
      length += s.name.length();
    }
    return length;
  }

  /** Returns the snapshot of a machine running in this state. */
  public StateSnapshot running() {
    StateSnapshot known = running;
    if (known == null) {
      // a record's fields are final: a snapshot seen through a race is whole
      String at = path();
      known = new StateSnapshot(Status.RUNNING, at, null, java.util.List.of(at), tagsWithAncestors());
    running = known;
    }
    return known;
  }

  /** Returns the tags of this state and its ancestors. */
  public java.util.Set<String> tagsWithAncestors() {
    java.util.Set<String> all = null;
    for (StateNode s = this; s != null; s = s.parent) {
      if (s.tags.length > 0) {
        if (all == null) {
          all = new java.util.TreeSet<>();
        }
        java.util.Collections.addAll(all, s.tags);
      }
    }
    return all == null ? java.util.Set.of() : all;
  }

  public boolean isDescendantOf(StateNode ancestor) {
    for (StateNode s = parent; s != null; s = s.parent) {
      if (s == ancestor) {
        return true;
      }
    }
    return false;
  }

  @Override
  public String toString() {
    return pathUncached();
  }
}
