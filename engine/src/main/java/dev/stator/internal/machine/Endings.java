package dev.stator.internal.machine;

import dev.stator.ChildTerminated;
import dev.stator.Failure;
import dev.stator.LifecycleEvent;
import dev.stator.MachineFailedException;
import dev.stator.Phase;
import dev.stator.StateSnapshot;
import dev.stator.Status;
import dev.stator.Termination;
import dev.stator.internal.definition.StateNode;
import dev.stator.internal.observe.Jfr;

/**
 * How a {@link MachineRuntime} ends: entering FAILED at a fault, the final failure once recovery
 * gives up, completion and stop (with the stop's exit actions), abandoning a machine whose start
 * never ran, and the fatal path's end without callbacks. It owns the order in which an end is made
 * known (published state, live list, lifecycle future, listeners, parent) and what is dropped or
 * cancelled on the way: raised and early events, timers, calls, channels and children.
 *
 * <p>One per machine, owned by it ({@link MachineRuntime#endings}) and made when it first needs
 * one: an idle machine holds nothing for its end, and no step's hot path runs through here. The
 * loop reaches a machine's end only through the public methods here: {@link #abandon},
 * {@link #refused}, {@link #terminateForClose} and {@link #failWithoutCallbacks}. Loop-confined, as
 * the machine's state it reads and writes is, except {@link #abandon} and {@link #refused}, which
 * may run on a sender's thread once the loop has ended (the machine never ran, so nothing of it
 * runs at the same time).
 *
 * @param <C> the machine's context type
 */
public final class Endings<C> {
  private final MachineRuntime<C> m;

  Endings(MachineRuntime<C> machine) {
    this.m = machine;
  }

  /**
   * Enters FAILED at a fault: builds the report, then cancels what the incarnation started, stops
   * the children, drops the raised events and publishes the failed state; recovery decides what
   * comes next.
   */
  Failure enterFailed(Throwable cause, Phase at) {
    Failure failure = m.faults().report(cause, at,
        (m.rare.raised == null ? 0 : m.rare.raised.size()) + m.core.queuedFor(m));
    m.status = Status.FAILED;
    cancelAllStarted();
    stopChildren();
    dropRaised("machine FAILED");
    m.publishEnded(new StateSnapshot(Status.FAILED, failure.state(), failure));
    return failure;
  }

  /** The machine ends FAILED for good: recovery gave up, or had nothing to try. */
  void finishFailed(Failure failure, boolean escalate) {
    if (m.ended()) {
      return;
    }
    m.status = Status.FAILED;
    if (m.rare.recovery != null) {
      m.rare.recovery.ended();
    }
    cancelAllStarted();
    stopChildren();
    StateSnapshot last = m.state().status() == Status.FAILED && m.state().failure() == failure
        ? m.state() : new StateSnapshot(Status.FAILED, failure.state(), failure);
    boolean observed = m.lifecycleObserved() || !m.listeners.isEmpty()
        || m.parent != null;
    announceEnd(last, null, new MachineFailedException(failure));
    MachineRuntime<?> supervisor = m.parent;
    m.core.failedForGood(failure, observed, escalate && supervisor == null);
    if (supervisor != null) {
      childEnded(supervisor, new ChildTerminated(m.id(), Status.FAILED, failure));
    }
  }

  /**
   * A machine restored as FAILED for good: its end is made known again (published state, lifecycle
   * future, listeners), but the loop's unobserved-failure handler is not told a second time.
   */
  void restoredFailed(Failure failure) {
    m.status = Status.FAILED;
    announceEnd(new StateSnapshot(Status.FAILED, failure.state(), failure), null,
        new MachineFailedException(failure));
  }

  /** The machine ends COMPLETED or STOPPED at {@code path}. */
  void finishNormally(Status end, String path) {
    finishNormally(end, path, java.util.Set.of());
  }

  /** The machine ends COMPLETED or STOPPED at {@code path}, whose states have {@code tags}. */
  void finishNormally(Status end, String path, java.util.Set<String> tags) {
    finishNormally(end, path.isEmpty() ? java.util.List.of() : java.util.List.of(path), tags,
        null);
  }

  /** A machine restored from the image of one that had ended normally, with the leaves it had. */
  void finishRestored(Status end, java.util.List<String> leaves) {
    finishNormally(end, leaves, java.util.Set.of(), null);
  }

