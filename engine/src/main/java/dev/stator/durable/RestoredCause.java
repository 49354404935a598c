package dev.stator.durable;

/**
 * The cause in the failure report of a machine restored as FAILED: the original throwable is not
 * recreated (that would mean loading a class an image names), so this one carries its type's name
 * and its message, and the report reads as it did.
 *
 * <p><b>Thread-safety:</b> immutable once made; safe to share.
 */
public final class RestoredCause extends Exception {
  private static final long serialVersionUID = 1L;

  /** The original throwable's class name. */
  private final String originalType;
  /** Its message, or null. */
  private final String originalMessage;

  /**
   * Creates the cause.
   *
   * @param originalType the original throwable's class name
   * @param originalMessage its message, or null
   */
  public RestoredCause(String originalType, String originalMessage) {
    super(originalType + (originalMessage == null ? "" : ": " + originalMessage)
        + " (restored from an image)", null, false, false);
    this.originalType = originalType;
    this.originalMessage = originalMessage;
  }

  /** {@return the original throwable's message, or null} */
  public String originalMessage() {
    return originalMessage;
  }

  /** {@return the original throwable's class name} */
  public String originalType() {
    return originalType;
  }
}
