package dev.stator;

/**
 * The cause of a fault when a machine whose policy is {@link UnhandledEventPolicy#FAULT} receives
 * an event that no transition of its active states accepts.
 */
public final class UnhandledEventException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message the machine, state and event
   */
  public UnhandledEventException(String message) {
    super(message);
  }
}
