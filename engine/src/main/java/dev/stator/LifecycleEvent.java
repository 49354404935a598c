package dev.stator;

/** Events the engine itself gives a machine's callbacks, as {@link Step#event()}. */
public enum LifecycleEvent {
  /** The initial entry of a new machine or of a new incarnation after a reset. */
  START,
  /** The exit actions run by {@link Machine#stop()} or by the loop closing. */
  STOP
}
