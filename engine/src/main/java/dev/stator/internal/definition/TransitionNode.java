package dev.stator.internal.definition;

import dev.stator.Timeout;
import dev.stator.internal.text.Describe;
import dev.stator.internal.text.ErrorTypes;
import dev.stator.model.Action;
import dev.stator.model.Guard;
import dev.stator.model.Trigger;

/** A compiled transition, with its exit boundary and entry path computed once. */
public final class TransitionNode {
  /** The transition's position in {@link CompiledDefinition#transitions}. */
  public int index;
  public final StateNode source;
  final Trigger trigger;
  public final Guard<Object, Object> guard;
  public final Action<Object, Object>[] actions;
  /** For type and done triggers, the class tested; else null. */
  final Class<?> type;
  /** For done triggers, and error triggers scoped to a call, the call's id; else null. */
  public final String callId;
  /** For error triggers, the binary name of the expected error type; else null. */
  public final String errorType;
  /**
   * The transition as written. One written transition given to several states (the JSON reader
   * gives the root's transitions to every top-level state) is taken once in a microstep, however
   * many active regions select it.
   */
  public dev.stator.model.TransitionSpec<?> written;
  /**
   * Whether it is the root's: written once and given to several top-level states. For selection
   * its source is above every state.
   */
  public boolean fromRoot;
  /** Whether a descendant target leaves the source active. */
  public boolean internal;
  /** The first target; null for a targetless transition. */
  public StateNode target;
  /** Every target, in the order written; empty for a targetless transition. */
  public StateNode[] targets = new StateNode[0];
  /** States below the domain are exited; null is the machine's root. */
  public StateNode domain;
  /** States entered, outermost first, down to a leaf. */
  public StateNode[] entryPath;
  /** For delayed transitions: the delay and the event their timer delivers. */
  public long delayNanos;
  /** The index of the leaf a targeted transition ends in, -1 for none (targetless). */
  public int targetLeaf = -1;
  /** For delayed transitions: their number among the definition's delayed transitions. */
  public int delayIndex = -1;
  public Timeout timeout;

  TransitionNode(StateNode source, Trigger trigger, Guard<Object, Object> guard,
      Action<Object, Object>[] actions) {
    this.source = source;
    this.trigger = trigger;
    this.guard = guard;
    this.actions = actions;
    if (trigger instanceof Trigger.OnType onType) {
      this.type = onType.type();
    } else if (trigger instanceof Trigger.OnDone) {
      this.type = dev.stator.CallDone.class;
    } else if (trigger instanceof Trigger.OnEventMatching) {
      this.type = String.class;
    } else {
      this.type = null;
    }
    // the call whose completion it takes, or (for an expected error scoped to a call) whose failure
    this.callId = trigger instanceof Trigger.OnDone onDone ? onDone.callId()
        : trigger instanceof Trigger.OnError onError ? onError.call() : null;
    this.errorType = trigger instanceof Trigger.OnError onError ? onError.errorType() : null;
  }

  /** Whether a typed candidate accepts {@code event}: its type, and for done triggers its call. */
  public boolean accepts(Object event) {
    return type.isInstance(event)
        && (callId == null || callId.equals(((dev.stator.CallDone) event).callId()))
        && (!(trigger instanceof Trigger.OnEventMatching matching) || matching.matches(event));
  }

  /** Describes the trigger for traces: payload-free, so reports hold no event data. */
  public String traceLabel() {
    if (trigger instanceof dev.stator.model.Trigger.OnEvent onEvent) {
      return Describe.event(onEvent.event());
    } else if (trigger instanceof dev.stator.model.Trigger.OnType onType) {
      return onType.type().getSimpleName();
    } else if (trigger instanceof dev.stator.model.Trigger.OnEventMatching matching) {
      return matching.descriptor();
    } else if (trigger instanceof dev.stator.model.Trigger.OnError onError) {
      return "error " + ErrorTypes.simpleName(onError.errorType())
          + (onError.call() == null ? "" : " of " + onError.call());
    } else if (trigger instanceof dev.stator.model.Trigger.OnDone onDone) {
      return "done " + onDone.callId();
    }
    return trigger.toString();
  }

  @Override
  public String toString() {
    return source.pathUncached() + " " + trigger + " -> "
        + (target == null ? "(stay)" : target.pathUncached());
  }
}
