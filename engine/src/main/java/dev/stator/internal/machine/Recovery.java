package dev.stator.internal.machine;

import dev.stator.Failure;
import dev.stator.RecoveryPolicy;
import dev.stator.durable.MachineImage;
import dev.stator.internal.definition.CompiledDefinition;
import dev.stator.internal.definition.DefinitionCompiler;
import dev.stator.internal.definition.StateNode;
import dev.stator.internal.observe.Jfr;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeoutException;

/**
 * What one machine's {@link RecoveryPolicy} does after a fault: it walks the policy to a reset,
 * a shutdown or an exit, and owns what that leaves behind — the restart history that bounds the
 * restart intensity, the failure awaiting a restart, a shutdown hook in progress.
 *
 * <p>Loop-confined. Made at the machine's first fault (a machine that never fails has none), and
 * kept for the machine's life, since the restart history must outlive each incarnation. It reaches
 * its machine only through {@link Target}.
 */
final class Recovery {

  /** What recovery needs of its machine. */
  interface Target {
    String id();

    Object context();

    /** Starts a new incarnation with this context: what the old one scheduled is stale now. */
    void renew(Object freshContext);

    /** Tells the listeners of the reset (or warns, with none). */
    void notifyReset(Failure failure);

    /** Schedules a machine timer of the current incarnation, owned by no state. */
    MachineTimer schedule(MachineTimer.Kind kind, StateNode owner, Object event, long delayNanos);

    /** Whether the machine is still FAILED (a stop may have ended it in the meantime). */
    boolean failed();

    /** Whether the machine has ended for good. */
    boolean ended();

    /** Enters the initial configuration of the incarnation {@link #renew} began. */
    void begin();

    /** Ends the machine FAILED; {@code escalate} hands the failure to the loop if no parent does. */
    void finishFailed(Failure failure, boolean escalate);

    /** Hands the loop's fatal path an error of the JVM and returns it, to be thrown. */
    VirtualMachineError fatal(VirtualMachineError error);

    /** Queues the end of an asynchronous shutdown hook, from any thread. */
    void shutdownHookEnded(Throwable error);
  }

  private static final int MAX_POLICY_HOPS = 32;

  /**
   * The place of a policy value that a deciding function built at a fault: the last declared
   * policy on the way to it and the number of choices since. A function that returns a fresh
   * {@code reset(…).atMost(3, …)} at every fault means one bound, and its restart history must
   * not grow with every value it makes.
   */
  private record PolicyPlace(RecoveryPolicy<?> declared, int choicesSince) {}

  private final LoopServices core;
  private final CompiledDefinition<?> definition;
  private final Target machine;
  /** Restart times per place in the policy: a declared reset, or a {@link PolicyPlace}. */
  private Map<Object, ArrayDeque<Long>> restartHistory;
  private int restartCount;
  /** The failure a reset or shutdown is under way for; null once it restarted or ended. */
  private Failure pendingFailure;
  private boolean shuttingDown;
  private boolean restarting;
  private boolean restartAgain;

  Recovery(LoopServices core, CompiledDefinition<?> definition, Target machine) {
    this.core = core;
    this.definition = definition;
    this.machine = machine;
  }

  /** How many times the machine was reset, for failure reports. */
  int restartCount() {
    return restartCount;
  }

  /** The failure a reset waits to restart from (its backoff), or null. */
  Failure pendingFailure() {
    return pendingFailure;
  }

  /** The restarts inside their windows, for the machine's image, oldest first per policy. */
  List<MachineImage.RestartMark> restartMarks() {
    if (restartHistory == null) {
      return List.of();
    }
    List<MachineImage.RestartMark> marks = new ArrayList<>();
    restartHistory.forEach((place, times) -> {
      RecoveryPolicy<?> declared = place instanceof PolicyPlace p ? p.declared()
          : (RecoveryPolicy<?>) place;
      int choices = place instanceof PolicyPlace p ? p.choicesSince() : 0;
      int policy = definition.policyIndex(declared);
      for (long time : times) {
        marks.add(new MachineImage.RestartMark(policy, choices, core.instantOf(time)));
      }
    });
    return marks;
  }

  /**
   * Takes the restart count and history from a machine's image; each restart's time is given on
   * this loop's clock by {@code clockOf}.
   */
  void restore(int count, List<MachineImage.RestartMark> marks,
      java.util.function.ToLongFunction<java.time.Instant> clockOf) {
    restartCount = count;
    for (MachineImage.RestartMark mark : marks) {
      RecoveryPolicy<?> declared = definition.policyAt(mark.policy());
      Object place = mark.choices() == 0 ? declared : new PolicyPlace(declared, mark.choices());
      if (restartHistory == null) {
        restartHistory = new HashMap<>();
      }
      restartHistory.computeIfAbsent(place, p -> new ArrayDeque<>())
          .addLast(clockOf.applyAsLong(mark.at()));
    }
  }

