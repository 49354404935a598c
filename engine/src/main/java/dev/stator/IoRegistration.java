package dev.stator;

import java.nio.channels.SelectableChannel;

/**
 * A channel registered with a machine's loop. Belongs to a state (cancelled when the state
 * exits) or to the machine (cancelled when it ends or is reset); after that, no readiness event of
 * it reaches the machine. Use only on the loop thread. Cancelling does not close the channel.
 */
public interface IoRegistration {

  /** {@return the name given at registration, used in events and reports} */
  String name();

  /** {@return the channel} */
  SelectableChannel channel();

  /**
   * Changes the operations the loop waits for ({@link java.nio.channels.SelectionKey} bits).
   *
   * @param ops the new interest set; 0 pauses the registration
   */
  void interestOps(int ops);

  /** Cancels the registration; later readiness is never delivered. Idempotent. */
  void cancel();

  /** {@return whether the registration is still active} */
  boolean isActive();
}
