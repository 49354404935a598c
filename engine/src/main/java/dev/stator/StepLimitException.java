package dev.stator;

/**
 * The cause of a fault when one step takes more micro-steps (eventless transitions and raised
 * events) than the loop allows: a chain of eventless transitions that never settles, or a machine
 * that raises an event for every event it handles. Also the cause when a machine fires more
 * zero-delay timers in a row than that bound, each armed during the step of the one before
 * (phase {@link Phase#TIMER}).
 */
public final class StepLimitException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message the limit and the state where it was reached
   */
  public StepLimitException(String message) {
    super(message);
  }
}
