package dev.stator;

import java.util.Objects;
import java.util.Optional;

/**
 * An immutable view of a machine's state, published by the loop after each step and readable
 * from any thread. Safe to share.
 *
 * <p>The configuration is the set of active states. Without parallel states it is one path from
 * the top to the active leaf, and {@link #path()} says it all. With parallel states several leaves
 * are active at once, one per active region: {@link #activeStates()} lists them, and
 * {@link #matches(String)} asks whether a state is among the active ones.
 *
 * @param status where the machine is in its life
 * @param path the active configuration from the top, names joined with {@code /}
 *     ({@code "connecting/handshake"}); with several active leaves, their paths joined with
 *     {@code ", "} in document order; for a failed machine the configuration at the fault, and the
 *     empty string before the initial entry
 * @param failure the failure, present exactly when {@code status} is {@link Status#FAILED}
 * @param activeStates the paths of the active leaves, in document order (one without regions,
 *     none before the initial entry)
 * @param tags the tags of every active state (the leaves and their ancestors), sorted; for a
 *     completed machine, those of its final state; empty when stopped or failed
 */
public record StateSnapshot(Status status, String path, Failure failure,
    java.util.List<String> activeStates, java.util.Set<String> tags) {

  /**
   * Checks that a failure is present exactly when the status is FAILED, and copies the list.
   *
   * @param status where the machine is in its life
   * @param path the active configuration from the top, names joined with {@code /}
   *     ({@code "connecting/handshake"}); with several active leaves, their paths joined with
   *     {@code ", "} in document order; for a failed machine the configuration at the fault, and the
   *     empty string before the initial entry
   * @param failure the failure, present exactly when {@code status} is {@link Status#FAILED}
   * @param activeStates the paths of the active leaves, in document order (one without regions,
   *     none before the initial entry)
   * @param tags the tags of every active state; null is none
   */
  public StateSnapshot {
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(path, "path");
    if ((status == Status.FAILED) != (failure != null)) {
      throw new IllegalArgumentException(
          "a failure must be present exactly when the status is FAILED; status=" + status);
    }
    activeStates = java.util.List.copyOf(activeStates);
    tags = tags == null || tags.isEmpty() ? java.util.Set.of()
        : java.util.Collections.unmodifiableSortedSet(new java.util.TreeSet<>(tags));
  }

  /**
   * A snapshot without tags.
   *
   * @param status where the machine is in its life
   * @param path the active configuration
   * @param failure the failure, present exactly when FAILED
   * @param activeStates the paths of the active leaves
   */
  public StateSnapshot(Status status, String path, Failure failure,
      java.util.List<String> activeStates) {
    this(status, path, failure, activeStates, java.util.Set.of());
  }

  /**
   * Returns whether an active state has {@code tag}, as XState's {@code snapshot.hasTag}.
   *
   * @param tag the tag
   * @return whether it is among {@link #tags()}
   */
  public boolean hasTag(String tag) {
    return tags.contains(tag);
  }

  /**
   * A snapshot of a configuration with one active leaf (or none, for the empty path).
   *
   * @param status where the machine is in its life
   * @param path the leaf's path, or the empty string
   * @param failure the failure, present exactly when FAILED
   */
  public StateSnapshot(Status status, String path, Failure failure) {
    this(status, path, failure, path.isEmpty() ? java.util.List.of() : java.util.List.of(path));
  }

  /**
   * {@return the innermost active state's name: the last segment of {@link #path()}; with several
   * active leaves, the first one's}
   */
  public String leaf() {
    String first = activeStates.isEmpty() ? path : activeStates.get(0);
    return first.substring(first.lastIndexOf('/') + 1);
  }

  /**
   * {@return whether the state configuration includes a state named {@code stateName}, at any
   * depth} Names are unique only among siblings, so with the same name under several parents this
   * is true when any of them is active; {@link #matches(String)} asks about one state by its path.
   *
   * @param stateName the state name to look for
   */
  public boolean isIn(String stateName) {
    for (String active : activeStates) {
      for (String segment : active.split("/")) {
        if (segment.equals(stateName)) {
          return true;
        }
      }
    }
    return false;
  }

  /**
   * Returns whether the state at {@code statePath} (names from the top joined with {@code /}, as
   * in {@link #path()}) is active: it is an active leaf or an ancestor of one.
   *
   * @param statePath the state's path
   * @return whether it is active
   */
  public boolean matches(String statePath) {
    Objects.requireNonNull(statePath, "statePath");
    for (String active : activeStates) {
      if (active.equals(statePath)
          || (active.startsWith(statePath) && active.charAt(statePath.length()) == '/')) {
        return true;
      }
    }
    return false;
  }

  /** {@return the failure, present only when the status is FAILED} */
  public Optional<Failure> failureCause() {
    return Optional.ofNullable(failure);
  }

  /** {@return whether this incarnation will process no more events} */
  public boolean isTerminal() {
    return status.isTerminal();
  }

  @Override
  public String toString() {
    // state names may come from a file: nothing raw reaches a log or terminal
    return dev.stator.internal.text.Printable.escape(
        status == Status.RUNNING ? path : status + (path.isEmpty() ? "" : " [" + path + "]"));
  }
}
