package dev.stator.testing;

import java.util.Objects;
import java.util.Optional;

/**
 * A fault a {@link FaultPlan} made on purpose: thrown by the callback the plan chose, when the plan
 * names no throwable of its own. When the plan names one (an {@code IOException}, say, to take a
 * declared expected-error transition), that throwable is thrown instead and carries an instance of
 * this class as a suppressed throwable, so that {@link #in(Throwable)} finds the injection and the
 * failure report's summary ends with {@code (injected by a FaultPlan)}.
 *
 * <p>The message names the place and the run: {@code fault injected by a FaultPlan: entry of state
 * connecting, run 2}.
 *
 * <p><b>Thread-safety:</b> immutable apart from what {@link Throwable} itself allows (suppressed
 * throwables and the stack trace); safe to hand between threads.
 */
public final class InjectedFaultException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** Where the plan injected it, such as {@code entry of state connecting}. */
  private final String site;
  /** Which run of the callback it failed, counted from 1. */
  private final int run;

  InjectedFaultException(String site, int run) {
    super("fault injected by a FaultPlan: " + site + ", run " + run);
    this.site = site;
    this.run = run;
  }

  /** {@return where the plan injected it, such as {@code entry of state connecting}} */
  public String site() {
    return site;
  }

  /** {@return which run of the callback it failed, counted from 1} */
  public int run() {
    return run;
  }

  /**
   * Finds the injection behind a throwable: the throwable itself, or the marker a plan attached to
   * a throwable of the test's own.
   *
   * @param thrown a throwable, such as a failure's cause
   * @return the injection, or empty if no fault plan threw {@code thrown}
   */
  public static Optional<InjectedFaultException> in(Throwable thrown) {
    Objects.requireNonNull(thrown, "thrown");
    if (thrown instanceof InjectedFaultException injected) {
      return Optional.of(injected);
    }
    for (Throwable suppressed : thrown.getSuppressed()) {
      if (suppressed instanceof InjectedFaultException injected) {
        return Optional.of(injected);
      }
    }
    return Optional.empty();
  }
}
