package dev.stator.internal;

import dev.stator.ChildTerminated;
import dev.stator.Failure;
import dev.stator.LifecycleEvent;
import dev.stator.MachineFailedException;
import dev.stator.Phase;
import dev.stator.StateSnapshot;
import dev.stator.Status;
import dev.stator.Termination;

/**
 * How a {@link MachineRuntime} ends: entering FAILED at a fault, the final failure once recovery
 * gives up, completion and stop (with the stop's exit actions), abandoning a machine whose start
 * never ran, and the fatal path's end without callbacks. It owns the order in which an end is made
 * known (published state, live list, lifecycle future, listeners, parent) and what is dropped or
 * cancelled on the way: raised and early events, timers, calls, channels and children.
 *
 * <p>Static methods over the machine, not an object of its own: an idle machine holds nothing for
 * its end, and no step's hot path runs through here. Loop-confined, as the machine's state it
 * reads and writes is, except {@link #abandon}, which may run on a sender's thread once the loop
 * has ended (the machine never ran, so nothing of it runs at the same time).
 */
final class Endings {
  private Endings() {
  }

  /**
   * Enters FAILED at a fault: builds the report, then cancels what the incarnation started, stops
   * the children, drops the raised events and publishes the failed state; recovery decides what
   * comes next.
   */
  static Failure enterFailed(MachineRuntime<?> m, Throwable cause, Phase at) {
    Failure failure = Faults.report(m, cause, at,
        (m.rare.raised == null ? 0 : m.rare.raised.size()) + m.core.queuedFor(m));
    m.status = Status.FAILED;
    m.cancelAllStarted();
    stopChildren(m);
    dropRaised(m, "machine FAILED");
    m.publishEnded(new StateSnapshot(Status.FAILED, failure.state(), failure));
    return failure;
  }

  /** The machine ends FAILED for good: recovery gave up, or had nothing to try. */
  static <C> void finishFailed(MachineRuntime<C> m, Failure failure, boolean escalate) {
    if (m.lifecycle.isDone()) {
      return;
    }
    m.status = Status.FAILED;
    if (m.rare.recovery != null) {
      m.rare.recovery.ended();
    }
    m.cancelAllStarted();
    stopChildren(m);
    StateSnapshot last = m.state().status() == Status.FAILED && m.state().failure() == failure
        ? m.state() : new StateSnapshot(Status.FAILED, failure.state(), failure);
    boolean observed = m.lifecycle.getNumberOfDependents() > 0 || !m.listeners.isEmpty()
        || m.parent != null;
    announceEnd(m, last, null, new MachineFailedException(failure));
    if (!observed) {
      m.core.unobserved(failure);
    }
    m.core.finalFailure(failure);
    MachineRuntime<?> supervisor = m.parent;
    if (supervisor != null) {
      childEnded(supervisor, m, new ChildTerminated(m.id(), Status.FAILED, failure));
    } else if (escalate) {
      m.core.escalateToLoop(failure);
    }
  }

  /** The machine ends COMPLETED or STOPPED at {@code path}. */
  static <C> void finishNormally(MachineRuntime<C> m, Status end, String path) {
    m.status = end;
    m.cancelAllStarted();
    stopChildren(m);
    dropRaised(m, "machine " + end);
    dropEarly(m, "machine " + end + " before it started");
    announceEnd(m, new StateSnapshot(end, path, null),
        new Termination<>(m.id(), end, path, typedContext(m)), null);
    if (m.parent != null) {
      childEnded(m.parent, m, new ChildTerminated(m.id(), end, null));
    }
  }

  /**
   * Makes the end known, in this order: the published state, the loop's list of live machines,
   * the lifecycle future, the listeners' last steps, then their {@code onTerminated}.
   */
  private static <C> void announceEnd(MachineRuntime<C> m, StateSnapshot last,
      Termination<C> termination, Throwable failure) {
    m.publishEnded(last);
    m.core.unregister(m);
    completeLifecycle(m, termination, failure);
    if (m.rare.notifications != null && !m.rare.notifications.isEmpty()) {
      m.deliverNotifications();
    }
    m.listeners.terminated(m.core, m, last);
  }

  @SuppressWarnings("unchecked")
  private static <C> C typedContext(MachineRuntime<C> m) {
    return (C) m.context;
  }

  /**
   * Completes the lifecycle future, whose dependents may run here, on the loop thread: what they
   * leave behind (the interrupt flag) is theirs, not the next machine's.
   */
  private static <C> void completeLifecycle(MachineRuntime<C> m, Termination<C> termination,
      Throwable failure) {
    if (failure == null) {
      m.lifecycle.succeed(termination);
    } else {
      m.lifecycle.fail(failure);
    }
    m.core.clearInterrupt("a dependent of the lifecycle future of machine ", m.id());
  }

