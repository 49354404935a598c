package dev.stator;

/**
 * An event that was not delivered, handed to the loop's dead-letter handler so that nothing is
 * lost silently. Immutable; the event is the one that was sent.
 *
 * @param machineId the machine it was for
 * @param event the event
 * @param reason why it was not delivered ("machine FAILED", "loop closed", …)
 */
public record DeadLetter(String machineId, Object event, String reason) {
  @Override
  public String toString() {
    // the id may come from a file and the event from anywhere: nothing raw reaches a terminal
    return dev.stator.internal.text.Printable.escape("dead letter for '" + machineId + "' (" + reason
        + "): " + dev.stator.internal.text.Describe.event(event));
  }
}
