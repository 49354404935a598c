package dev.stator.internal.text;

/**
 * Describes events and throwables for reports without ever throwing: user code's
 * {@code toString()} may throw, recurse or return null, and a report must still be written.
 */
public final class Describe {
  private static final int MAX_LENGTH = 200;
  private static final int MAX_MESSAGE_LENGTH = 1_000;

  private Describe() {}

  /**
   * Describes an event: its {@code toString()}, cut to 200 characters, or a placeholder naming its
   * class when {@code toString()} fails.
   *
   * @param event the event, may be null
   * @return the description
   */
  public static String event(Object event) {
    if (event == null) {
      return "null";
    }
    try {
      String text = String.valueOf(event.toString());
      return text.length() <= MAX_LENGTH ? text : text.substring(0, MAX_LENGTH) + "…";
    } catch (Throwable t) {
      return "<" + event.getClass().getName() + ": toString() threw " + t.getClass().getName() + ">";
    }
  }

  /**
   * Describes a throwable as its class name and message, like {@code Throwable.toString()} but
   * safe, and with the message cut to 1,000 characters.
   *
   * @param throwable the throwable
   * @return the description
   */
  public static String throwable(Throwable throwable) {
    String message;
    try {
      message = throwable.getLocalizedMessage();
    } catch (Throwable t) {
      message = "<getMessage() threw " + t.getClass().getName() + ">";
    }
    // a failure's message quotes its cause's: cut, so that a failure climbing a supervision chain
    // of any depth keeps a report of bounded size instead of quoting every level below
    if (message != null && message.length() > MAX_MESSAGE_LENGTH) {
      message = message.substring(0, MAX_MESSAGE_LENGTH) + "…";
    }
    String name = throwable.getClass().getName();
    String described = message == null ? name : name + ": " + message;
    return injected(throwable) ? described + " (" + INJECTED_NOTE + ")" : described;
  }

  /** What a description adds for a throwable the test kit's fault plan threw on purpose. */
  public static final String INJECTED_NOTE = "injected by a FaultPlan";

  /** The test kit's marker: a throwable a fault plan throws carries one as suppressed. */
  private static final String INJECTED_MARKER = "dev.stator.testing.InjectedFaultException";

  /**
   * Whether a fault plan threw {@code throwable} on purpose: it carries the plan's marker as a
   * suppressed throwable (the marker itself says so in its own message).
   */
  private static boolean injected(Throwable throwable) {
    if (throwable.getClass().getName().equals(INJECTED_MARKER)) {
      return false;
    }
    try {
      for (Throwable suppressed : throwable.getSuppressed()) {
        if (suppressed.getClass().getName().equals(INJECTED_MARKER)) {
          return true;
        }
      }
    } catch (RuntimeException unusual) {
      return false;
    }
    return false;
  }
}
