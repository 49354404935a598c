package dev.stator.internal.machine;

import dev.stator.Failure;
import dev.stator.LoopOptions;
import dev.stator.internal.timer.TimerWheel;
import java.io.IOException;
import java.nio.channels.Selector;
import java.time.Instant;
import java.util.concurrent.Executor;
import java.util.function.Consumer;

/**
 * What a machine needs from the loop it runs on, and all it may use of it: time, the loop's queue,
 * the bracket around a step, the timer wheel, the registry of live machines, the isolated call of
 * listeners and handlers, reporting, the fatal path, and the loop's selector and blocking pool.
 *
 * <p>The loop implements it ({@code dev.stator.internal.loop.LoopCore}, the only implementation:
 * the JIT then calls these methods directly, so a step pays no more than it did for the fields
 * they replace) and hands it to every machine it starts, so the machine side depends on this
 * interface and never on the loop's package. Loop-confined unless a method says otherwise.
 */
public interface LoopServices {

  // ---------------------------------------------------------------- identity and time

  /** Returns the loop's name. Any thread. */
  String name();

  /** Returns the loop as users see it. Any thread. */
  dev.stator.EventLoop facade();

  /** Returns the loop's handlers and bounds. Any thread. */
  LoopOptions options();

  /**
   * Returns the loop's observer ({@code LoopOptions.withObserver}), or null when it has none.
   * Loop thread, but for {@code deadLetter}.
   */
  dev.stator.internal.observe.LoopObservation observation();

  /** Returns whether the calling thread is the loop thread. Any thread. */
  boolean inLoop();

  /** Returns whether close has begun: the loop takes no new machine. Any thread. */
  boolean isClosed();

  /** Returns whether the loop has ended. Any thread. */
  boolean isTerminated();

  /** Returns the loop's clock reading now. Any thread. */
  long now();

  /** Returns the clock reading at the start of the current turn (cheap time for traces). */
  long turnTime();

  /** Returns the wall-clock instant of a clock reading. */
  Instant instantOf(long nanoTime);

  /** Returns a random number in [0, 1) from the loop's seeded randomness (backoff jitter). */
  double nextRandom();

  /** Returns the next serial number for generated machine ids. Any thread. */
  int nextSerial();

  // ---------------------------------------------------------------- queue and registry

  /**
   * Queues an event or control for a machine. Any thread.
   *
   * @return false if the loop no longer takes work (the caller reports the dead letter)
   */
  boolean submit(MachineRuntime<?> target, Object event);

  /**
   * Queues an event, or delivers it at once from a task when nothing is queued. Loop thread only.
   *
   * @return false if the loop no longer takes work
   */
  boolean submitOnLoop(MachineRuntime<?> target, Object event);

  /** Returns how many events wait in the loop's queue for {@code machine}. */
  int queuedFor(MachineRuntime<?> machine);

  /** Adds a machine that has started to the loop's live machines. */
  void register(MachineRuntime<?> machine);

  /** Removes a machine that has ended from the loop's live machines; once is enough. */
  void unregister(MachineRuntime<?> machine);

  // ---------------------------------------------------------------- steps and timers

  /**
   * Begins a step of {@code machine}.
   *
   * @return whether it is the outermost step (steps of a loop never nest, but a stop may run
   *     inside a step); only an outermost step is ended with {@link #endStep}
   */
  boolean beginStep(MachineRuntime<?> machine);

  /**
   * Ends the outermost step.
   *
   * @param machineEnded whether the machine that stepped has ended (the watchdog then forgets it)
   */
  void endStep(boolean machineEnded);

  /**
   * While a machine takes the step of a state or action timer: that timer's chain of zero-delay
   * timers; else 0. Steps never nest, so one value serves every machine of the loop.
   */
  int firingChain();

  /** Sets the chain of the timer whose step begins, or 0 when it ends. */
  void firingChain(int chain);

  /** Returns the loop's timer wheel. */
  TimerWheel timers();

  // ---------------------------------------------------------------- isolation and reporting

  /**
   * Runs code that is not a machine's step on behalf of the loop (listeners, handlers): the one
   * place where such code is called. What it throws is reported and goes no further, but a
   * {@link VirtualMachineError} other than a stack overflow goes on to the loop's fatal path; an
   * interrupt flag it leaves set is cleared and blamed on it. {@code who} names the code for
   * reports, followed by a description of {@code argument}.
   */
  <T> void callOut(Consumer<? super T> code, T argument, String who);

  /** Clears the interrupt flag that code just run on the loop thread left set, and blames it. */
  void clearInterrupt(String who, Object subject);

  /** Logs a warning; never throws. */
  void warn(String message);

  /** Hands an event no machine will take to the dead-letter handler. */
  void deadLetter(String machineId, Object event, String reason);

  /**
   * Tells the loop of a machine's final failure, after its lifecycle future completed: the
   * unobserved-failure handler unless {@code observed} (a dependent of the future, a listener or a
   * parent will see it), the loop's record of final failures (the test loop's), then the
   * fatal-failure handler if {@code escalate} (a top-level machine whose policy escalates).
   */
  void failedForGood(Failure failure, boolean observed, boolean escalate);

  /** Returns whether the loop's fatal path has begun: from then on no user code runs. */
  boolean fatalBegun();

  /**
   * Begins the loop's fatal path, for a {@link VirtualMachineError} other than a stack overflow
   * (runs once): every registered machine fails without callbacks and the loop ends.
   *
   * @param culprit the machine whose callback raised it, or null
   */
  void fatal(MachineRuntime<?> culprit, Throwable error);

  // ---------------------------------------------------------------- I/O and blocking calls

  /** Returns the loop's selector, opened on first use. */
  Selector selector() throws IOException;

  /** Makes the selector drop cancelled keys now, so that a closed channel's port is released. */
  void flushCancelledKeys();

  /** Returns the executor for blocking calls: the user's, or a bounded pool made on first use. */
  Executor blockingExecutor();
}
