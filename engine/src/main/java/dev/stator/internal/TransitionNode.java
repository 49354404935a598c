package dev.stator.internal;

import dev.stator.Timeout;
import dev.stator.model.Action;
import dev.stator.model.Guard;
import dev.stator.model.Trigger;

/** A compiled transition, with its exit boundary and entry path computed once. */
final class TransitionNode {
  /** The transition's position in {@link CompiledDefinition#transitions}. */
  int index;
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

  /** Describes the trigger for traces: payload-free, so reports hold no event data. */
  String traceLabel() {
    if (trigger instanceof dev.stator.model.Trigger.OnEvent onEvent) {
      return Describe.event(onEvent.event());
    } else if (trigger instanceof dev.stator.model.Trigger.OnType onType) {
      return onType.type().getSimpleName();
    } else if (trigger instanceof dev.stator.model.Trigger.OnError onError) {
      return "error " + onError.error().getSimpleName();
    }
    return trigger.toString();
  }

  @Override
  public String toString() {
    return source.path + " " + trigger + " -> " + (target == null ? "(stay)" : target.path);
  }
}
