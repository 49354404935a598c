package dev.stator.testkit;

import dev.stator.Failure;
import dev.stator.Phase;
import dev.stator.testing.InjectedFaultException;
import java.util.Arrays;
import org.assertj.core.api.AbstractAssert;

/**
 * Assertions on a failure report. Made by {@link StatorAssertions#assertThat(Failure)} or
 * {@link MachineAssert#failure()}.
 *
 * <p><b>Thread-safety:</b> the report is immutable; like AssertJ's assertions, meant for the
 * test's thread.
 */
public final class FailureAssert extends AbstractAssert<FailureAssert, Failure> {

  FailureAssert(Failure failure) {
    super(failure, FailureAssert.class);
  }

  /**
   * Checks the part of the step that faulted.
   *
   * @param phase the expected phase
   * @return this
   */
  public FailureAssert happenedIn(Phase phase) {
    isNotNull();
    if (actual.phase() != phase) {
      failWithMessage("Expecting the failure to have happened in %s, but it happened in %s: %s",
          phase, actual.phase(), actual.summary());
    }
    return this;
  }

  /**
   * Checks the state the failure is reported against: the state whose callback threw when the
   * report names one ({@link Failure#callbackState()}), else the configuration at the fault (with
   * regions, any of its active leaves).
   *
   * @param statePath the state's path
   * @return this
   */
  public FailureAssert ofState(String statePath) {
    isNotNull();
    boolean matches = actual.callbackState().isEmpty()
        ? Arrays.asList(actual.state().split(", ")).contains(statePath)
        : actual.callbackState().equals(statePath);
    if (!matches) {
      failWithMessage("Expecting the failure to be of state %s, but it was of %s: %s", statePath,
          actual.callbackState().isEmpty() ? actual.state() : actual.callbackState(),
          actual.summary());
    }
    return this;
  }

  /**
   * Checks the machine that failed.
   *
   * @param machineId the machine's id
   * @return this
   */
  public FailureAssert ofMachine(String machineId) {
    isNotNull();
    if (!actual.machineId().equals(machineId)) {
      failWithMessage("Expecting the failure of machine '%s', but it was of '%s'", machineId,
          actual.machineId());
    }
    return this;
  }

  /**
   * Checks the cause's type.
   *
   * @param type the expected type, or a supertype of it
   * @return this
   */
  public FailureAssert hasCauseInstanceOf(Class<? extends Throwable> type) {
    isNotNull();
    if (!type.isInstance(actual.cause())) {
      failWithMessage("Expecting the failure's cause to be a %s, but it was %s", type.getName(),
          actual.cause());
    }
    return this;
  }

  /** {@return this, having checked that a {@link dev.stator.testing.FaultPlan} caused it} */
  public FailureAssert wasInjected() {
    isNotNull();
    if (InjectedFaultException.in(actual.cause()).isEmpty()) {
      failWithMessage("Expecting the failure to have been injected by a FaultPlan, but its cause"
          + " was %s", actual.cause());
    }
    return this;
  }
}