  /** A machine restored while its reset waited for its backoff: the restart is still due. */
  void awaitRestart(Failure failure) {
    pendingFailure = failure;
  }

  /** Whether a shutdown hook is running. */
  boolean shuttingDown() {
    return shuttingDown;
  }

  /** The machine has ended: nothing is pending any more. */
  void ended() {
    shuttingDown = false;
    pendingFailure = null;
  }

  /**
   * A stop (or the loop's close) reached the FAILED machine: it ends now unless a shutdown hook
   * is still running, which only the loop's close cuts short.
   */
  void stop(boolean loopClosing) {
    if (pendingFailure != null && (!shuttingDown || loopClosing)) {
      if (loopClosing && shuttingDown) {
        suppress(pendingFailure.cause(), new IllegalStateException("loop '" + core.name()
            + "' closed before the shutdown hook of '" + machine.id() + "' finished"));
      }
      machine.finishFailed(pendingFailure, false);
    }
  }

  /** Walks {@code policy} for {@code failure} and does what it settles on. */
  void recover(Failure failure, RecoveryPolicy<Object> policy) {
    RecoveryPolicy<Object> current = policy;
    RecoveryPolicy<?> declared = policy;
    int choicesSince = 0;
    try {
      for (int hops = 0; ; hops++) {
        if (definition.declares(current)) {
          declared = current;
          choicesSince = 0;
        } else {
          choicesSince++;
        }
        if (hops == MAX_POLICY_HOPS) {
          throw new IllegalStateException("the recovery policy of machine '" + machine.id()
              + "' did not settle on reset, shutdown or exit within " + MAX_POLICY_HOPS
              + " choices (a deciding function that returns itself?)");
        }
        if (current instanceof RecoveryPolicy.ByCause<Object> byCause) {
          current = byCause.select(failure.cause());
        } else if (current instanceof RecoveryPolicy.Deciding<Object> deciding) {
          current = deciding.decide(failure);
        } else if (current instanceof RecoveryPolicy.Reset<Object> reset) {
          Object place = choicesSince == 0 ? reset : new PolicyPlace(declared, choicesSince);
          if (allowRestart(reset, place)) {
            Jfr.recovery(definition.id(), machine.id(), "RESET", restartCount + 1,
                failure.cause());
            if (core.observation() != null) {
              core.observation().restarted(definition.id(), failure);
            }
            reset(reset, place, failure);
            return;
          }
          current = reset.next();
        } else if (current instanceof RecoveryPolicy.Shutdown<Object> shutdown) {
          Jfr.recovery(definition.id(), machine.id(), "SHUTDOWN", restartCount, failure.cause());
          shutdown(shutdown, failure);
          return;
        } else {
          Jfr.recovery(definition.id(), machine.id(), "EXIT", restartCount, failure.cause());
          machine.finishFailed(failure, true);
          return;
        }
      }
    } catch (VirtualMachineError fatal) {
      if (!(fatal instanceof StackOverflowError)) {
        throw machine.fatal(fatal);
      }
      suppress(failure.cause(), fatal);
      Jfr.recovery(definition.id(), machine.id(), "EXIT", restartCount, failure.cause());
      machine.finishFailed(failure, true);
    } catch (Throwable hookFailure) {
      // a policy or hook that threw: the machine fails now, whatever was decided before
      suppress(failure.cause(), hookFailure);
      Jfr.recovery(definition.id(), machine.id(), "EXIT", restartCount, failure.cause());
      machine.finishFailed(failure, true);
    }
  }

  /**
   * Applies the restart intensity: allows a restart unless {@code maxRestarts} restarts already
   * happened within the window ending now, and records it. Keeps only the times inside the window.
   */
  private boolean allowRestart(RecoveryPolicy.Reset<?> reset, Object place) {
    if (reset.maxRestarts() == 0) {
      return false;
    }
    ArrayDeque<Long> times = recentRestarts(reset, place);
    if (times.size() >= reset.maxRestarts()) {
      return false;
    }
    times.addLast(core.now());
    return true;
  }

  private ArrayDeque<Long> recentRestarts(RecoveryPolicy.Reset<?> reset, Object place) {
    if (restartHistory == null) {
      // declared resets by identity (policies do not define equality), places by value
      restartHistory = new HashMap<>();
    }
    ArrayDeque<Long> times = restartHistory.computeIfAbsent(place, r -> new ArrayDeque<>());
    long now = core.now();
    long window = DefinitionCompiler.saturatedNanos(reset.within());
    while (!times.isEmpty() && now - times.peekFirst() >= window) {
      times.removeFirst();
    }
    return times;
  }

