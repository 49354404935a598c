package dev.stator;

/**
 * The event a parent machine receives when one of its children ends. A parent that does not
 * handle the event of a failed child fails itself: the failure escalates up the tree. Immutable.
 *
 * @param childId the child's id
 * @param status COMPLETED, STOPPED or FAILED
 * @param failure the child's failure when FAILED, else null
 */
public record ChildTerminated(String childId, Status status, Failure failure) {
  @Override
  public String toString() {
    return "ChildTerminated(" + childId + " " + status + ")";
  }
}
