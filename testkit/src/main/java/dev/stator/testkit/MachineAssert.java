package dev.stator.testkit;

import dev.stator.Machine;
import dev.stator.StateSnapshot;
import dev.stator.Status;
import org.assertj.core.api.AbstractAssert;

/**
 * Assertions on a machine, read from its snapshot ({@link Machine#state()}) at each call. Made by
 * {@link StatorAssertions#assertThat(Machine)}.
 *
 * <p><b>Thread-safety:</b> like AssertJ's assertions, meant for the test's thread; the snapshot
 * it reads may be read from any thread.
 */
public final class MachineAssert extends AbstractAssert<MachineAssert, Machine<?>> {

  MachineAssert(Machine<?> machine) {
    super(machine, MachineAssert.class);
  }

  private StateSnapshot snapshot() {
    isNotNull();
    return actual.state();
  }

  /**
   * Checks that the state at {@code statePath} is active: an active leaf or an ancestor of one.
   *
   * @param statePath the state's path, names from the top joined with {@code /}
   * @return this
   */
  public MachineAssert isIn(String statePath) {
    StateSnapshot state = snapshot();
    if (!state.matches(statePath)) {
      failWithMessage("Expecting machine '%s' to be in state %s, but its active states were %s"
          + " (%s)", actual.id(), statePath, state.activeStates(), state.status());
    }
    return this;
  }

  /**
   * Checks that the state at {@code statePath} is not active.
   *
   * @param statePath the state's path
   * @return this
   */
  public MachineAssert isNotIn(String statePath) {
    StateSnapshot state = snapshot();
    if (state.matches(statePath)) {
      failWithMessage("Expecting machine '%s' not to be in state %s, but its active states were"
          + " %s", actual.id(), statePath, state.activeStates());
    }
    return this;
  }

  /**
   * Checks that an active state has {@code tag}.
   *
   * @param tag the tag
   * @return this
   */
  public MachineAssert hasTag(String tag) {
    StateSnapshot state = snapshot();
    if (!state.hasTag(tag)) {
      failWithMessage("Expecting machine '%s' to have tag %s in states %s, but its tags were %s",
          actual.id(), tag, state.activeStates(), state.tags());
    }
    return this;
  }

  /**
   * Checks the machine's status.
   *
   * @param status the expected status
   * @return this
   */
  public MachineAssert hasStatus(Status status) {
    StateSnapshot state = snapshot();
    if (state.status() != status) {
      failWithMessage("Expecting machine '%s' to be %s, but it was %s in %s%s", actual.id(),
          status, state.status(), state.path(),
          state.failure() == null ? "" : ": " + state.failure().summary());
    }
    return this;
  }

  /** {@return this, having checked that the machine is running} */
  public MachineAssert isRunning() {
    return hasStatus(Status.RUNNING);
  }

  /** {@return this, having checked that the machine reached a top-level final state} */
  public MachineAssert hasCompleted() {
    return hasStatus(Status.COMPLETED);
  }

  /** {@return this, having checked that the machine failed} */
  public MachineAssert hasFailed() {
    return hasStatus(Status.FAILED);
  }

  /** {@return assertions on the machine's failure, having checked that it failed} */
  public FailureAssert failure() {
    hasFailed();
    return new FailureAssert(actual.state().failure());
  }
}
