package dev.stator.durable;

/**
 * The error a restored machine receives, as an ordinary expected error of its state, for a call
 * that was in flight when its image was taken and that is not declared idempotent: its result was
 * lost with the process, and starting it again might do its work twice. A state that declares
 * {@code onError(CallLostException.class)} reacts to it with a transition; otherwise it is a fault,
 * with a report naming the call.
 *
 * <p><b>Thread-safety:</b> immutable once made; safe to share.
 */
public final class CallLostException extends Exception {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message which call of which machine and state
   */
  public CallLostException(String message) {
    super(message);
  }
}