  /**
   * The machine completes, its root done: the states still active exit ({@code exiting},
   * innermost and last first), then the root, and the machine's output is computed, all in the
   * step that completed it, so that a fault there is the step's like any other.
   */
  void complete(java.util.List<StateNode> exiting, java.util.List<String> leaves,
      java.util.Set<String> tags) throws Exception {
    // the final state reached: where the root's exit, the output and what follows are reported
    int reached = m.leafIndex;
    m.phase = MachineRuntime.P_EXIT;
    for (StateNode state : exiting) {
      m.leafIndex = state.index;
      m.runActions(state.exit);
    }
    m.leafIndex = reached;
    m.runActions(m.definition.rootExit);
    Object output = m.definition.output == null ? null : m.definition.output.compute(m.context, m);
    // the done events of the regions that completed the machine: their news is the end itself, so
    // they are not dead letters (what the step's actions raised still is)
    if (m.rare.raised != null) {
      m.rare.raised.removeIf(raised -> raised instanceof dev.stator.StateDone);
    }
    finishNormally(Status.COMPLETED, leaves, tags, output);
  }

  private void finishNormally(Status end, java.util.List<String> leaves,
      java.util.Set<String> tags, Object output) {
    String path = String.join(", ", leaves);
    m.status = end;
    cancelAllStarted();
    stopChildren();
    dropRaised("machine " + end);
    dropEarly("machine " + end + " before it started");
    announceEnd(new StateSnapshot(end, path, null, leaves, tags),
        new Termination<>(m.id(), end, path, typedContext(), output), null);
    if (m.parent != null) {
      childEnded(m.parent, new ChildTerminated(m.id(), end, null));
    }
  }

  /**
   * Makes the end known, in this order: the published state, the loop's list of live machines,
   * the lifecycle future, the listeners' last steps, then their {@code onTerminated}.
   */
  private void announceEnd(StateSnapshot last,
      Termination<C> termination, Throwable failure) {
    m.publishEnded(last);
    m.core.unregister(m);
    Jfr.machineEnded(m.definition.id(), m.id(), last);
    completeLifecycle(termination, failure);
    if (m.rare.notifications != null && !m.rare.notifications.isEmpty()) {
      MachineListeners.deliverPending(m);
    }
    m.listeners.terminated(m.core, m, last);
  }

  @SuppressWarnings("unchecked")
  private C typedContext() {
    return (C) m.context;
  }

  /**
   * Completes the lifecycle future, whose dependents may run here, on the loop thread: what they
   * leave behind (the interrupt flag) is theirs, not the next machine's.
   */
  private void completeLifecycle(Termination<C> termination,
      Throwable failure) {
    if (failure == null) {
      m.lifecycle().succeed(termination);
    } else {
      m.lifecycle().fail(failure);
    }
    m.core.clearInterrupt("a dependent of the lifecycle future of machine ", m.id());
  }

  private void childEnded(MachineRuntime<?> parent, ChildTerminated ended) {
    if (parent.rare.children != null) {
      parent.rare.children.remove(m);
    }
    if (!parent.ended()) {
      parent.core.submit(parent, ended);
    }
  }

  /** Ends everything the incarnation started: timers, calls and channel registrations. */
  private void cancelAllStarted() {
    if (m.timers != null) {
      m.timers.cancelAll();
    }
    if (m.rare.calls != null && m.rare.calls.pending()) {
      m.rare.calls.cancel(null);
    }
    if (m.rare.io != null && m.rare.io.active()) {
      m.rare.io.cancel((StateNode) null);
    }
  }

  /** Stops every descendant, deepest first (see {@link Children#stopDescendants}). */
  private void stopChildren() {
    if (m.rare.children != null && !m.rare.children.isEmpty()) {
      Children.stopDescendants(m);
    }
  }

  void dropEarly(String reason) {
    if (m.rare.early != null) {
      Object dropped;
      while ((dropped = m.rare.early.poll()) != null) {
        if (dropped instanceof Control.Acked acked) {
          Controls.refuse(m, acked, reason);
        } else {
          m.core.deadLetter(m.id(), dropped, reason);
        }
      }
    }
  }

  private void dropRaised(String reason) {
    if (m.rare.raised != null) {
      Object dropped;
      while ((dropped = m.rare.raised.poll()) != null) {
        m.core.deadLetter(m.id(), dropped, reason);
      }
    }
  }

