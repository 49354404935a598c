package dev.stator;

/**
 * A timer started by an action with {@link Step#startTimer}. Use only on the machine's loop
 * thread.
 */
public interface TimerHandle {

  /**
   * Cancels the timer if it has not fired yet.
   *
   * @return whether this call cancelled it (false if it had fired or was cancelled already)
   */
  boolean cancel();

  /** {@return whether the timer is still pending} */
  boolean isPending();
}
