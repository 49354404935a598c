package dev.stator.internal.loop;

import dev.stator.EventLoop;
import dev.stator.LoopClock;
import dev.stator.LoopOptions;
import dev.stator.Machine;
import dev.stator.MachineDefinition;
import dev.stator.MachineListener;
import java.time.Instant;
import java.util.concurrent.locks.LockSupport;

/** The real loop: one platform thread that parks when idle and is woken by senders. */
public final class ThreadEventLoop implements EventLoop, LoopCore.Driver {

  private final LoopCore core;
  private final Thread thread;
  private volatile boolean sleeping;
  /** Set by the one sender that wakes the sleeping loop, so that the others need not. */
  private final java.util.concurrent.atomic.AtomicBoolean woken =
      new java.util.concurrent.atomic.AtomicBoolean();

  private final Thread watchdog;

  private ThreadEventLoop(String name, LoopOptions options) {
    this.core = new LoopCore(name, LoopClock.system(), Instant.now(), options,
        System.nanoTime());
    this.thread = loopThread(name, options);
    this.watchdog = new Thread(this::watch, name + "-watchdog");
    watchdog.setDaemon(true);
    core.bind(this, thread, this);
  }

  /** The loop's thread: from the options' factory, else a platform thread named after the loop. */
  private Thread loopThread(String name, LoopOptions options) {
    java.util.concurrent.ThreadFactory factory = options.threadFactory();
    if (factory == null) {
      return new Thread(this::run, name);
    }
    Thread made = factory.newThread(this::run);
    if (made == null || made.getState() != Thread.State.NEW) {
      throw new IllegalStateException("the thread factory of loop '" + name + "' returned "
          + (made == null ? "null" : "a thread already " + made.getState())
          + "; it must return a new, unstarted thread");
    }
    return made;
  }

  /**
   * Watches the loop from its own thread: when the loop is awake and its progress counter has not
   * moved for the threshold, one callback is holding it; report that once, with the loop's stack.
   */
  private void watch() {
    LoopOptions options = core.options;
    long threshold = options.stallThreshold().toNanos();
    long interval = options.watchdogInterval().toNanos();
    long seen = core.progress();
    long since = System.nanoTime();
    boolean reported = false;
    while (thread.isAlive()) {
      LockSupport.parkNanos(this, interval);
      long now = System.nanoTime();
      long progress = core.progress();
      if (progress != seen || sleeping) {
        seen = progress;
        since = now;
        reported = false;
      } else if (!reported && now - since >= threshold) {
        reported = true;
        try {
          dev.stator.Stall stall = core.describeStall(thread, now - since);
          dev.stator.internal.observe.Jfr.stall(stall);
          options.stallHandler().accept(stall);
        } catch (Throwable t) {
          core.report("the stall handler of loop '" + core.name() + "' threw", t);
        }
      }
    }
  }

  /**
   * Starts a loop.
   *
   * @param name the thread's name
   * @param options the options
   * @return the running loop
   */
  public static ThreadEventLoop start(String name, LoopOptions options) {
    ThreadEventLoop loop = new ThreadEventLoop(name, options);
    loop.thread.start();
    loop.watchdog.start();
    return loop;
  }

  private void run() {
    try {
      while (!core.isClosed()) {
        int done = core.runTurn();
        if (done == 0 && !core.isClosed()) {
          sleep();
        }
      }
      if (!core.isTerminated()) {
        core.finishClose();
      }
    } catch (Throwable unexpected) {
      // the loop's own code failed: fail every machine rather than leave futures pending
      core.fatal(null, unexpected);
    }
  }

  private void sleep() {
    // every piece of code the loop runs has its flag cleared after it; one still set here came
    // from another thread, and parking with it set would return at once, again and again
    if (Thread.interrupted()) {
      core.warn("loop '" + core.name() + "' was interrupted by another thread; it cleared the flag"
          + " and goes on (close() is how a loop is stopped)");
    }
    long next = core.timers.nextDeadline();
    woken.set(false);
    sleeping = true;
    try {
      if (core.hasQueuedWork() || core.isClosed()) {
        return;
      }
      if (core.io.hasIo()) {
        // the selector is where the loop sleeps when channels are registered: readiness wakes it
        long wait = next == Long.MAX_VALUE ? -1
            : Math.max(1, java.util.concurrent.TimeUnit.NANOSECONDS.toMillis(
                next - core.clock.nanoTime() + 999_999));
        core.io.awaitIo(wait);
        return;
      }
      if (next == Long.MAX_VALUE) {
        LockSupport.park(this);
      } else {
        long wait = next - core.clock.nanoTime();
        if (wait > 0) {
          LockSupport.parkNanos(this, wait);
        }
      }
    } finally {
      sleeping = false;
    }
  }

