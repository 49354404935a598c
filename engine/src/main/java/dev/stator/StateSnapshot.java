package dev.stator;

import java.util.Objects;
import java.util.Optional;

/**
 * An immutable view of a machine's state, published by the loop after each step and readable
 * from any thread. Safe to share.
 *
 * @param status where the machine is in its life
 * @param path the active state configuration from the top, names joined with {@code /}
 *     ({@code "connecting/handshake"}); for a failed machine the configuration at the fault, and
 *     the empty string before the initial entry
 * @param failure the failure, present exactly when {@code status} is {@link Status#FAILED}
 */
public record StateSnapshot(Status status, String path, Failure failure) {

  /** Checks that a failure is present exactly when the status is FAILED. */
  public StateSnapshot {
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(path, "path");
    if ((status == Status.FAILED) != (failure != null)) {
      throw new IllegalArgumentException(
          "a failure must be present exactly when the status is FAILED; status=" + status);
    }
  }

  /** Returns the innermost active state's name: the last segment of {@link #path()}. */
  public String leaf() {
    return path.substring(path.lastIndexOf('/') + 1);
  }

  /** Returns whether the state configuration includes {@code stateName}. */
  public boolean isIn(String stateName) {
    for (String segment : path.split("/")) {
      if (segment.equals(stateName)) {
        return true;
      }
    }
    return false;
  }

  /** Returns the failure, present only when the status is FAILED. */
  public Optional<Failure> failureCause() {
    return Optional.ofNullable(failure);
  }

  /** Returns whether this incarnation will process no more events. */
  public boolean isTerminal() {
    return status.isTerminal();
  }

  @Override
  public String toString() {
    // state names may come from a file: nothing raw reaches a log or terminal
    return dev.stator.internal.Printable.escape(
        status == Status.RUNNING ? path : status + (path.isEmpty() ? "" : " [" + path + "]"));
  }
}