  private static void childEnded(MachineRuntime<?> parent, MachineRuntime<?> child,
      ChildTerminated ended) {
    if (parent.rare.children != null) {
      parent.rare.children.remove(child);
    }
    if (!parent.lifecycle.isDone()) {
      parent.core.submit(parent, ended);
    }
  }

  /** Stops every descendant, deepest first (see {@link Children#stopDescendants}). */
  private static void stopChildren(MachineRuntime<?> m) {
    if (m.rare.children != null && !m.rare.children.isEmpty()) {
      Children.stopDescendants(m);
    }
  }

  static void dropEarly(MachineRuntime<?> m, String reason) {
    if (m.rare.early != null) {
      Object dropped;
      while ((dropped = m.rare.early.poll()) != null) {
        m.core.deadLetter(m.id(), dropped, reason);
      }
    }
  }

  private static void dropRaised(MachineRuntime<?> m, String reason) {
    if (m.rare.raised != null) {
      Object dropped;
      while ((dropped = m.rare.raised.poll()) != null) {
        m.core.deadLetter(m.id(), dropped, reason);
      }
    }
  }

  /** Stops the machine: exit actions innermost first, then STOPPED. */
  static void stopNow(MachineRuntime<?> m, boolean loopClosing) {
    switch (m.status) {
      case STARTING -> {
        m.core.unregister(m);
        finishNormally(m, Status.STOPPED, "");
      }
      case RUNNING -> {
        String path = Faults.configurationPath(m);
        m.event = LifecycleEvent.STOP;
        boolean outer = m.enterStep();
        try {
          stopChildren(m);
          if (m.rare.chart != null) {
            m.rare.chart.exitAll();
          } else {
            for (StateNode state = m.leaf(); state != null; state = state.parent) {
              m.phase = MachineRuntime.P_STOP;
              m.runActions(state.exit);
            }
          }
          stopChildren(m);
          if (Thread.interrupted()) {
            throw new InterruptedException("an exit action of machine '" + m.id()
                + "' left the loop thread's interrupt flag set; the loop cleared it");
          }
          finishNormally(m, Status.STOPPED, path);
        } catch (Throwable t) {
          Faults.rethrowFatal(m, t);
          finishFailed(m, enterFailed(m, t, Phase.STOP), true);
        } finally {
          if (outer) {
            m.core.stepping = false;
            m.core.activity.steps--;
            m.core.current = null;
          }
        }
      }
      case FAILED -> {
        if (m.rare.recovery != null) {
          m.rare.recovery.stop(loopClosing);
        }
      }
      default -> { }
    }
  }

  /** Called when the loop closes with this machine registered. */
  static void terminateForClose(MachineRuntime<?> m) {
    stopNow(m, true);
    m.core.unregister(m);
  }

  /**
   * A machine whose START never ran (its loop closed first): it ends stopped, and its listeners
   * (a listener given to {@code start} is attached before the start is queued) hear of it. This
   * runs on the loop thread as the loop ends, or on a sender's thread that found the loop already
   * ended; the machine never ran, so nothing of it can run at the same time.
   */
  static <C> void abandon(MachineRuntime<C> m) {
    if (!m.lifecycle.isDone()) {
      if (m.core.inLoop()) {
        dropEarly(m, "machine STOPPED before it started");
      }
      StateSnapshot last = new StateSnapshot(Status.STOPPED, "", null);
      m.publishEnded(last);
      m.status = Status.STOPPED;
      completeLifecycle(m, new Termination<>(m.id(), Status.STOPPED, "", typedContext(m)), null);
      m.listeners.terminated(m.core, m, last);
    }
  }

  /** The fatal path: end without running user code; null for a machine that had ended already. */
  static Failure failWithoutCallbacks(MachineRuntime<?> m, Throwable error, boolean culprit) {
    if (m.lifecycle.isDone()) {
      // a child stopped before its start ran, whose start the fatal path now finds queued
      return null;
    }
    Throwable cause = culprit ? error : new IllegalStateException("loop '" + m.core.name()
        + "' stopped on a fatal error in another machine", error);
    int queued = m.rare.raised == null ? 0 : m.rare.raised.size();
    Phase at = culprit ? m.currentPhase() : Phase.DISPATCH;
    Failure failure = Faults.report(m, cause, at, queued);
    m.status = Status.FAILED;
    // the fatal path runs no user code: queued listener calls are dropped, children are failed
    // by the same path (every registered machine is)
    if (m.rare.notifications != null) {
      m.rare.notifications.clear();
    }
    if (m.rare.children != null) {
      m.rare.children.forget();
    }
    if (m.rare.recovery != null) {
      m.rare.recovery.ended();
    }
    m.cancelAllStarted();
    dropRaised(m, "loop stopped on a fatal error");
    dropEarly(m, "loop stopped on a fatal error");
    m.publishEnded(new StateSnapshot(Status.FAILED, failure.state(), failure));
    m.core.unregister(m);
    completeLifecycle(m, null, new MachineFailedException(failure));
    m.core.finalFailure(failure);
    return failure;
  }
}
