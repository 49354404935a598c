package dev.stator.internal.machine;

import dev.stator.internal.definition.StateNode;
import java.util.concurrent.Future;

/** One call of one state activation: the token its completion must match to be delivered. */
final class PendingCall {
  final String id;
  final StateNode owner;
  final int incarnation;
  /** Set once the completion was taken, or the call cancelled: later completions are stale. */
  boolean finished;
  /**
   * Set when the engine cancelled the call (exit or timeout): what the cancelled work produces is
   * no news. Volatile: a blocking call's thread reads it.
   */
  volatile boolean cancelled;
  MachineTimer timeout;
  /** When it started, on the loop's clock. */
  long started;
  Future<?> cancel;

  PendingCall(String id, StateNode owner, int incarnation) {
    this.id = id;
    this.owner = owner;
    this.incarnation = incarnation;
  }

  @Override
  public String toString() {
    return "call " + id + " of " + owner.path() + (finished ? " (finished)" : " (pending)");
  }
}
