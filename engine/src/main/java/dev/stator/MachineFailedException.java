package dev.stator;

import java.util.Objects;

/**
 * Thrown to whoever awaits the lifecycle future of a machine that failed for good; carries the
 * {@link Failure} report, and the original throwable as its cause. Unchecked.
 */
public final class MachineFailedException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final transient Failure failure;

  /**
   * Creates the exception for a failure.
   *
   * @param failure the report
   */
  public MachineFailedException(Failure failure) {
    super(Objects.requireNonNull(failure, "failure").summary(), failure.cause());
    this.failure = failure;
  }

  /** Returns the failure report. */
  public Failure failure() {
    return failure;
  }
}
