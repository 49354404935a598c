package dev.stator.internal.loop;

import dev.stator.DeadLetter;
import dev.stator.Failure;
import dev.stator.LoopClock;
import dev.stator.LoopOptions;
import dev.stator.MachineDefinition;
import dev.stator.internal.machine.Endings;
import dev.stator.internal.machine.IoHandle;
import dev.stator.internal.machine.LiveMachines;
import dev.stator.internal.machine.LoopServices;
import dev.stator.internal.machine.MachineFactory;
import dev.stator.internal.machine.MachineRuntime;
import dev.stator.internal.text.Describe;
import dev.stator.internal.timer.TimerWheel;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * What every loop shares, whoever drives it: the inbox, the loop's own queue, the timer wheel,
 * the registry of machines, and the reporting paths. The real loop drives it from its thread, the
 * test loop from the caller's. Loop-confined except where a method says otherwise.
 *
 * <p>Machines see it only as {@link LoopServices}; it calls them through their public entry
 * points: {@link MachineFactory#start}, {@link MachineRuntime#deliver}, {@link IoHandle#ready}
 * and their {@link Endings}.
 */
public final class LoopCore extends LoopEntrancePadding implements LoopServices {

  /** How the core asks its driver to run. */
  public interface Driver {
    /** Called on a foreign thread after it put work into the inbox. */
    void wakeUp();

    /** Called on the loop thread after work was queued outside any step. */
    void submittedOnLoop();
  }

  private static final System.Logger LOG = System.getLogger("dev.stator");
  /** About a millisecond: a power of two, so that the wheel finds a deadline's tick by a shift. */
  private static final long TICK_NANOS = 1L << 20;
  private static final int WHEEL_BUCKETS = 4096;

  private record Delivery(MachineRuntime<?> target, Object event) {}

  final String name;
  final LoopClock clock;
  final LoopOptions options;
  final TimerWheel timers;
  final SplittableRandom random;
  private final long clockOrigin;
  private final Instant wallOrigin;
  private final DeliveryRing ring = new DeliveryRing(256);
  private final AtomicLong machineSeq = new AtomicLong();
  private final Object lateDrainLock = new Object();
  private dev.stator.EventLoop facade;
  /** Set when the fatal path begins; from then on no user code runs and nothing starts it again. */
  private boolean fatalBegun;
  /** The error that began the fatal path, or null. */
  private Throwable fatalError;
  private Consumer<Failure> finalFailureTap = failure -> { };

  /** True while a machine is taking a step: work queued then waits for the step to end. */
  private boolean stepping;
  /**
   * While a machine takes the step of a state or action timer: that timer's chain of zero-delay
   * timers ({@code MachineTimer.chain}); else 0. Steps never nest, so one field serves every
   * machine of the loop.
   */
  private int firingChain;

  /**
   * Steps in progress on the loop's thread, counted across every loop bound to that thread: test
   * loops created on one thread share it, so a step of one never runs inside a step of another.
   */
  static final class ThreadActivity {
    int steps;
  }

  private static final ThreadLocal<ThreadActivity> ACTIVITY =
      ThreadLocal.withInitial(ThreadActivity::new);

  /** This loop's thread's activity; set by {@link #bind}. */
  private ThreadActivity activity = new ThreadActivity();
  /**
   * True while a task runs at the top of a turn, outside any step or listener: an event it sends
   * to a machine with nothing queued ahead of it is delivered at once (see {@link #submit}).
   */
  private boolean inTask;
  /** Set when the loop thread itself began the close: its tasks' sends are queued from then on. */
  private boolean closedOnLoop;
  /** The machine taking the outermost step, for the watchdog's report; read racily. */
  private MachineRuntime<?> current;
  /** Counts what the loop has processed; the watchdog reads it to see that the loop moves. */
  private long progress;
  private static final java.lang.invoke.VarHandle PROGRESS;
  private static final java.lang.invoke.VarHandle THREAD;
  private static final java.lang.invoke.VarHandle TERMINATED;
  private static final java.lang.invoke.VarHandle CLOSED;

  static {
    try {
      PROGRESS = java.lang.invoke.MethodHandles.lookup().findVarHandle(LoopCore.class, "progress",
          long.class);
      THREAD = java.lang.invoke.MethodHandles.lookup().findVarHandle(LoopEntrance.class, "thread",
          Thread.class);
      TERMINATED = java.lang.invoke.MethodHandles.lookup().findVarHandle(LoopEntrance.class,
          "terminated", boolean.class);
      CLOSED = java.lang.invoke.MethodHandles.lookup().findVarHandle(LoopEntrance.class,
          "closed", boolean.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  @Override
  public boolean fatalBegun() {
    return fatalBegun;
  }

  /** Returns the progress counter. Any thread. */
  public long progress() {
    return (long) PROGRESS.getOpaque(this);
  }

  /** Describes what the loop is running now, for a stall report. Any thread; racy by design. */
  public dev.stator.Stall describeStall(Thread loopThread, long blockedNanos) {
    MachineRuntime<?> machine = stepping ? current : null;
    return new dev.stator.Stall(name, machine == null ? null : machine.id(),
        machine == null ? null : machine.currentPhase(), java.time.Duration.ofNanos(blockedNanos),
        java.util.Arrays.asList(loopThread.getStackTrace()));
  }
  /** The clock reading at the start of the current turn (cheap time for traces). */
  private long turnTime;

  private java.util.concurrent.ExecutorService ownBlockingPool;
  /** The loop's selector and the delivery of channel readiness. */
  final LoopIo io = new LoopIo(this);
  private final LiveMachines live = new LiveMachines();
  /** The loop's observer, or null; set by bind, before the loop runs anything. */
  private dev.stator.internal.observe.LoopObservation observation;

  /**
   * Creates a core.
   *
   * @param name the loop's name
   * @param clock its time source
   * @param wallOrigin the wall-clock instant at the clock's current reading
   * @param options handlers and bounds
   * @param seed the seed of the loop's randomness (backoff jitter)
   */
  public LoopCore(String name, LoopClock clock, Instant wallOrigin, LoopOptions options,
      long seed) {
    this.name = Objects.requireNonNull(name, "name");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.options = Objects.requireNonNull(options, "options");
    this.clockOrigin = clock.nanoTime();
    this.wallOrigin = wallOrigin;
    this.turnTime = clockOrigin;
    this.timers = new TimerWheel(clockOrigin, TICK_NANOS, WHEEL_BUCKETS);
    this.random = new SplittableRandom(seed);
  }

  /**
   * Binds the core to its driver and the thread that will run it.
   *
   * @param driver the driver
   * @param loopThread the loop thread
   * @param loopFacade the loop as users see it
   */
  public void bind(Driver driver, Thread loopThread, dev.stator.EventLoop loopFacade) {
    this.driver = driver;
    this.thread = loopThread;
    this.facade = loopFacade;
    // a loop running on the thread that binds it (a test loop) shares that thread's count
    this.activity = loopThread == Thread.currentThread() ? ACTIVITY.get() : new ThreadActivity();
    this.observation = dev.stator.internal.observe.LoopObservation.start(options.observers(),
        loopFacade, clock);
  }

  @Override
  public dev.stator.internal.observe.LoopObservation observation() {
    return observation;
  }

  /** Sets a consumer told of every final failure (the test loop records them). */
  public void tapFinalFailures(Consumer<Failure> tap) {
    this.finalFailureTap = tap;
  }

  /** Returns the timer wheel (loop thread only). */
  @Override
  public TimerWheel timers() {
    return timers;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public boolean inLoop() {
    // a plain read is enough: the loop thread sees the value set before it started, and any other
    // thread, whatever it reads, can never find itself there
    return Thread.currentThread() == (Thread) THREAD.get(this);
  }

  @Override
  public boolean isClosed() {
    return closed;
  }

  @Override
  public boolean isTerminated() {
    return terminated;
  }

  /** Begins the close: new work is refused from now on. Any thread. */
  public void beginClose() {
    closed = true;
    if (inLoop()) {
      // a task that closes its loop and then sends: those sends are queued, then refused and
      // handed to the dead-letter handler by finishClose, never taken at once
      closedOnLoop = true;
      inTask = false;
    }
    Driver d = driver;
    if (d != null && !inLoop()) {
      d.wakeUp();
    }
  }

  @Override
  public Instant instantOf(long nanoTime) {
    return wallOrigin.plusNanos(nanoTime - clockOrigin);
  }

  @Override
  public int nextSerial() {
    return (int) machineSeq.incrementAndGet();
  }

  @Override
  public dev.stator.EventLoop facade() {
    return facade;
  }

  @Override
  public LoopOptions options() {
    return options;
  }

  @Override
  public long now() {
    return clock.nanoTime();
  }

  @Override
  public long turnTime() {
    return turnTime;
  }

  @Override
  public double nextRandom() {
    return random.nextDouble();
  }

  @Override
  public boolean beginStep(MachineRuntime<?> machine) {
    boolean outer = !stepping;
    if (outer) {
      stepping = true;
      activity.steps++;
      // the watchdog reads it only while stepping, so it need not be cleared, and a machine that
      // steps again and again does not store it again
      if (current != machine) {
        current = machine;
      }
    }
    return outer;
  }

  @Override
  public void endStep(boolean machineEnded) {
    stepping = false;
    activity.steps--;
    if (machineEnded) {
      // an ended machine must not stay reachable through the watchdog's pointer
      current = null;
    }
  }

  @Override
  public int firingChain() {
    return firingChain;
  }

  @Override
  public void firingChain(int chain) {
    firingChain = chain;
  }

  /**
   * Creates and starts a machine. Any thread.
   *
   * @param definition the definition
   * @param id the id, or null for a generated one
   * @param context the context
   * @param parent the parent, or null
   * @param listener a listener to attach before the start, or null
   * @param facade the loop as users see it
   * @param <C> the context type
   * @return the machine
   */
  public <C> MachineRuntime<C> startMachine(MachineDefinition<C> definition, String id, C context,
      MachineRuntime<?> parent, dev.stator.MachineListener<? super C> listener,
      dev.stator.EventLoop facade) {
    return MachineFactory.start(this, definition, id, context, parent, listener);
  }

  /** Creates and starts a durable machine ({@code EventLoop.startDurable}). Any thread. */
  public <C> MachineRuntime<C> startDurable(MachineDefinition<C> definition, String id, C context,
      dev.stator.durable.Durability<C> durability) {
    return MachineFactory.start(this, definition, Objects.requireNonNull(id, "machineId"), context,
        null, null, Objects.requireNonNull(durability, "durability"));
  }

  /** Restores a machine from its image ({@code EventLoop.restore}). Any thread. */
  public <C> MachineRuntime<C> restore(MachineDefinition<C> definition,
      dev.stator.durable.MachineImage image, dev.stator.durable.Durability<C> durability,
      dev.stator.durable.RestoreOptions options) {
    return MachineFactory.restore(this, definition, image, durability, options);
  }

  /**
   * Queues an event for a machine. Any thread.
   *
   * @return false if the loop no longer takes work (the caller reports the dead letter)
   */
  @Override
  public boolean submit(MachineRuntime<?> target, Object event) {
    if (inLoop()) {
      return submitOnLoop(target, event);
    }
    if (closed) {
      return false;
    }
    inbox.offer(new Delivery(target, event));
    driver.wakeUp();
    if (terminated) {
      drainLate();
    }
    return true;
  }

  /**
   * Queues an event, or delivers it at once from a task when nothing is queued. Loop thread only.
   *
   * @return false if the loop no longer takes work
   */
  @Override
  public boolean submitOnLoop(MachineRuntime<?> target, Object event) {
    // only this thread sets it, so a plain read sees its own store
    if ((boolean) TERMINATED.get(this)) {
      return false;
    }
    if (inTask && activity.steps == 0 && ring.isEmpty()
        && target.takesDirectly(event)) {
      deliverNow(target, event);
      return true;
    }
    ring.add(target, event);
    if (!stepping) {
      driver.submittedOnLoop();
    }
    return true;
  }

  /**
   * Queues a task. Any thread.
   *
   * @param task the task
   * @throws IllegalStateException if the loop is closed
   */
  public void execute(Runnable task) {
    Objects.requireNonNull(task, "task");
    if (closed && !inLoop()) {
      throw new IllegalStateException("loop '" + name + "' is closed; task refused: " + task);
    }
    if (inLoop()) {
      if ((boolean) TERMINATED.get(this)) {
        LOG.log(System.Logger.Level.WARNING, "loop '" + name + "' closed before running task " + task);
        return;
      }
      ring.add(null, task);
      if (!stepping) {
        driver.submittedOnLoop();
      }
      return;
    }
    inbox.offer(task);
    driver.wakeUp();
    if (terminated) {
      drainLate();
    }
  }

  /** Returns whether events or tasks are waiting. Any thread. */
  public boolean hasQueuedWork() {
    return !ring.isEmpty() || !inbox.isEmpty();
  }

  /**
   * Runs one turn: due timers, then at most a batch from the loop's own queue and one from the
   * inbox.
   *
   * @return how many timers, events and tasks were processed
   */
  public int runTurn() {
    try {
      return turn();
    } catch (VirtualMachineError error) {
      if (error instanceof StackOverflowError) {
        report("loop '" + name + "' overflowed its stack outside user code; the loop goes on", error);
        return 1;
      }
      fatal(null, error);
      return 0;
    }
  }

  private int turn() {
    turnTime = clock.nanoTime();
    PROGRESS.setOpaque(this, progress + 1);
    int done = timers.expire(turnTime);
    if (io.isOpen()) {
      done += io.selectIo();
    }
    int budget = options.batchSize();
    // once close begins, what is still queued is refused by finishClose, not taken
    while (budget-- > 0 && !ring.isEmpty() && !closed) {
      Object target = ring.peekTarget();
      dispatch(target, ring.pollEvent());
      done++;
    }
    budget = options.batchSize();
    Object item;
    // after the fatal path (terminated), late senders drain the inbox under the lock instead
    while (budget-- > 0 && !closed && (item = inbox.relaxedPoll()) != null) {
      if (item instanceof Delivery delivery) {
        dispatch(delivery.target, delivery.event);
      } else {
        dispatch(null, item);
      }
      done++;
    }
    return done;
  }

  private void dispatch(Object target, Object item) {
    PROGRESS.setOpaque(this, progress + 1);
    if (target != null) {
      ((MachineRuntime<?>) target).deliver(item);
    } else {
      boolean outerTask = inTask;
      inTask = !closedOnLoop;
      try {
        ((Runnable) item).run();
      } catch (VirtualMachineError fatal) {
        throw fatal;
      } catch (Throwable t) {
        report("task " + Describe.event(item) + " on loop '" + name + "' threw; the loop goes on",
            t);
      } finally {
        inTask = outerTask;
        clearInterrupt("task ", item);
      }
    }
  }

  /**
   * Delivers an event sent by a task straight away. Nothing is queued on the loop, so the event
   * would have been the next one delivered anyway: skipping the queue changes no order that the
   * threading contract promises, and a step is still never nested in another step. Sends made
   * during this delivery (by actions, listeners, completion callbacks) are queued as usual.
   */
  private void deliverNow(MachineRuntime<?> target, Object event) {
    PROGRESS.setOpaque(this, progress + 1);
    inTask = false;
    // a flag the sending task left set is the task's, not the machine's about to step
    if (Thread.interrupted()) {
      warn("a task on loop '" + name + "' left the loop thread's interrupt flag set before"
          + " sending " + Describe.event(event) + "; the loop cleared it");
    }
    try {
      target.deliver(event);
    } catch (VirtualMachineError error) {
      // what a turn does with it (runTurn): the sender's task must not receive another
      // machine's fatal error, nor be able to swallow it
      if (error instanceof StackOverflowError) {
        report("loop '" + name + "' overflowed its stack outside user code; the loop goes on", error);
      } else {
        fatal(null, error);
      }
    } finally {
      inTask = !closedOnLoop;
    }
  }

  /**
   * Ends the loop on its thread: stops every machine still registered (their exit actions run,
   * their futures complete), then refuses and reports whatever is still queued.
   */
  public void finishClose() {
    closed = true;
    try {
      while (live.first() != null) {
        // each machine's stop is progress: the watchdog then reports one stop that blocks, not a
        // close that takes long because it stops many machines, charged to whichever is current
        PROGRESS.setOpaque(this, progress + 1);
        live.first().endings().terminateForClose();
      }
      terminated = true;
      releaseResources();
      drainAsDeadLetters();
      observedEnd();
    } catch (VirtualMachineError error) {
      // an exit action or a handler broke the JVM while the loop closed: the fatal path fails
      // every machine still registered and refuses what is left (it runs once)
      fatal(null, error);
    }
  }

  private void releaseResources() {
    if (ownBlockingPool != null) {
      ownBlockingPool.shutdownNow();
    }
    io.close();
  }

  /** On a sender's thread after the loop ended: the inbox has no other consumer by then. */
  private void drainLate() {
    drainInbox();
  }

  /** On the loop thread as it ends. */
  private void drainAsDeadLetters() {
    while (!ring.isEmpty()) {
      Object target = ring.peekTarget();
      refused(target, ring.pollEvent());
    }
    drainInbox();
  }

  private void drainInbox() {
    // the lock makes the loop's last drain and late senders' drains take turns as the one consumer
    synchronized (lateDrainLock) {
      Object item;
      while ((item = inbox.relaxedPoll()) != null) {
        if (item instanceof Delivery delivery) {
          refused(delivery.target, delivery.event);
        } else {
          refused(null, item);
        }
      }
    }
  }

  private void refused(Object target, Object item) {
    if (target instanceof MachineRuntime<?> machine) {
      machine.endings().refused(item, fatalError);
    } else {
      LOG.log(System.Logger.Level.WARNING, "loop '" + name + "' closed before running task " + item);
    }
  }

  @Override
  public java.nio.channels.Selector selector() throws java.io.IOException {
    return io.selector();
  }

  @Override
  public void flushCancelledKeys() {
    io.flushCancelledKeys();
  }

  /** Counts one more item processed, for the watchdog; loop thread only. */
  void countProgress() {
    PROGRESS.setOpaque(this, progress + 1);
  }

  @Override
  public java.util.concurrent.Executor blockingExecutor() {
    if (options.blockingExecutor() != null) {
      return options.blockingExecutor();
    }
    if (ownBlockingPool == null) {
      java.util.concurrent.atomic.AtomicInteger threads = new java.util.concurrent.atomic.AtomicInteger();
      java.util.concurrent.ThreadPoolExecutor pool = new java.util.concurrent.ThreadPoolExecutor(
          8, 8, 30, java.util.concurrent.TimeUnit.SECONDS,
          new java.util.concurrent.ArrayBlockingQueue<>(1024), runnable -> {
            Thread thread = new Thread(runnable, name + "-blocking-" + threads.incrementAndGet());
            thread.setDaemon(true);
            return thread;
          });
      pool.allowCoreThreadTimeOut(true);
      ownBlockingPool = pool;
    }
    return ownBlockingPool;
  }

  @Override
  public void register(MachineRuntime<?> machine) {
    live.register(machine);
  }

  @Override
  public void unregister(MachineRuntime<?> machine) {
    live.unregister(machine);
  }

  /** Returns how many machines are registered (started and not ended). */
  public int liveMachines() {
    return live.count();
  }

  @Override
  public int queuedFor(MachineRuntime<?> machine) {
    return ring.count(machine);
  }

  @Override
  public void deadLetter(String machineId, Object event, String reason) {
    DeadLetter letter = new DeadLetter(machineId, event, reason);
    dev.stator.internal.observe.Jfr.deadLetter(name, letter);
    if (observation != null) {
      observation.deadLetter(letter);
    }
    callOut(options.deadLetterHandler(), letter, "the dead-letter handler, given ");
  }

  @Override
  public void failedForGood(Failure failure, boolean observed, boolean escalate) {
    if (!observed) {
      callOut(options.unobservedFailureHandler(), failure, "the unobserved-failure handler, given ");
    }
    finalFailureTap.accept(failure);
    if (escalate) {
      escalateToLoop(failure);
    }
  }

  private void escalateToLoop(Failure failure) {
    callOut(options.fatalFailureHandler(), failure, "the fatal-failure handler, given ");
  }

  /**
   * The one place where code that is not a machine's step runs on behalf of the loop: listeners,
   * handlers. A throwable it raises is reported and goes no further, but a
   * {@link VirtualMachineError} (other than a stack overflow) is the JVM's and goes on to the
   * loop's fatal path; an interrupt flag it leaves set is cleared and blamed on it, never on the
   * next machine to step. {@code who} and {@code subject} name the code for reports, and are
   * joined only when something goes wrong.
   */
  @Override
  public <T> void callOut(Consumer<? super T> code, T argument, String who) {
    try {
      code.accept(argument);
    } catch (VirtualMachineError fatal) {
      if (fatal instanceof StackOverflowError || fatalBegun) {
        report(who + Describe.event(argument) + (fatalBegun ? ", threw during the fatal path"
            : ", overflowed its stack"), fatal);
      } else {
        if (inLoop()) {
          // the loop's fatal path now, whoever called: then the error goes on up, so that no more
          // of the code around this call runs
          fatal(null, fatal);
        }
        throw fatal;
      }
    } catch (Throwable t) {
      report(who + Describe.event(argument) + ", threw; the loop goes on", t);
    } finally {
      clearInterrupt(who, argument);
    }
  }

  /**
   * Clears the interrupt flag that code just run on the loop thread left set, and says whose it
   * was. Restoring the flag is the usual Java idiom, but on the loop thread it would make the next
   * park return at once (a loop that spins) and the next machine to step look guilty.
   */
  @Override
  public void clearInterrupt(String who, Object subject) {
    if (inLoop() && Thread.interrupted()) {
      warn(who + Describe.event(subject) + " left the loop thread's interrupt flag set; the loop"
          + " cleared it");
    }
  }

  /**
   * The loop's fatal path, for a {@link VirtualMachineError} other than a stack overflow: no more
   * user callbacks; every registered machine's future completes exceptionally; the fatal-failure
   * handler is told; the loop ends.
   */
  @Override
  public void fatal(MachineRuntime<?> culprit, Throwable error) {
    if (fatalBegun) {
      return;
    }
    fatalBegun = true;
    fatalError = error;
    report("loop '" + name + "' stops: fatal error"
        + (culprit == null ? "" : " in a callback of machine '" + culprit.id() + "'")
        + "; every machine on it fails", error);
    closed = true;
    Failure first = null;
    for (MachineRuntime<?> machine : live.all()) {
      Failure failure = machine.endings().failWithoutCallbacks(error, machine == culprit);
      if (machine == culprit) {
        first = failure;
      }
    }
    terminated = true;
    releaseResources();
    if (first == null) {
      first = new Failure("(loop " + name + ")", "", "", "(none)", dev.stator.Phase.DISPATCH, null,
          error,
          instantOf(clock.nanoTime()), 0, 0, List.of());
    }
    escalateToLoop(first);
    drainAsDeadLetters();
    observedEnd();
  }

  /** Tells the loop's observer, if any, that the loop ended (once, whichever path ends it). */
  private void observedEnd() {
    if (observation != null) {
      observation.loopEnded();
    }
  }

  /** Returns how many events and tasks wait to be taken. Any thread; exact on the loop thread. */
  public int queued() {
    return ring.size() + inbox.size();
  }

  @Override
  public void warn(String message) {
    try {
      LOG.log(System.Logger.Level.WARNING, message);
    } catch (Throwable ignored) {
      // reporting must never throw
    }
  }

  /** Logs an error; never throws. */
  public void report(String message, Throwable t) {
    try {
      LOG.log(System.Logger.Level.ERROR, message, t);
    } catch (Throwable ignored) {
      // reporting must never throw
    }
  }
}