  @SuppressWarnings("unchecked")
  private void reset(RecoveryPolicy.Reset<Object> reset, Object place, Failure failure)
      throws Exception {
    if (reset.hook() != null) {
      ((RecoveryPolicy.RecoveryHook<Object>) reset.hook()).run(machine.context(), failure);
    }
    machine.renew(reset.freshContext().get());
    restartCount++;
    pendingFailure = failure;
    machine.notifyReset(failure);
    long delay = backoffNanos(reset, place);
    if (delay == 0) {
      restartNow();
    } else {
      machine.schedule(MachineTimer.Kind.RESTART, null, null, delay);
    }
  }

  private long backoffNanos(RecoveryPolicy.Reset<?> reset, Object place) {
    long min = DefinitionCompiler.saturatedNanos(reset.minBackoff());
    if (min == 0) {
      return 0;
    }
    long max = DefinitionCompiler.saturatedNanos(reset.maxBackoff());
    int exponent = Math.min(recentRestarts(reset, place).size() - 1, 62);
    long base = min;
    for (int i = 0; i < exponent && base < max; i++) {
      base = base > max / 2 ? max : base * 2;
    }
    base = Math.min(base, max);
    double jitter = reset.jitterFraction();
    if (jitter > 0) {
      double factor = 1.0 + jitter * (core.nextRandom() * 2 - 1);
      base = Math.max(1, Math.min(max, (long) (base * factor)));
    }
    return base;
  }

  /**
   * Restarts at once, so that events queued behind the fault reach the new incarnation. A fault in
   * the new incarnation's start that resets again does not recurse: it asks this loop for another
   * round, so the stack stays flat whatever the restart bound. Also what a RESTART timer does.
   */
  void restartNow() {
    if (restarting) {
      restartAgain = true;
      return;
    }
    restarting = true;
    try {
      do {
        restartAgain = false;
        restart();
      } while (restartAgain);
    } finally {
      restarting = false;
    }
  }

  private void restart() {
    if (!machine.failed() || pendingFailure == null || shuttingDown) {
      return;
    }
    pendingFailure = null;
    machine.begin();
  }

  private void shutdown(RecoveryPolicy.Shutdown<Object> shutdown, Failure failure)
      throws Exception {
    @SuppressWarnings("unchecked")
    RecoveryPolicy.ShutdownHook<Object> hook =
        (RecoveryPolicy.ShutdownHook<Object>) shutdown.hook();
    pendingFailure = failure;
    shuttingDown = true;
    long started = core.now();
    CompletionStage<?> stage = hook.run(machine.context(), failure);
    if (stage == null) {
      long took = core.now() - started;
      boolean overran = took > DefinitionCompiler.saturatedNanos(shutdown.deadline());
      if (overran) {
        suppress(failure.cause(), new TimeoutException("the shutdown hook of machine '"
            + machine.id() + "' took " + Duration.ofNanos(took) + ", over its deadline of "
            + shutdown.deadline()));
      }
      machine.finishFailed(failure, overran);
      return;
    }
    CompletableFuture<?> future = stage.toCompletableFuture();
    if (future.isDone()) {
      shutdownHookDone(future.isCompletedExceptionally() ? exceptionOf(future) : null);
      return;
    }
    machine.schedule(MachineTimer.Kind.SHUTDOWN_DEADLINE, null, null,
        DefinitionCompiler.saturatedNanos(shutdown.deadline()));
    future.whenComplete((value, error) -> machine.shutdownHookEnded(error));
  }

  private static Throwable exceptionOf(CompletableFuture<?> future) {
    try {
      future.join();
      return null;
    } catch (Throwable t) {
      return t.getCause() != null ? t.getCause() : t;
    }
  }

  /** The shutdown hook's stage completed ({@code error} null) or failed. */
  void shutdownHookDone(Throwable error) {
    if (!shuttingDown || machine.ended()) {
      return;
    }
    if (error != null) {
      suppress(pendingFailure.cause(), error);
    }
    // a shutdown that failed or overran escalates, as any failed recovery does
    machine.finishFailed(pendingFailure, error != null);
  }

  /** The shutdown hook's deadline passed: the machine ends without waiting any longer. */
  void shutdownDeadlinePassed() {
    if (shuttingDown) {
      Failure failure = pendingFailure;
      suppress(failure.cause(), new TimeoutException("the shutdown hook of machine '"
          + machine.id() + "' did not finish within its deadline; abandoned"));
      machine.finishFailed(failure, true);
    }
  }

  /** Adds {@code extra} to {@code cause}'s suppressed throwables, if it is another one. */
  static void suppress(Throwable cause, Throwable extra) {
    if (cause != extra && extra != null) {
      try {
        cause.addSuppressed(extra);
      } catch (Throwable ignored) {
        // a throwable that refuses suppression keeps its own
      }
    }
  }
}
