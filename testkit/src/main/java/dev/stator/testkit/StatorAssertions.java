package dev.stator.testkit;

import dev.stator.Failure;
import dev.stator.Machine;

/**
 * Entry points of the domain assertions, in AssertJ's style:
 *
 * <pre>{@code
 * import static dev.stator.testkit.StatorAssertions.assertThat;
 *
 * assertThat(machine).isRunning().isIn("active/playing").hasTag("busy");
 * assertThat(failure).happenedIn(Phase.ENTRY).ofState("connecting");
 * }</pre>
 *
 * <p>Use it beside AssertJ's own {@code Assertions.assertThat}: the overloads do not clash.
 *
 * <p><b>Thread-safety:</b> stateless; each assertion object reads what it is given when asked.
 */
public final class StatorAssertions {

  private StatorAssertions() {}

  /**
   * Starts assertions on a machine's current snapshot, read again by each assertion.
   *
   * @param machine the machine
   * @return its assertions
   */
  public static MachineAssert assertThat(Machine<?> machine) {
    return new MachineAssert(machine);
  }

  /**
   * Starts assertions on a failure report.
   *
   * @param failure the report
   * @return its assertions
   */
  public static FailureAssert assertThat(Failure failure) {
    return new FailureAssert(failure);
  }
}
