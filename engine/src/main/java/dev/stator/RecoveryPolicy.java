package dev.stator;

import dev.stator.internal.text.ErrorTypes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * What a machine does when one of its callbacks faults. Policies are immutable values: every
 * {@code with…}-style method returns a copy. They compose: by cause type, by chaining a bounded
 * reset to a next policy, and by a user function from the failure to a policy.
 *
 * <h2>The three endings</h2>
 *
 * <ul>
 *   <li>{@link #reset reset}: run the reset hook, make a fresh context, start again from the
 *       initial state. The lifecycle future stays pending. Restarts are bounded: more than
 *       {@code n} within {@code t} (on the loop's clock) hands the failure to the next policy.
 *   <li>{@link #shutdown shutdown}: run the shutdown hook, then complete the lifecycle future
 *       exceptionally. A hook that finishes later ({@link #shutdownAsync}) has a deadline: past it,
 *       the shutdown is abandoned and reported. A hook runs on the loop thread, so a synchronous
 *       hook cannot be abandoned while it runs; keep it short.
 *   <li>{@link #exit exit}: complete the lifecycle future exceptionally at once and escalate to the
 *       parent machine, or, for a top-level machine, to the loop's fatal-failure handler, which by
 *       default only reports.
 * </ul>
 *
 * <p>A throwable raised by a hook is a double fault: the machine ends failed with the hook's
 * throwable added as suppressed to the original cause, the hook is not run again, and the failure
 * escalates as under exit. Restart histories are kept per place in the machine's policy: a
 * {@link Reset} written in the definition has its own, and one that a {@link #deciding} function
 * returns at a fault shares the history of its place (the last declared policy on the way to it
 * and the number of choices since), so a function may build a fresh reset at every fault and its
 * {@link Reset#atMost} still bounds the restarts.
 *
 * @param <C> the machine's context type
 */
public abstract sealed class RecoveryPolicy<C>
    permits RecoveryPolicy.Exit, RecoveryPolicy.Reset, RecoveryPolicy.Shutdown,
        RecoveryPolicy.ByCause, RecoveryPolicy.Deciding {

  RecoveryPolicy() {}

  /**
   * Returns the policy that ends the machine at once and escalates: the default, because it loses
   * nothing and decides nothing on the user's behalf (see {@code docs/recovery.md}).
   *
   * @param <C> the context type
   * @return the exit policy
   */
  @SuppressWarnings("unchecked")
  public static <C> RecoveryPolicy<C> exit() {
    return (RecoveryPolicy<C>) Exit.INSTANCE;
  }

  /**
   * Returns a reset policy, at most 3 restarts within one minute and no backoff, then exit; refine
   * it with {@link Reset#atMost}, {@link Reset#backoff}, {@link Reset#onReset} and {@link Reset#then}.
   *
   * @param freshContext makes the context of each new incarnation; called on the loop thread
   * @param <C> the context type
   * @return the policy
   */
  public static <C> Reset<C> reset(Supplier<? extends C> freshContext) {
    return new Reset<>(Objects.requireNonNull(freshContext, "freshContext"), null, 3,
        Duration.ofMinutes(1), Duration.ZERO, Duration.ZERO, 0.0, exit());
  }

  /**
   * Returns a shutdown policy whose hook runs on the loop thread and finishes when it returns.
   *
   * @param hook closes what the machine holds; its throwable is a double fault
   * @param deadline how long the hook may take; positive. A synchronous hook cannot be abandoned
   *     while it runs on the loop thread, so one that overruns is reported: the lifecycle future
   *     completes with a {@link java.util.concurrent.TimeoutException} added as suppressed
   * @param <C> the context type
   * @return the policy
   */
  public static <C> RecoveryPolicy<C> shutdown(RecoveryHook<? super C> hook, Duration deadline) {
    Objects.requireNonNull(hook, "hook");
    return new Shutdown<C>((context, failure) -> {
      hook.run(context, failure);
      return null;
    }, deadline);
  }

  /**
   * Returns a shutdown policy whose hook may finish later: it returns a stage (saying goodbye on a
   * protocol, say) that must complete within the deadline, else it is abandoned and the lifecycle
   * future completes with a {@link java.util.concurrent.TimeoutException} added as suppressed.
   *
   * @param hook starts the shutdown and returns its completion, or null when it is done already
   * @param deadline how long the shutdown may take; positive
   * @param <C> the context type
   * @return the policy
   */
  public static <C> RecoveryPolicy<C> shutdownAsync(ShutdownHook<? super C> hook, Duration deadline) {
    return new Shutdown<>(Objects.requireNonNull(hook, "hook"), deadline);
  }

  /**
   * Returns an empty policy by cause type; add cases with {@link ByCause#on}. The most specific
   * matching type wins; a cause that matches none goes to {@link ByCause#otherwise} (exit unless
   * set). Each {@code on} returns a copy, so a policy of many cases is better made with
   * {@link #byCauseBuilder()}.
   *
   * @param <C> the context type
   * @return the policy
   */
  public static <C> ByCause<C> byCause() {
    return new ByCause<>(List.of(), Map.of(), exit());
  }

  /**
   * Returns a builder of a policy by cause type, which adds each case in constant time: for
   * policies of many cases, such as those read from files. The policy it builds is the one that
   * {@link #byCause()} and the same calls of {@link ByCause#on} and {@link ByCause#otherwise}
   * give.
   *
   * <pre>{@code
   * RecoveryPolicy<Conn> policy = RecoveryPolicy.<Conn>byCauseBuilder()
   *     .on(java.net.ConnectException.class, RecoveryPolicy.reset(Conn::new))
   *     .on("java.io.IOException", RecoveryPolicy.exit())
   *     .build();
   * }</pre>
   *
   * @param <C> the context type
   * @return an empty builder
   */
  public static <C> ByCause.Builder<C> byCauseBuilder() {
    return new ByCause.Builder<>();
  }

  /**
   * Returns a policy that asks {@code decision} which policy to apply to each failure.
   *
   * @param decision called on the loop thread with the failure; must return a policy (a throw or a
   *     null is a double fault)
   * @param <C> the context type
   * @return the policy
   */
  public static <C> RecoveryPolicy<C> deciding(
      Function<? super Failure, ? extends RecoveryPolicy<C>> decision) {
    return new Deciding<>(Objects.requireNonNull(decision, "decision"));
  }

  /**
   * A hook run during recovery, on the loop thread.
   *
   * @param <C> the context type
   */
  @FunctionalInterface
  public interface RecoveryHook<C> {
    /**
     * Runs the hook.
     *
     * @param context the failed incarnation's context
     * @param failure the failure being recovered from
     * @throws Exception anything: a double fault
     */
    void run(C context, Failure failure) throws Exception;
  }

  /**
   * A shutdown hook that may finish later.
   *
   * @param <C> the context type
   */
  @FunctionalInterface
  public interface ShutdownHook<C> {
    /**
     * Starts the shutdown.
     *
     * @param context the failed machine's context
     * @param failure the failure
     * @return the shutdown's completion, or null when done already
     * @throws Exception anything: a double fault
     */
    CompletionStage<?> run(C context, Failure failure) throws Exception;
  }

  /**
   * Ends the machine at once and escalates.
   *
   * @param <C> the context type
   */
  public static final class Exit<C> extends RecoveryPolicy<C> {
    private static final Exit<Object> INSTANCE = new Exit<>();

    private Exit() {}

    /** {@return {@code exit}} */
    @Override
    public String toString() {
      return "exit";
    }
  }

  /**
   * Starts the machine again with a fresh context, a bounded number of times.
   *
   * @param <C> the context type
   */
  public static final class Reset<C> extends RecoveryPolicy<C> {
    private final Supplier<? extends C> freshContext;
    private final RecoveryHook<? super C> hook;
    private final int maxRestarts;
    private final Duration within;
    private final Duration minBackoff;
    private final Duration maxBackoff;
    private final double jitter;
    private final RecoveryPolicy<C> next;

    Reset(Supplier<? extends C> freshContext, RecoveryHook<? super C> hook, int maxRestarts,
        Duration within, Duration minBackoff, Duration maxBackoff, double jitter,
        RecoveryPolicy<C> next) {
      this.freshContext = freshContext;
      this.hook = hook;
      this.maxRestarts = maxRestarts;
      this.within = within;
      this.minBackoff = minBackoff;
      this.maxBackoff = maxBackoff;
      this.jitter = jitter;
      this.next = next;
    }

    /**
     * Returns a copy that allows at most {@code restarts} restarts within {@code window}; the
     * next fault inside the window goes to the next policy.
     *
     * @param restarts zero or more
     * @param window positive
     * @return the copy
     * @throws IllegalArgumentException if {@code restarts} is negative or the window not positive
     */
    public Reset<C> atMost(int restarts, Duration window) {
      if (restarts < 0) {
        throw new IllegalArgumentException("restarts must be zero or more, not " + restarts);
      }
      requirePositive(window, "window");
      return new Reset<>(freshContext, hook, restarts, window, minBackoff, maxBackoff, jitter, next);
    }

    /**
     * Returns a copy that waits between restarts: {@code min} before the first, doubling up to
     * {@code max}. Events that arrive while it waits are dead letters.
     *
     * @param min the first wait; positive
     * @param max the longest wait; at least {@code min}
     * @return the copy
     */
    public Reset<C> backoff(Duration min, Duration max) {
      requirePositive(min, "min");
      requirePositive(max, "max");
      if (max.compareTo(min) < 0) {
        throw new IllegalArgumentException("backoff max " + max + " is shorter than min " + min);
      }
      return new Reset<>(freshContext, hook, maxRestarts, within, min, max, jitter, next);
    }

    /**
     * Returns a copy whose waits vary at random by up to {@code fraction} of their length, so that
     * many machines failing together do not restart together. Randomness comes from the loop
     * (seeded on the test loop).
     *
     * @param fraction from 0 (none) to 1
     * @return the copy
     */
    public Reset<C> jitter(double fraction) {
      if (!(fraction >= 0.0 && fraction <= 1.0)) {
        throw new IllegalArgumentException("jitter must be within [0, 1], not " + fraction);
      }
      return new Reset<>(freshContext, hook, maxRestarts, within, minBackoff, maxBackoff, fraction,
          next);
    }

    /**
     * Returns a copy that runs {@code resetHook} with the failed incarnation's context before the
     * fresh one is made.
     *
     * @param resetHook the hook
     * @return the copy
     */
    public Reset<C> onReset(RecoveryHook<? super C> resetHook) {
      return new Reset<>(freshContext, Objects.requireNonNull(resetHook, "resetHook"), maxRestarts,
          within, minBackoff, maxBackoff, jitter, next);
    }

    /**
     * Returns a copy that hands a fault past the restart bound to {@code nextPolicy}.
     *
     * @param nextPolicy the policy for faults past the bound
     * @return the copy
     */
    public Reset<C> then(RecoveryPolicy<C> nextPolicy) {
      return new Reset<>(freshContext, hook, maxRestarts, within, minBackoff, maxBackoff, jitter,
          Objects.requireNonNull(nextPolicy, "nextPolicy"));
    }

    /** {@return the supplier of fresh contexts} */
    public Supplier<? extends C> freshContext() {
      return freshContext;
    }

    /** {@return the reset hook, or null} */
    public RecoveryHook<? super C> hook() {
      return hook;
    }

    /** {@return the most restarts allowed within {@link #within()}} */
    public int maxRestarts() {
      return maxRestarts;
    }

    /** {@return the restart-intensity window} */
    public Duration within() {
      return within;
    }

    /** {@return the first wait before a restart (zero for none)} */
    public Duration minBackoff() {
      return minBackoff;
    }

    /** {@return the longest wait before a restart} */
    public Duration maxBackoff() {
      return maxBackoff;
    }

    /** {@return the jitter fraction} */
    public double jitterFraction() {
      return jitter;
    }

    /** {@return the policy for faults past the bound} */
    public RecoveryPolicy<C> next() {
      return next;
    }

    /**
     * {@return the policy in the DSL's words, for messages: {@code reset(at most 3 in PT1M,
     * backoff PT1S..PT8S, jitter 0.5) then exit}, leaving out no backoff and no jitter}
     */
    @Override
    public String toString() {
      return "reset(at most " + maxRestarts + " in " + within
          + (minBackoff.isZero() ? "" : ", backoff " + minBackoff + ".." + maxBackoff)
          + (jitter == 0 ? "" : ", jitter " + jitter) + ") then " + next;
    }
  }

  /**
   * Runs a shutdown hook under a deadline, then ends the machine as failed.
   *
   * @param <C> the context type
   */
  public static final class Shutdown<C> extends RecoveryPolicy<C> {
    private final ShutdownHook<? super C> hook;
    private final Duration deadline;

    Shutdown(ShutdownHook<? super C> hook, Duration deadline) {
      this.hook = hook;
      this.deadline = requirePositive(deadline, "deadline");
    }

    /** {@return the hook} */
    public ShutdownHook<? super C> hook() {
      return hook;
    }

    /** {@return how long the hook may take} */
    public Duration deadline() {
      return deadline;
    }

    /** {@return the policy for messages: {@code shutdown(deadline PT5S)}} */
    @Override
    public String toString() {
      return "shutdown(deadline " + deadline + ")";
    }
  }

  /**
   * Chooses a policy by the type of the fault's cause, most specific first.
   *
   * @param <C> the context type
   */
  public static final class ByCause<C> extends RecoveryPolicy<C> {
    private final List<Case<C>> cases;
    /** Each case's position in {@link #cases} by type name: a fault looks its types up here. */
    private final Map<String, Integer> positions;
    private final RecoveryPolicy<C> otherwise;

    ByCause(List<Case<C>> cases, Map<String, Integer> positions, RecoveryPolicy<C> otherwise) {
      this.cases = cases;
      this.positions = positions;
      this.otherwise = otherwise;
    }

    /**
     * Returns a copy that applies {@code policy} to causes of {@code type} (and its subtypes,
     * unless a more specific case matches).
     *
     * @param type the cause type
     * @param policy the policy for it
     * @return the copy
     * @throws IllegalArgumentException if {@code type} already has a case
     */
    public ByCause<C> on(Class<? extends Throwable> type, RecoveryPolicy<C> policy) {
      return on(Objects.requireNonNull(type, "type").getName(), policy);
    }

    /**
     * Returns a copy that applies {@code policy} to causes whose class, a superclass or an
     * implemented interface has the binary name {@code typeName}, unless a more specific case
     * matches. This is how definitions read from files name types: no class is loaded.
     *
     * @param typeName the cause type's binary name, such as {@code java.io.IOException}
     * @param policy the policy for it
     * @return the copy
     * @throws IllegalArgumentException if the name is not a class name or already has a case
     */
    public ByCause<C> on(String typeName, RecoveryPolicy<C> policy) {
      return toBuilder().on(typeName, policy).build();
    }

    /**
     * Returns a builder holding this policy's cases and fallback, to add more.
     *
     * @return the builder
     */
    public Builder<C> toBuilder() {
      Builder<C> builder = new Builder<>();
      builder.cases.addAll(cases);
      builder.positions.putAll(positions);
      builder.otherwise = otherwise;
      return builder;
    }

    /**
     * Returns a copy that applies {@code policy} to causes that match no case.
     *
     * @param policy the fallback
     * @return the copy
     */
    public ByCause<C> otherwise(RecoveryPolicy<C> policy) {
      return new ByCause<>(cases, positions, Objects.requireNonNull(policy, "policy"));
    }

    /**
     * Returns the policy for {@code cause}: the case whose type is the closest supertype of the
     * cause's class, else the fallback.
     *
     * @param cause the fault's cause
     * @return the policy
     */
    public RecoveryPolicy<C> select(Throwable cause) {
      // the cause's few types are looked up among the cases, not each case among its types
      int best = cases.isEmpty() ? -1 : ErrorTypes.nearest(cause.getClass(), positions);
      return best < 0 ? otherwise : cases.get(best).policy();
    }

    /** {@return the cases, in the order they were added: type name to policy} */
    public Map<String, RecoveryPolicy<C>> cases() {
      Map<String, RecoveryPolicy<C>> view = new LinkedHashMap<>();
      for (Case<C> c : cases) {
        view.put(c.typeName(), c.policy());
      }
      return Collections.unmodifiableMap(view);
    }

    /** {@return the policy for causes that match no case} */
    public RecoveryPolicy<C> fallback() {
      return otherwise;
    }

    /**
     * {@return the policy for messages: {@code byCause(IOException -> exit; otherwise exit)}}
     */
    @Override
    public String toString() {
      StringBuilder out = new StringBuilder("byCause(");
      for (Case<C> c : cases) {
        out.append(ErrorTypes.simpleName(c.typeName())).append(" -> ").append(c.policy()).append("; ");
      }
      return out.append("otherwise ").append(otherwise).append(')').toString();
    }

    private record Case<C>(String typeName, RecoveryPolicy<C> policy) {}

    /**
     * Gathers the cases of a {@link ByCause} policy; each {@link #on} takes constant time. Made by
     * {@link RecoveryPolicy#byCauseBuilder()} or {@link ByCause#toBuilder()}.
     *
     * <p><b>Thread-safety:</b> not thread-safe; the policies it builds are immutable.
     *
     * @param <C> the context type
     */
    public static final class Builder<C> {
      private final List<Case<C>> cases = new ArrayList<>();
      private final Map<String, Integer> positions = new HashMap<>();
      private RecoveryPolicy<C> otherwise = exit();

      Builder() {}

      /**
       * Applies {@code policy} to causes of {@code type} (and its subtypes, unless a more
       * specific case matches).
       *
       * @param type the cause type
       * @param policy the policy for it
       * @return this builder
       * @throws IllegalArgumentException if {@code type} already has a case; the builder is
       *     unchanged
       */
      public Builder<C> on(Class<? extends Throwable> type, RecoveryPolicy<C> policy) {
        return on(Objects.requireNonNull(type, "type").getName(), policy);
      }

      /**
       * Applies {@code policy} to causes whose class, a superclass or an implemented interface
       * has the binary name {@code typeName}, unless a more specific case matches.
       *
       * @param typeName the cause type's binary name, such as {@code java.io.IOException}
       * @param policy the policy for it
       * @return this builder
       * @throws IllegalArgumentException if the name is not a class name or already has a case;
       *     the builder is unchanged
       */
      public Builder<C> on(String typeName, RecoveryPolicy<C> policy) {
        ErrorTypes.checkName(typeName);
        Objects.requireNonNull(policy, "policy");
        if (positions.putIfAbsent(typeName, cases.size()) != null) {
          throw new IllegalArgumentException(typeName + " already has a recovery case");
        }
        cases.add(new Case<>(typeName, policy));
        return this;
      }

      /**
       * Applies {@code policy} to causes that match no case (exit unless set).
       *
       * @param policy the fallback
       * @return this builder
       */
      public Builder<C> otherwise(RecoveryPolicy<C> policy) {
        this.otherwise = Objects.requireNonNull(policy, "policy");
        return this;
      }

      /**
       * Returns the policy of the cases added so far; the builder may go on.
       *
       * @return the policy
       */
      public ByCause<C> build() {
        // a plain copy: the positions are never shown, and a hashed copy is cheaper to make
        return new ByCause<>(List.copyOf(cases), new HashMap<>(positions), otherwise);
      }
    }
  }

  /**
   * Asks a user function which policy applies.
   *
   * @param <C> the context type
   */
  public static final class Deciding<C> extends RecoveryPolicy<C> {
    private final Function<? super Failure, ? extends RecoveryPolicy<C>> decision;

    Deciding(Function<? super Failure, ? extends RecoveryPolicy<C>> decision) {
      this.decision = decision;
    }

    /**
     * Applies the user function.
     *
     * @param failure the failure
     * @return the policy it chose
     * @throws NullPointerException if the function returned null
     */
    public RecoveryPolicy<C> decide(Failure failure) {
      return Objects.requireNonNull(decision.apply(failure),
          "the recovery decision function returned null for " + failure.summary());
    }

    @Override
    public String toString() {
      return "deciding(" + decision + ")";
    }
  }

  private static Duration requirePositive(Duration value, String name) {
    Objects.requireNonNull(value, name);
    if (value.isNegative() || value.isZero()) {
      throw new IllegalArgumentException(name + " must be positive, not " + value);
    }
    return value;
  }
}
