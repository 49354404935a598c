package dev.stator;

import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * How a loop reports and bounds what its machines do. Immutable: each {@code with…} method returns
 * a copy. Used by {@link EventLoop#start(String, LoopOptions)} and by the test loop.
 *
 * <p>Handlers run on the loop thread, except the stall handler (on the watchdog's thread) and the
 * dead-letter handler for a send refused on another thread (on the sender's thread). A handler that
 * throws is caught and logged; it affects neither the loop nor a machine, except that a
 * {@link VirtualMachineError} other than {@link StackOverflowError} thrown on the loop thread
 * begins the loop's fatal path (on a sender's thread, it propagates to the sender). An interrupt
 * flag a handler leaves set on the loop thread is cleared and logged, never blamed on a machine.
 */
public final class LoopOptions {

  private static final System.Logger LOG = System.getLogger("dev.stator");

  /** The default options: handlers that log through {@code System.Logger "dev.stator"}. */
  public static final LoopOptions DEFAULTS = new LoopOptions(
      failure -> LOG.log(System.Logger.Level.ERROR, "unobserved failure: " + failure.report(),
          failure.cause()),
      letter -> LOG.log(System.Logger.Level.WARNING, letter.toString()),
      failure -> { },
      1000,
      8,
      1024,
      null,
      stall -> LOG.log(System.Logger.Level.WARNING, stall.report()),
      java.time.Duration.ofSeconds(2),
      java.time.Duration.ofMillis(100), null, null);

  private final Consumer<? super Failure> unobservedFailureHandler;
  private final Consumer<? super DeadLetter> deadLetterHandler;
  private final Consumer<? super Failure> fatalFailureHandler;
  private final int maxMicrosteps;
  private final int traceLength;
  private final int batchSize;
  private final java.util.concurrent.Executor blockingExecutor;
  private final Consumer<? super Stall> stallHandler;
  private final java.time.Duration stallThreshold;
  private final java.time.Duration watchdogInterval;
  private final Function<? super EventLoop, ? extends LoopObserver> observers;
  private final java.util.concurrent.ThreadFactory threadFactory;

  private LoopOptions(Consumer<? super Failure> unobservedFailureHandler,
      Consumer<? super DeadLetter> deadLetterHandler, Consumer<? super Failure> fatalFailureHandler,
      int maxMicrosteps, int traceLength, int batchSize,
      java.util.concurrent.Executor blockingExecutor, Consumer<? super Stall> stallHandler,
      java.time.Duration stallThreshold, java.time.Duration watchdogInterval,
      Function<? super EventLoop, ? extends LoopObserver> observers,
      java.util.concurrent.ThreadFactory threadFactory) {
    this.threadFactory = threadFactory;
    this.unobservedFailureHandler = unobservedFailureHandler;
    this.deadLetterHandler = deadLetterHandler;
    this.fatalFailureHandler = fatalFailureHandler;
    this.maxMicrosteps = maxMicrosteps;
    this.traceLength = traceLength;
    this.batchSize = batchSize;
    this.blockingExecutor = blockingExecutor;
    this.stallHandler = stallHandler;
    this.stallThreshold = stallThreshold;
    this.watchdogInterval = watchdogInterval;
    this.observers = observers;
  }

  /**
   * Returns a copy whose handler receives, once, each final failure that nobody observed: no
   * dependent on the lifecycle future, no listener and no parent machine when it completed. Not
   * called on the fatal path. Default: log at ERROR with the whole report.
   *
   * @param handler the handler
   * @return the copy
   */
  public LoopOptions withUnobservedFailureHandler(Consumer<? super Failure> handler) {
    return new LoopOptions(Objects.requireNonNull(handler, "handler"), deadLetterHandler,
        fatalFailureHandler, maxMicrosteps, traceLength, batchSize, blockingExecutor, stallHandler, stallThreshold,
        watchdogInterval, observers, threadFactory);
  }

  /**
   * Returns a copy whose handler receives every event that could not be delivered. Default: log at
   * WARNING.
   *
   * @param handler the handler
   * @return the copy
   */
  public LoopOptions withDeadLetterHandler(Consumer<? super DeadLetter> handler) {
    return new LoopOptions(unobservedFailureHandler, Objects.requireNonNull(handler, "handler"),
        fatalFailureHandler, maxMicrosteps, traceLength, batchSize, blockingExecutor, stallHandler, stallThreshold,
        watchdogInterval, observers, threadFactory);
  }

  /**
   * Returns a copy whose handler receives failures escalated to the loop: a top-level machine whose
   * policy exits, and the loop's fatal path (an {@link OutOfMemoryError}, say). Default: nothing
   * more, because the lifecycle future or the unobserved-failure handler has reported it already;
   * a handler may close the loop or exit the process when that is what the application wants.
   *
   * @param handler the handler
   * @return the copy
   */
  public LoopOptions withFatalFailureHandler(Consumer<? super Failure> handler) {
    return new LoopOptions(unobservedFailureHandler, deadLetterHandler,
        Objects.requireNonNull(handler, "handler"), maxMicrosteps, traceLength, batchSize,
        blockingExecutor, stallHandler, stallThreshold,
        watchdogInterval, observers, threadFactory);
  }

  /**
   * Returns a copy that faults a machine taking more than {@code limit} eventless transitions and
   * raised events in one step (an endless chain), or firing more than {@code limit} zero-delay
   * timers in a row, each armed during the step of the one before (a chain that never lets time
   * move on; a timer with a delay or an event from outside starts a new chain). Either is a
   * {@link StepLimitException}. Default 1000.
   *
   * @param limit positive
   * @return the copy
   */
  public LoopOptions withMaxMicrosteps(int limit) {
    if (limit <= 0) {
      throw new IllegalArgumentException("maxMicrosteps must be positive, not " + limit);
    }
    return new LoopOptions(unobservedFailureHandler, deadLetterHandler, fatalFailureHandler, limit,
        traceLength, batchSize, blockingExecutor, stallHandler, stallThreshold,
        watchdogInterval, observers, threadFactory);
  }

  /**
   * Returns a copy that keeps the last {@code length} steps of each machine for failure reports.
   * Default 8: a machine that has worked then holds 256 bytes beside its context (its 8-step
   * ring is 144 of them); each further step kept costs 16 bytes per machine. Zero keeps none.
   *
   * @param length zero or more
   * @return the copy
   */
  public LoopOptions withTraceLength(int length) {
    if (length < 0) {
      throw new IllegalArgumentException("traceLength must be zero or more, not " + length);
    }
    return new LoopOptions(unobservedFailureHandler, deadLetterHandler, fatalFailureHandler,
        maxMicrosteps, length, batchSize, blockingExecutor, stallHandler, stallThreshold,
        watchdogInterval, observers, threadFactory);
  }

  /**
   * Returns a copy that takes at most {@code size} events from each source per turn of the loop,
   * so that no source starves another. Default 1024.
   *
   * @param size positive
   * @return the copy
   */
  public LoopOptions withBatchSize(int size) {
    if (size <= 0) {
      throw new IllegalArgumentException("batchSize must be positive, not " + size);
    }
    return new LoopOptions(unobservedFailureHandler, deadLetterHandler, fatalFailureHandler,
        maxMicrosteps, traceLength, size, blockingExecutor, stallHandler, stallThreshold,
        watchdogInterval, observers, threadFactory);
  }

  /**
   * Returns a copy whose blocking calls ({@code invokeBlocking}) run on {@code executor}, which the
   * loop neither owns nor shuts down. Default: a pool of the loop's own, of at most 8 daemon
   * threads and 1,024 queued calls; a call refused because it is full fails with a
   * {@link java.util.concurrent.RejectedExecutionException}.
   *
   * @param executor the executor
   * @return the copy
   */
  public LoopOptions withBlockingExecutor(java.util.concurrent.Executor executor) {
    return new LoopOptions(unobservedFailureHandler, deadLetterHandler, fatalFailureHandler,
        maxMicrosteps, traceLength, batchSize, Objects.requireNonNull(executor, "executor"), stallHandler, stallThreshold,
        watchdogInterval, observers, threadFactory);
  }

  /**
   * Returns a copy whose watchdog reports, once per stall, a callback that holds the loop thread
   * longer than {@code threshold}, checking every {@code interval} from a thread of its own.
   * Default: 2 s, checked every 100 ms. The test loop has no watchdog.
   *
   * @param threshold how long the loop may make no progress; positive
   * @param interval how often to look; positive, at most the threshold
   * @param handler receives each stall report, on the watchdog's thread; default: log at WARNING
   * @return the copy
   */
  public LoopOptions withWatchdog(java.time.Duration threshold, java.time.Duration interval,
      Consumer<? super Stall> handler) {
    Objects.requireNonNull(threshold, "threshold");
    Objects.requireNonNull(interval, "interval");
    if (threshold.isNegative() || threshold.isZero() || interval.isNegative() || interval.isZero()
        || interval.compareTo(threshold) > 0) {
      throw new IllegalArgumentException("the watchdog needs 0 < interval <= threshold; got"
          + " threshold " + threshold + ", interval " + interval);
    }
    return new LoopOptions(unobservedFailureHandler, deadLetterHandler, fatalFailureHandler,
        maxMicrosteps, traceLength, batchSize, blockingExecutor,
        Objects.requireNonNull(handler, "handler"), threshold, interval, observers, threadFactory);
  }

  /**
   * Returns a copy whose loops are each observed, for metrics, by the observer that
   * {@code observers} makes for it. The factory is called once per loop started with these
   * options, on the thread that starts the loop, before any machine runs on it; what it throws
   * propagates to that caller and the loop does not start. Default: no observer, and then a step
   * pays nothing for observation (see {@link LoopObserver}).
   *
   * @param observers makes the observer of a loop, given the loop; must not return null
   * @return the copy
   */
  public LoopOptions withObserver(Function<? super EventLoop, ? extends LoopObserver> observers) {
    return new LoopOptions(unobservedFailureHandler, deadLetterHandler, fatalFailureHandler,
        maxMicrosteps, traceLength, batchSize, blockingExecutor, stallHandler, stallThreshold,
        watchdogInterval, Objects.requireNonNull(observers, "observers"), threadFactory);
  }

  /** {@return the factory of each loop's observer, or null for none} */
  public Function<? super EventLoop, ? extends LoopObserver> observers() {
    return observers;
  }

  /** {@return the stall handler} */
  public Consumer<? super Stall> stallHandler() {
    return stallHandler;
  }

  /** {@return how long the loop may make no progress before the watchdog reports it} */
  public java.time.Duration stallThreshold() {
    return stallThreshold;
  }

  /** {@return how often the watchdog looks} */
  public java.time.Duration watchdogInterval() {
    return watchdogInterval;
  }

  /** {@return the executor for blocking calls, or null for the loop's own pool} */
  public java.util.concurrent.Executor blockingExecutor() {
    return blockingExecutor;
  }

  /** {@return the unobserved-failure handler} */
  public Consumer<? super Failure> unobservedFailureHandler() {
    return unobservedFailureHandler;
  }

  /** {@return the dead-letter handler} */
  public Consumer<? super DeadLetter> deadLetterHandler() {
    return deadLetterHandler;
  }

  /** {@return the fatal-failure handler} */
  public Consumer<? super Failure> fatalFailureHandler() {
    return fatalFailureHandler;
  }

  /** {@return the micro-step bound per step} */
  public int maxMicrosteps() {
    return maxMicrosteps;
  }

  /** {@return how many recent steps a failure report keeps} */
  public int traceLength() {
    return traceLength;
  }

  /** {@return how many events are taken from each source per turn} */
  public int batchSize() {
    return batchSize;
  }

  @Override
  public String toString() {
    return "LoopOptions[maxMicrosteps=" + maxMicrosteps + ", traceLength=" + traceLength
        + ", batchSize=" + batchSize + "]";
  }

  /**
   * Returns a copy whose loops run on a thread this factory makes: a virtual thread
   * ({@code Thread.ofVirtual().factory()} on Java 21), a thread with your name, priority or
   * thread-locals. The factory's thread runs the whole loop; the loop's name stays the one given to
   * {@link EventLoop#start(String, LoopOptions)}. Default (null): a platform thread named after the
   * loop. The test loop, which runs on the calling thread, ignores it.
   *
   * @param factory makes the loop's thread; it must return an unstarted thread
   * @return the copy
   */
  public LoopOptions withThreadFactory(java.util.concurrent.ThreadFactory factory) {
    return new LoopOptions(unobservedFailureHandler, deadLetterHandler, fatalFailureHandler,
        maxMicrosteps, traceLength, batchSize, blockingExecutor, stallHandler, stallThreshold,
        watchdogInterval, observers, Objects.requireNonNull(factory, "factory"));
  }

  /** {@return the factory of loop threads, or null for a platform thread named after the loop} */
  public java.util.concurrent.ThreadFactory threadFactory() {
    return threadFactory;
  }
}
