package dev.stator;

/**
 * Thrown when code on a loop thread tries to wait for something that only that loop can finish,
 * such as joining the lifecycle future of one of its machines: the wait would never end.
 */
public final class BlockingOperationException extends IllegalStateException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message what was refused and what to do instead
   */
  public BlockingOperationException(String message) {
    super(message);
  }
}
