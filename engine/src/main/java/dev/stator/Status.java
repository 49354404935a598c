package dev.stator;

/**
 * Where a machine is in its life. Every legal move goes forward in declaration order, except that
 * a reset moves a {@link #FAILED} incarnation back to {@link #RUNNING} as a new incarnation.
 *
 * <pre>
 *   STARTING ──► RUNNING ──┬──► COMPLETED   (a top-level final state was entered)
 *                          ├──► STOPPED     (stop() or the loop closed)
 *                          └──► FAILED      (a fault; recovery may start a new incarnation)
 * </pre>
 */
public enum Status {
  /** Created; the initial state has not been entered yet. */
  STARTING,
  /** Processing events. */
  RUNNING,
  /** A top-level final state was reached; the lifecycle future completed normally. */
  COMPLETED,
  /** Stopped on request or because its loop closed; the lifecycle future completed normally. */
  STOPPED,
  /** A callback faulted; see the {@link Failure}. */
  FAILED;

  /** {@return whether no more events will be processed by this incarnation} */
  public boolean isTerminal() {
    return this == COMPLETED || this == STOPPED || this == FAILED;
  }
}
