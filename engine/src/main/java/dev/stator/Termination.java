package dev.stator;

import java.util.Objects;

/**
 * How a machine ended normally: the value of its lifecycle future. The record is immutable; the
 * context it carries is the machine's own object, which the loop no longer touches once the
 * future has completed, so the thread that receives it may use it.
 *
 * @param machineId the machine's id
 * @param status {@link Status#COMPLETED} or {@link Status#STOPPED}
 * @param finalPath the state configuration at the end ({@code ""} if stopped before it started)
 * @param context the machine's context at the end
 * @param output the machine's output ({@link dev.stator.model.MachineSpec#output()}) when it
 *     completed and its definition has one, else {@code null}
 * @param <C> the context type
 */
public record Termination<C>(String machineId, Status status, String finalPath, C context,
    Object output) {

  /**
   * Checks the status.
   *
   * @param machineId the machine's id
   * @param status {@link Status#COMPLETED} or {@link Status#STOPPED}
   * @param finalPath the state configuration at the end ({@code ""} if stopped before it started)
   * @param context the machine's context at the end
   * @param output the machine's output, or {@code null}
   */
  public Termination {
    Objects.requireNonNull(machineId, "machineId");
    if (status != Status.COMPLETED && status != Status.STOPPED) {
      throw new IllegalArgumentException("a termination is COMPLETED or STOPPED, not " + status);
    }
    Objects.requireNonNull(finalPath, "finalPath");
  }

  /**
   * A termination without output.
   *
   * @param machineId the machine's id
   * @param status {@link Status#COMPLETED} or {@link Status#STOPPED}
   * @param finalPath the state configuration at the end ({@code ""} if stopped before it started)
   * @param context the machine's context at the end
   */
  public Termination(String machineId, Status status, String finalPath, C context) {
    this(machineId, status, finalPath, context, null);
  }

  @Override
  public String toString() {
    return "machine '" + machineId + "' " + status + (finalPath.isEmpty() ? "" : " in " + finalPath);
  }
}
