package dev.stator.internal.machine;

import dev.stator.Status;
import dev.stator.StepLimitException;
import dev.stator.TimerHandle;
import dev.stator.durable.MachineImage;
import dev.stator.internal.definition.DefinitionCompiler;
import dev.stator.internal.definition.StateNode;
import dev.stator.internal.definition.TransitionNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The timers of one machine: the list of those it scheduled (actions' timers, call timeouts and
 * recovery's), which its states' exits and its end cancel, and the cache of its state timeouts,
 * which are made once per delayed transition and re-armed each time their state is entered.
 * When one of them fires, it decides what follows: the step of a state or action timer (and the
 * count of zero-delay chains), a call's timeout, or recovery's restart and shutdown deadline.
 *
 * <p>Loop-confined. Made when the machine schedules its first timer or enters its first state
 * with a timeout; a machine that never does has none, and its exits test one null field.
 */
final class MachineTimers {
  private final LoopServices core;
  private final MachineRuntime<?> machine;
  private final int delayedTransitions;
  /** The head of the list of scheduled timers, linked through the timers themselves. */
  private MachineTimer head;
  /**
   * The timer of each delayed transition, by {@link TransitionNode#delayIndex}: made on first use
   * and then reused every time its state is entered, so that a state timeout allocates nothing
   * and stores no reference. State timers are not on the list; exiting the state cancels them
   * through this cache, and every end of the machine (fault, stop, completion) discards them.
   */
  private MachineTimer[] stateTimers;

  MachineTimers(LoopServices core, MachineRuntime<?> machine, int delayedTransitions) {
    this.core = core;
    this.machine = machine;
    this.delayedTransitions = delayedTransitions;
  }

  /**
   * Arms the timeouts of {@code state}, just entered by incarnation {@code incarnation}; a
   * timeout of no delay continues the chain of zero-delay timers {@code firingChain} counts.
   */
  void armTimeouts(StateNode state, int incarnation, int firingChain) {
    for (TransitionNode delayed : state.after) {
      MachineTimer timer = stateTimer(state, delayed);
      timer.incarnation = incarnation;
      timer.chain = delayed.delayNanos == 0 ? firingChain + 1 : 0;
      core.timers().schedule(timer, deadlineIn(delayed.delayNanos));
    }
  }

  /** Arms one timeout of {@code state}, restored from an image, at {@code deadline}. */
  void armRestored(StateNode state, TransitionNode delayed, long deadline) {
    MachineTimer timer = stateTimer(state, delayed);
    timer.incarnation = machine.incarnation;
    timer.chain = 0;
    core.timers().schedule(timer, deadline);
  }

  /**
   * The pending timers that an image keeps: state timeouts, actions' timers and recovery's
   * restart. A call's timeout goes with its call, and a shutdown's deadline with the shutdown,
   * which a restore does not resume.
   *
   * @throws IllegalStateException for an action's timer whose event is neither a string nor an
   *     enum constant: an image names no class, so it cannot carry a record
   */
  List<MachineImage.PendingTimer> images() {
    List<MachineImage.PendingTimer> images = new ArrayList<>();
    MachineTimer[] cache = stateTimers;
    if (cache != null) {
      for (MachineTimer timer : cache) {
        if (timer != null && timer.isPending()) {
          StateNode owner = timer.owner;
          images.add(new MachineImage.PendingTimer(MachineImage.TimerKind.STATE_TIMEOUT,
              owner.path(), java.util.Arrays.asList(owner.after).indexOf(timer.transition), null,
              null, core.instantOf(timer.deadline()),
              Duration.ofNanos(timer.transition.delayNanos)));
        }
      }
    }
    for (MachineTimer timer = head; timer != null; timer = timer.nextOfMachine) {
      Duration left = Duration.ofNanos(Math.max(0, timer.deadline() - core.now()));
      if (timer.kind == MachineTimer.Kind.RESTART) {
        images.add(new MachineImage.PendingTimer(MachineImage.TimerKind.RESTART, null, 0, null,
            null, core.instantOf(timer.deadline()), left));
      } else if (timer.kind == MachineTimer.Kind.ACTION) {
        Object event = timer.event;
        if (!(event instanceof String) && !(event instanceof Enum<?>)) {
          throw new IllegalStateException("machine '" + machine.id() + "' has a timer that will"
              + " deliver " + dev.stator.internal.text.Describe.event(event) + " of "
              + event.getClass().getName() + "; an image keeps only timers of string and enum"
              + " events (it names no class to load)");
        }
        images.add(new MachineImage.PendingTimer(MachineImage.TimerKind.ACTION, null, 0,
            event instanceof Enum<?> constant ? constant.name() : (String) event,
            event instanceof Enum<?> constant ? constant.getDeclaringClass().getName() : null,
            core.instantOf(timer.deadline()), left));
      }
    }
    images.sort(java.util.Comparator.comparing(MachineImage.PendingTimer::deadline));
    return images;
  }

  private MachineTimer stateTimer(StateNode state, TransitionNode delayed) {
    MachineTimer[] cache = stateTimers;
    if (cache == null) {
      cache = new MachineTimer[delayedTransitions];
      stateTimers = cache;
    }
    MachineTimer timer = cache[delayed.delayIndex];
    if (timer == null) {
      timer = new MachineTimer(machine, MachineTimer.Kind.STATE, 0, state, delayed, null);
      cache[delayed.delayIndex] = timer;
    }
    return timer;
  }

  private long deadlineIn(long delayNanos) {
    long now = core.now();
    return delayNanos > Long.MAX_VALUE - now ? Long.MAX_VALUE : now + delayNanos;
  }

  /** Schedules {@code timer} to fire in {@code delayNanos}, on the machine's list. */
  void schedule(MachineTimer timer, long delayNanos) {
    scheduleAt(timer, deadlineIn(delayNanos));
  }

  /**
   * Schedules {@code timer} at {@code deadline} on the loop's clock, on the machine's list; a
   * deadline past fires at the next turn, in deadline order with the others.
   */
  void scheduleAt(MachineTimer timer, long deadline) {
    timer.nextOfMachine = head;
    if (head != null) {
      head.prevOfMachine = timer;
    }
    head = timer;
    core.timers().schedule(timer, deadline);
  }

  /** Takes a timer off the machine's list: it fired, or is cancelled. */
  void unlink(MachineTimer timer) {
    if (timer.prevOfMachine != null) {
      timer.prevOfMachine.nextOfMachine = timer.nextOfMachine;
    } else if (head == timer) {
      head = timer.nextOfMachine;
    }
    if (timer.nextOfMachine != null) {
      timer.nextOfMachine.prevOfMachine = timer.prevOfMachine;
    }
    timer.prevOfMachine = null;
    timer.nextOfMachine = null;
  }

  /** Cancels {@code timer}; returns whether it was still pending. */
  boolean cancel(MachineTimer timer) {
    boolean pending = core.timers().cancel(timer);
    unlink(timer);
    return pending;
  }

  /** {@code state} was exited: cancels its timeouts and the timers scheduled for it. */
  void exited(StateNode state) {
    MachineTimer[] cache = stateTimers;
    if (state.after.length > 0 && cache != null) {
      for (TransitionNode delayed : state.after) {
        MachineTimer timer = cache[delayed.delayIndex];
        if (timer != null) {
          core.timers().cancel(timer);
        }
      }
    }
    MachineTimer timer = head;
    while (timer != null) {
      MachineTimer next = timer.nextOfMachine;
      if (timer.owner == state) {
        cancel(timer);
      }
      timer = next;
    }
  }

  /** The machine ended (or failed): no timer of it fires any more. */
  void cancelAll() {
    while (head != null) {
      cancel(head);
    }
    MachineTimer[] cache = stateTimers;
    if (cache != null) {
      for (MachineTimer timer : cache) {
        if (timer != null) {
          core.timers().discard(timer);
        }
      }
      stateTimers = null;
    }
  }

  // ---------------------------------------------------------------- firing

  /**
   * A timer of this machine fired: a state or action timer takes its step, a call timeout
   * completes its call, and recovery's timers go back to recovery. A timer of an earlier
   * incarnation does nothing.
   */
  void expired(MachineTimer timer) {
    unlink(timer);
    MachineRuntime<?> m = machine;
    if (timer.incarnation != m.incarnation) {
      return;
    }
    switch (timer.kind) {
      case STATE -> {
        if (m.status == Status.RUNNING) {
          timedStep(timer, timer.transition.timeout, timer.transition);
        }
      }
      case ACTION -> {
        if (m.status == Status.RUNNING) {
          timedStep(timer, timer.event, null);
        }
      }
      case RESTART -> m.rare.recovery.restartNow();
      case CALL_TIMEOUT -> {
        CallCompletion timedOut =
            m.rare.calls.timedOut((PendingCall) timer.event, m.status == Status.RUNNING);
        if (timedOut != null) {
          m.step(timedOut, null);
        }
      }
      case SHUTDOWN_DEADLINE -> m.rare.recovery.shutdownDeadlinePassed();
    }
  }

  /**
   * Takes the step of a state or action timer, counting chains of zero-delay timers: each timer
   * armed with no delay during this step continues the chain, and a chain longer than the
   * micro-step bound is a fault, as an eventless loop is, rather than a loop that never lets time
   * move on (a state whose {@code after(0)} re-enters itself).
   */
  private void timedStep(MachineTimer timer, Object ev, TransitionNode timed) {
    int chain = timer.chain;
    if (chain > core.options().maxMicrosteps()) {
      faultInStep(ev, new StepLimitException("machine '" + machine.id() + "' fired more than "
          + core.options().maxMicrosteps() + " timers of zero delay in a row, each arming the next;"
          + " last in state " + machine.faults().configurationPath()
          + " (a zero-delay cycle never lets time move on; give one of its delays a length)"));
      return;
    }
    core.firingChain(chain);
    try {
      machine.step(ev, timed);
    } finally {
      core.firingChain(0);
    }
  }

  /** Faults the machine as if {@code cause} had been thrown by a timer's step on {@code ev}. */
  private void faultInStep(Object ev, Throwable cause) {
    MachineRuntime<?> m = machine;
    m.resetMicrosteps();
    boolean outer = m.enterStep();
    try {
      m.event = ev;
      m.phase = MachineRuntime.P_TIMER;
      m.faults().handle(cause);
    } finally {
      m.exitStep(outer);
    }
  }

  /**
   * Starts an action's timer for {@code m} ({@link dev.stator.Step#startTimer}); one of no delay
   * continues the chain of zero-delay timers firing now.
   */
  static TimerHandle startActionTimer(MachineRuntime<?> m, Duration delay, Object event) {
    Objects.requireNonNull(delay, "delay");
    Objects.requireNonNull(event, "event");
    m.checkInLoop("start a timer");
    m.checkRunning("start a timer");
    MachineTimer timer = new MachineTimer(m, MachineTimer.Kind.ACTION, m.incarnation, null, null,
        event);
    long nanos = DefinitionCompiler.saturatedNanos(delay);
    timer.chain = nanos == 0 ? m.core.firingChain() + 1 : 0;
    m.timers().schedule(timer, nanos);
    return timer;
  }
}