  @Override
  public void wakeUp() {
    // one unpark per sleep: a flood of sends to a sleeping loop would otherwise unpark it each time
    if (sleeping && !woken.get() && woken.compareAndSet(false, true)) {
      LockSupport.unpark(thread);
      core.io.wakeSelector();
    }
  }

  @Override
  public void submittedOnLoop() {
    // the loop thread will see the work on its next turn
  }

  @Override
  public String name() {
    return core.name();
  }

  @Override
  public <C> Machine<C> start(MachineDefinition<C> definition, C context) {
    return core.startMachine(definition, null, context, null, null, this);
  }

  @Override
  public <C> Machine<C> start(MachineDefinition<C> definition, String machineId, C context) {
    return core.startMachine(definition, java.util.Objects.requireNonNull(machineId, "machineId"),
        context, null, null, this);
  }

  @Override
  public <C> Machine<C> start(MachineDefinition<C> definition, String machineId, C context,
      MachineListener<? super C> listener) {
    return core.startMachine(definition, java.util.Objects.requireNonNull(machineId, "machineId"),
        context, null, java.util.Objects.requireNonNull(listener, "listener"), this);
  }

  @Override
  public <C> Machine<C> startDurable(MachineDefinition<C> definition, String machineId, C context,
      dev.stator.durable.Durability<C> durability) {
    return core.startDurable(definition, machineId, context, durability);
  }

  @Override
  public <C> Machine<C> restore(MachineDefinition<C> definition,
      dev.stator.durable.MachineImage image, dev.stator.durable.Durability<C> durability,
      dev.stator.durable.RestoreOptions options) {
    return core.restore(definition, image, durability, options);
  }

  @Override
  public void execute(Runnable task) {
    core.execute(task);
  }

  @Override
  public boolean inLoop() {
    return core.inLoop();
  }

  @Override
  public LoopClock clock() {
    return core.clock;
  }

  @Override
  public int liveMachines() {
    return core.liveMachines();
  }

  @Override
  public int queuedEvents() {
    return core.queued();
  }

  @Override
  public int pendingTimers() {
    return core.timers().size();
  }

  @Override
  public boolean isClosed() {
    return core.isClosed();
  }

  @Override
  public void close() {
    core.beginClose();
    if (inLoop()) {
      return;
    }
    LockSupport.unpark(thread);
    boolean interrupted = false;
    while (thread.isAlive()) {
      try {
        thread.join();
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public java.util.Optional<dev.stator.Stall> close(java.time.Duration timeout) {
    long budget = boundedNanos(timeout);
    core.beginClose();
    if (inLoop()) {
      return java.util.Optional.empty();
    }
    LockSupport.unpark(thread);
    long start = System.nanoTime();
    boolean interrupted = false;
    try {
      while (thread.isAlive()) {
        long left = budget - (System.nanoTime() - start);
        if (left <= 0) {
          return java.util.Optional.of(core.describeStall(thread, System.nanoTime() - start));
        }
        try {
          java.util.concurrent.TimeUnit.NANOSECONDS.timedJoin(thread, left);
        } catch (InterruptedException e) {
          interrupted = true;
        }
      }
      return java.util.Optional.empty();
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** The timeout in nanoseconds, saturated; refused when negative. */
  static long boundedNanos(java.time.Duration timeout) {
    java.util.Objects.requireNonNull(timeout, "timeout");
    if (timeout.isNegative()) {
      throw new IllegalArgumentException("close(timeout): the timeout must be zero or more, not "
          + timeout);
    }
    try {
      return timeout.toNanos();
    } catch (ArithmeticException tooLong) {
      return Long.MAX_VALUE;
    }
  }

  @Override
  public String toString() {
    return "EventLoop " + core.name() + " [" + (core.isTerminated() ? "TERMINATED"
        : core.isClosed() ? "CLOSING" : "RUNNING") + ", " + core.liveMachines() + " machines]";
  }
}
