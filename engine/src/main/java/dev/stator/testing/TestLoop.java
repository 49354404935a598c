package dev.stator.testing;

import dev.stator.EventLoop;
import dev.stator.Failure;
import dev.stator.LoopClock;
import dev.stator.LoopOptions;
import dev.stator.Machine;
import dev.stator.MachineDefinition;
import dev.stator.MachineListener;
import dev.stator.MachineFailedException;
import dev.stator.internal.loop.LoopCore;
import dev.stator.internal.machine.MachineRuntime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * An event loop for tests: it runs on the thread that created it, with virtual time, so that a
 * test of a 30-second timeout takes microseconds and the same inputs always give the same trace.
 *
 * <p>Work queued from the test thread outside a step runs at once, until the loop is idle:
 * {@code machine.send(event)} returns after the machine has processed it. Work queued from other
 * threads waits for the next {@link #runUntilIdle()} or {@link #advance(Duration)}. Time moves only
 * through {@link #advance(Duration)}: it steps from one due timer to the next, runs what each
 * one causes at that moment, and ends at the target time.
 *
 * <p>Every machine failure that ends a machine is recorded; {@link #checkFailures()} rethrows the
 * first one not yet checked, as Netty's {@code EmbeddedChannel.checkException()} does, leaving out
 * the failures of child machines: their parent either handles them (a {@code ChildTerminated}
 * transition) or fails with them as its own fault, and then its failure is thrown.
 *
 * <p><b>Thread-safety:</b> confined to the creating thread, except {@code send}, {@code stop} and
 * {@code execute} (queued for the next run) and the read-only accessors.
 */
public final class TestLoop implements EventLoop {

  private static final Instant EPOCH = Instant.parse("2026-01-01T00:00:00Z");

  private final VirtualClock clock = new VirtualClock();
  private final LoopCore core;
  private final List<Failure> failures = new ArrayList<>();
  /** The failures of machines started by this loop's {@code start}, not by a parent. */
  private final java.util.Set<Failure> topLevelFailures =
      java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
  /** The machines started by this loop's {@code start} that had not ended when last looked at. */
  private final List<Machine<?>> topLevel = new ArrayList<>();
  /** The size of {@link #topLevel} at which the ended machines are dropped from it next. */
  private int pruneAt = 1024;
  private int checked;
  private FaultPlan faults = FaultPlan.none();
  /** The definitions started on this loop, with the fault plan applied once each. */
  private final java.util.Map<MachineDefinition<?>, MachineDefinition<?>> faulty =
      new java.util.IdentityHashMap<>();
  private boolean running;

  private TestLoop(LoopOptions options, long seed) {
    this.core = new LoopCore("test-loop", clock, EPOCH, options, seed);
    core.bind(new LoopCore.Driver() {
      @Override
      public void wakeUp() {
        // work from other threads waits for the next explicit run
      }

      @Override
      public void submittedOnLoop() {
        if (!running) {
          runUntilIdle();
        }
      }
    }, Thread.currentThread(), this);
    core.tapFinalFailures(this::record);
  }

  /** {@return a test loop with the default options and seed 0} */
  public static TestLoop create() {
    return new TestLoop(LoopOptions.DEFAULTS, 0L);
  }

  /**
   * Returns a test loop with seed 0, for a test that does not care about the seed.
   *
   * @param options the loop's handlers and bounds
   * @return the loop
   */
  public static TestLoop create(LoopOptions options) {
    return new TestLoop(Objects.requireNonNull(options, "options"), 0L);
  }

  /**
   * Returns a test loop.
   *
   * @param options the loop's handlers and bounds
   * @param seed the seed of the loop's randomness (restart jitter)
   * @return the loop
   */
  public static TestLoop create(LoopOptions options, long seed) {
    return new TestLoop(Objects.requireNonNull(options, "options"), seed);
  }

  /**
   * Attaches a fault plan: every machine this loop's {@code start} methods start from now on runs
   * its definition with the plan's faults, and a listener given to {@code start} gets the plan's
   * listener faults. A definition is rewritten once per loop, so the machines of one definition
   * on this loop share the count of runs. Children that machines start themselves
   * ({@code Step.startChild}) run the definition they are given: apply the plan to it with
   * {@link FaultPlan#applyTo(MachineDefinition)}.
   *
   * @param plan the faults to inject; {@link FaultPlan#none()} detaches the plan
   * @return this loop
   * @throws IllegalArgumentException later, from {@code start}, if the plan names a state, event
   *     or call the started definition lacks
   */
  public TestLoop injecting(FaultPlan plan) {
    this.faults = Objects.requireNonNull(plan, "plan");
    faulty.clear();
    return this;
  }

  @SuppressWarnings("unchecked")
  private <C> MachineDefinition<C> withFaults(MachineDefinition<C> definition) {
    Objects.requireNonNull(definition, "definition");
    if (faults.isEmpty()) {
      return definition;
    }
    return (MachineDefinition<C>) faulty.computeIfAbsent(definition, faults::applyTo);
  }

  /**
   * Processes queued events, tasks and timers due at the current virtual time until there are none.
   *
   * @return how many timers, events and tasks it processed
   */
  public int runUntilIdle() {
    if (running) {
      return 0;
    }
    running = true;
    int total = 0;
    try {
      while (!core.isClosed()) {
        int done = core.runTurn();
        total += done;
        if (done == 0 && !core.hasQueuedWork()) {
          break;
        }
      }
    } finally {
      running = false;
    }
    if (core.isClosed() && !core.isTerminated()) {
      // close() was called from inside a callback: finish it now that no step is running
      core.finishClose();
    }
    return total;
  }

  /**
   * Moves virtual time forward, firing each timer at its own deadline, in deadline order, and
   * running what it causes before time moves on.
   *
   * @param duration how far; zero or more
   * @throws IllegalStateException if called from a callback or task running on this loop
   */
  public void advance(Duration duration) {
    Objects.requireNonNull(duration, "duration");
    if (duration.isNegative()) {
      throw new IllegalArgumentException("time only moves forward; duration was " + duration);
    }
    if (running) {
      // the run in progress would wait for this call, and this call for the run: never returning
      throw new IllegalStateException("advance(" + duration + ") called from a callback or task"
          + " of this test loop; time moves between runs only: call advance from the test itself,"
          + " or start a timer from the callback");
    }
    runUntilIdle();
    long target = saturatedAdd(clock.nanoTime(), duration);
    while (true) {
      long next = core.timers().nextDeadline();
      if (next > target) {
        break;
      }
      clock.set(Math.max(clock.nanoTime(), next));
      runUntilIdle();
    }
    clock.set(target);
    runUntilIdle();
  }

  /**
   * Moves virtual time to the deadline of the next pending timer and runs what is due then, as
   * {@link #advance(Duration)} to that moment would.
   *
   * @return how far time moved, or empty (time unchanged) when no timer is pending
   * @throws IllegalStateException if called from a callback or task running on this loop
   */
  public java.util.Optional<Duration> advanceToNextTimer() {
    runUntilIdle();
    if (core.timers().size() == 0) {
      return java.util.Optional.empty();
    }
    long next = core.timers().nextDeadline();
    Duration by = Duration.ofNanos(Math.max(0, next - clock.nanoTime()));
    advance(by);
    return java.util.Optional.of(by);
  }

  /** Saturates one short of {@code Long.MAX_VALUE}: that deadline means "never" (a clamped delay). */
  private static long saturatedAdd(long now, Duration duration) {
    try {
      return Math.min(Math.addExact(now, duration.toNanos()), Long.MAX_VALUE - 1);
    } catch (ArithmeticException overflow) {
      return Long.MAX_VALUE - 1;
    }
  }

  /** {@return how much virtual time has passed since the loop was created} */
  public Duration elapsed() {
    return Duration.ofNanos(clock.nanoTime());
  }

  /** {@return how many timers are pending} */
  @Override
  public int pendingTimers() {
    return core.timers().size();
  }

  /** {@return whether events or tasks are waiting to be processed} */
  public boolean hasPendingWork() {
    return core.hasQueuedWork();
  }

  /** {@return every failure that ended a machine on this loop, in order} */
  public List<Failure> failures() {
    return List.copyOf(failures);
  }

  /**
   * Throws the oldest failure that ended a machine started by this loop's {@code start} and has
   * not been thrown by this method yet. A child machine's failure ({@code Step.startChild}) is
   * never thrown here, though {@link #failures()} lists it: its parent handled it with a
   * {@code ChildTerminated} transition, or failed with it as its own fault, and that fault is the
   * one to see (its cause is a {@link MachineFailedException} carrying the child's report), or
   * the parent's recovery policy dealt with it.
   *
   * @throws MachineFailedException carrying the failure report
   */
  public void checkFailures() {
    while (checked < failures.size()) {
      Failure next = failures.get(checked++);
      if (topLevelFailures.contains(next)) {
        throw new MachineFailedException(next);
      }
    }
  }

  /** Records a final failure, noting whether it ended a machine this loop started itself. */
  private void record(Failure failure) {
    failures.add(failure);
    // the machine's last snapshot, published before the loop hears of the failure, holds it
    for (Machine<?> machine : topLevel) {
      if (machine.state().failure() == failure) {
        topLevelFailures.add(failure);
      }
    }
    topLevel.removeIf(TestLoop::ended);
  }

  /**
   * Whether the machine's end is fully known, asked without making its lifecycle future (every
   * machine this loop starts is the engine's own).
   */
  private static boolean ended(Machine<?> machine) {
    return ((MachineRuntime<?>) machine).ended();
  }

  private <C> Machine<C> started(Machine<C> machine) {
    if (topLevel.size() >= pruneAt) {
      // an ended machine's failure was recorded as it ended: it need not be looked at again. The
      // next pruning waits until the list has doubled, so that starting N machines costs O(N)
      topLevel.removeIf(TestLoop::ended);
      pruneAt = Math.max(1024, 2 * topLevel.size());
    }
    // a machine waiting for its reset's backoff is FAILED, yet its life goes on
    if (!ended(machine)) {
      topLevel.add(machine);
    } else if (machine.state().failure() != null) {
      topLevelFailures.add(machine.state().failure());
    }
    return machine;
  }

  /** {@return the loop's name: {@code "test-loop"}} */
  @Override
  public String name() {
    return core.name();
  }

  @Override
  public <C> Machine<C> start(MachineDefinition<C> definition, C context) {
    return started(core.startMachine(withFaults(definition), null, context, null, null, this));
  }

  @Override
  public <C> Machine<C> start(MachineDefinition<C> definition, String machineId, C context) {
    return started(core.startMachine(withFaults(definition),
        Objects.requireNonNull(machineId, "machineId"), context, null, null, this));
  }

  @Override
  public <C> Machine<C> start(MachineDefinition<C> definition, String machineId, C context,
      MachineListener<? super C> listener) {
    return started(core.startMachine(withFaults(definition),
        Objects.requireNonNull(machineId, "machineId"), context, null,
        faults.applyTo(Objects.requireNonNull(listener, "listener")), this));
  }

  @Override
  public <C> Machine<C> startDurable(MachineDefinition<C> definition, String machineId, C context,
      dev.stator.durable.Durability<C> durability) {
    return started(core.startDurable(definition, machineId, context, durability));
  }

  @Override
  public <C> Machine<C> restore(MachineDefinition<C> definition,
      dev.stator.durable.MachineImage image, dev.stator.durable.Durability<C> durability,
      dev.stator.durable.RestoreOptions options) {
    return started(core.restore(definition, image, durability, options));
  }

  @Override
  public void execute(Runnable task) {
    core.execute(task);
  }

  @Override
  public boolean inLoop() {
    return core.inLoop();
  }

  /**
   * Returns the loop's virtual clock: it reads zero when the loop is created and moves only when
   * {@link #advance(Duration)} or {@link #advanceToNextTimer()} moves it, so that it always reads
   * {@link #elapsed()} in nanoseconds. Any thread may read it.
   *
   * @return the virtual clock
   */
  @Override
  public LoopClock clock() {
    return clock;
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
  public boolean isClosed() {
    return core.isClosed();
  }

  /**
   * Stops every machine (exit actions run, futures complete) on the calling thread. Called from a
   * callback, it begins the close, which completes as soon as the current run of the loop ends.
   */
  @Override
  public void close() {
    if (!core.isTerminated()) {
      core.beginClose();
      if (!running) {
        core.finishClose();
      }
    }
  }

  /**
   * Closes like {@link #close()}: on the test loop the close runs on the calling thread and never
   * waits for another thread, so there is nothing to bound.
   *
   * @param timeout ignored, but checked: zero or more
   * @return empty
   */
  @Override
  public java.util.Optional<dev.stator.Stall> close(Duration timeout) {
    Objects.requireNonNull(timeout, "timeout");
    if (timeout.isNegative()) {
      throw new IllegalArgumentException("close(timeout): the timeout must be zero or more, not "
          + timeout);
    }
    close();
    return java.util.Optional.empty();
  }

  /**
   * {@return the loop for a test's messages: its virtual time, live machines and pending timers,
   * such as {@code TestLoop [PT2S, 1 machines, 1 timers]}}
   */
  @Override
  public String toString() {
    return "TestLoop [" + elapsed() + ", " + core.liveMachines() + " machines, "
        + pendingTimers() + " timers]";
  }

  /** A clock that moves only when told. Written on the test's thread, read from any. */
  private static final class VirtualClock implements LoopClock {
    private volatile long now;

    @Override
    public long nanoTime() {
      return now;
    }

    void set(long value) {
      now = value;
    }
  }
}
