package dev.stator.internal;

import dev.stator.Timeout;
import dev.stator.model.Action;
import dev.stator.model.Guard;
import dev.stator.model.Trigger;

/** A compiled transition, with its exit boundary and entry path computed once. */
final class TransitionNode {
  final StateNode source;
  final Trigger trigger;
  final Guard<Object, Object> guard;
  final Action<Object, Object>[] actions;
  /** For type and error triggers, the class tested; else null. */
  final Class<?> type;
  /** Whether a descendant target leaves the source active. */
  boolean internal;
  /** Null for a targetless transition. */
  StateNode target;
  /** States below the domain are exited; null is the machine's root. */
  StateNode domain;
  /** States entered, outermost first, down to a leaf. */
  StateNode[] entryPath;
  /** For delayed transitions: the delay and the event their timer delivers. */
  long delayNanos;
  Timeout timeout;

  TransitionNode(StateNode source, Trigger trigger, Guard<Object, Object> guard,
      Action<Object, Object>[] actions) {
    this.source = source;
    this.trigger = trigger;
    this.guard = guard;
    this.actions = actions;
    if (trigger instanceof Trigger.OnType onType) {
      this.type = onType.type();
    } else if (trigger instanceof Trigger.OnError onError) {
      this.type = onError.error();
    } else {
      this.type = null;
    }
  }

  boolean isTargetless() {
    return target == null;
  }

  @Override
  public String toString() {
    return source.path + " " + trigger + " -> " + (target == null ? "(stay)" : target.path);
  }
}