  /** Stops the machine: exit actions innermost first, then STOPPED. */
  void stopNow(boolean loopClosing) {
    switch (m.status) {
      // not registered yet: a machine joins the loop's live list when its start runs
      case STARTING -> finishNormally(Status.STOPPED, "");
      case RUNNING -> {
        String path = m.faults().configurationPath();
        m.event = LifecycleEvent.STOP;
        boolean outer = m.enterStep();
        try {
          stopChildren();
          if (m.rare.chart != null) {
            m.rare.chart.exitAll();
          } else {
            for (StateNode state = m.leaf(); state != null; state = state.parent) {
              m.phase = MachineRuntime.P_STOP;
              m.runActions(state.exit);
            }
          }
          // children an exit action started are stopped by finishNormally, or finishFailed
          if (Thread.interrupted()) {
            throw new InterruptedException("an exit action of machine '" + m.id()
                + "' left the loop thread's interrupt flag set; the loop cleared it");
          }
          finishNormally(Status.STOPPED, path);
        } catch (Throwable t) {
          m.faults().rethrowFatal(t);
          finishFailed(enterFailed(t, Phase.STOP), true);
        } finally {
          m.exitStep(outer);
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

  /** Called when the loop closes with this machine registered: it stops, and is unregistered. */
  public void terminateForClose() {
    stopNow(true);
    m.core.unregister(m);
  }

  /**
   * A machine whose START never ran (its loop closed first): it ends stopped, and its listeners
   * (a listener given to {@code start} is attached before the start is queued) hear of it. This
   * runs on the loop thread as the loop ends, or on a sender's thread that found the loop already
   * ended; the machine never ran, so nothing of it can run at the same time.
   */
  public void abandon() {
    if (!m.ended()) {
      if (m.core.inLoop()) {
        dropEarly("machine STOPPED before it started");
      }
      StateSnapshot last = new StateSnapshot(Status.STOPPED, "", null);
      m.publishEnded(last);
      m.status = Status.STOPPED;
      Jfr.machineEnded(m.definition.id(), m.id(), last);
      completeLifecycle(new Termination<>(m.id(), Status.STOPPED, "", typedContext()), null);
      m.listeners.terminated(m.core, m, last);
    }
  }

  /**
   * An item the loop refused as it ended (closed, or on its fatal path): a start that never ran
   * ends the machine (failed, after a fatal error), an event is a dead letter, and the engine's
   * own controls are dropped.
   *
   * @param fatalError the error of the loop's fatal path, or null
   */
  public void refused(Object item, Throwable fatalError) {
    boolean start = item == Control.START || item instanceof Control.Restore;
    if (start && fatalError != null) {
      // the fatal path runs no user code: a machine that never started fails like the others
      failWithoutCallbacks(fatalError, false);
    } else if (start) {
      abandon();
    } else if (item instanceof Control.Acked acked) {
      Controls.refuse(m, acked, "loop '" + m.core.name() + "' closed");
    } else if (item instanceof Control.Snapshot request) {
      request.image.completeExceptionally(new IllegalStateException("loop '" + m.core.name()
          + "' closed before the image of machine '" + m.id() + "' was taken"));
    } else if (!(item instanceof Control)) {
      m.core.deadLetter(m.id(), item, "loop '" + m.core.name() + "' closed");
    }
  }

  /** The fatal path: end without running user code; null for a machine that had ended already. */
  public Failure failWithoutCallbacks(Throwable error, boolean culprit) {
    if (m.ended()) {
      // a child stopped before its start ran, whose start the fatal path now finds queued
      return null;
    }
    Throwable cause = culprit ? error : new IllegalStateException("loop '" + m.core.name()
        + "' stopped on a fatal error in another machine", error);
    int queued = m.rare.raised == null ? 0 : m.rare.raised.size();
    Phase at = culprit ? m.currentPhase() : Phase.DISPATCH;
    Failure failure = m.faults().report(cause, at, queued);
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
    cancelAllStarted();
    dropRaised("loop stopped on a fatal error");
    dropEarly("loop stopped on a fatal error");
    StateSnapshot last = new StateSnapshot(Status.FAILED, failure.state(), failure);
    m.publishEnded(last);
    m.core.unregister(m);
    Jfr.machineEnded(m.definition.id(), m.id(), last);
    completeLifecycle(null, new MachineFailedException(failure));
    // the fatal path tells the fatal-failure handler once, for the whole loop
    m.core.failedForGood(failure, true, false);
    return failure;
  }
}
