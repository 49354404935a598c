package dev.stator;

/**
 * One step in a machine's recent history, as kept for failure reports. Immutable; safe to share.
 *
 * @param nanoTime the loop's clock reading when the step was taken
 * @param event what triggered the step, as the definition names it ({@code "FLIP"},
 *     {@code "Deposit"}, {@code "after PT10S"}, {@code "error ConnectException"}, {@code "START"}):
 *     never the event itself, so reports hold no payloads
 * @param from the configuration before the step
 * @param to the configuration after the step
 */
public record TraceEntry(long nanoTime, String event, String from, String to) {
  @Override
  public String toString() {
    // names come from definitions, which may come from files: nothing raw reaches a log or terminal
    return dev.stator.internal.text.Printable.escape(from + " --" + event + "--> " + to);
  }
}
