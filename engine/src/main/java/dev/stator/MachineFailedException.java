package dev.stator;

import java.util.Objects;

/**
 * Thrown to whoever awaits the lifecycle future of a machine that failed for good; carries the
 * {@link Failure} report, and the original throwable as its cause. Unchecked. The report is
 * immutable, so the exception may be handed between threads.
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
    // No stack trace of its own: it would show only the engine's internals; the cause carries the
    // user code's stack, and the message says where the machine was.
    super(Objects.requireNonNull(failure, "failure").summary(), failure.cause(), true, false);
    this.failure = failure;
  }

  /** {@return the failure report} */
  public Failure failure() {
    return failure;
  }
}
