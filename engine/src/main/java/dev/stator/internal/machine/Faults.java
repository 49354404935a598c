package dev.stator.internal.machine;

import dev.stator.ChildTerminated;
import dev.stator.Failure;
import dev.stator.MachineFailedException;
import dev.stator.Phase;
import dev.stator.Status;
import dev.stator.StepLimitException;
import dev.stator.UnhandledEventException;
import dev.stator.UnhandledEventPolicy;
import dev.stator.internal.definition.StateNode;
import dev.stator.internal.definition.TransitionNode;
import dev.stator.internal.text.Describe;
import dev.stator.internal.text.ErrorTypes;
import java.util.List;

/**
 * The fault path of a {@link MachineRuntime}: handling a throwable from a callback (taking the
 * expected-error transition it matches, or entering FAILED and running recovery), which
 * throwables are fatal to the loop, and the {@link Failure} report of a fault (where the machine
 * was, which callback and call were running, the trace of its last steps).
 *
 * <p>One per machine, owned by it ({@link MachineRuntime#faults}) and made at its first fault or
 * unhandled event that is not ignored: a machine that never faults holds nothing for it, and no
 * step's hot path runs through here. Loop-confined: everything it reads and writes is the
 * machine's loop-confined state.
 */
final class Faults {
  private final MachineRuntime<?> m;

  Faults(MachineRuntime<?> machine) {
    this.m = machine;
  }

  /**
   * Handles a throwable from a callback of a step: while it matches an expected-error transition
   * of the active states, that transition is taken with the throwable as its event (a throwable
   * from there is handled the same way); otherwise it is a fault.
   */
  void handle(Throwable thrown) {
    Throwable current = thrown;
    while (true) {
      TransitionNode handler =
          m.status == Status.RUNNING ? expectedError(current) : null;
      if (handler == null) {
        fault(current);
        return;
      }
      try {
        m.microstep();
        if (m.taking != MachineRuntime.NOT_TAKING && m.leafIndex >= 0
            && m.leafIndex != m.stepSource) {
          // the interrupted transition moved the configuration: say so, so that listeners and the
          // trace see an unbroken path before the error transition leaves it
          m.record(m.stepSource, m.taking, m.leafIndex);
        }
        m.taking = MachineRuntime.NOT_TAKING;
        m.event = current;
        if (m.rare.chart != null) {
          m.rare.chart.microstep(List.of(handler));
          m.rare.chart.checkWhole();
        } else {
          m.take(handler);
        }
        m.settle();
        m.drainRaised();
        return;
      } catch (Throwable next) {
        current = next;
      }
    }
  }

  /** A fault: the machine enters FAILED and its recovery policy runs. */
  void fault(Throwable cause) {
    rethrowFatal(cause);
    Thread.interrupted();
    Failure failure = m.endings().enterFailed(cause, MachineRuntime.PHASES[m.phase]);
    dev.stator.internal.observe.Jfr.fault(m.definition.id(), failure);
    if (m.core.observation() != null) {
      m.core.observation().faulted(m.definition.id(), failure);
    }
    m.phase = MachineRuntime.P_RECOVERY;
    recovery().recover(failure, m.definition.recovery);
  }

  /** The machine's recovery, made at its first use and kept for its life (restart history). */
  Recovery recovery() {
    Recovery recovery = m.rare.recovery;
    if (recovery == null) {
      recovery = new Recovery(m.core, m.definition, m.callbacks());
      m.rare().recovery = recovery;
    }
    return recovery;
  }

  /**
   * The expected-error transition of the active leaf that {@code thrown} matches and whose guard
   * holds, or null; the guard sees {@code thrown} as the event, and the machine's event and phase
   * are restored before returning. A guard that throws makes the throwable a fault, with the
   * guard's throwable suppressed in it.
   */
  private TransitionNode expectedError(Throwable thrown) {
    StateNode leaf = m.leaf();
    if (leaf == null || thrown instanceof Error || thrown instanceof StepLimitException
        || thrown instanceof UnhandledEventException) {
      return null;
    }
    for (TransitionNode t : leaf.onError) {
      if (ErrorTypes.matches(thrown.getClass(), t.errorType)
          && (t.callId == null || isFailureOfCall(t))) {
        Object savedEvent = m.event;
        byte savedPhase = m.phase;
        m.event = thrown;
        try {
          if (t.guard == null || m.guardHolds(t)) {
            m.event = savedEvent;
            m.phase = savedPhase;
            return t;
          }
        } catch (Throwable guardFailure) {
          rethrowFatal(guardFailure);
          Recovery.suppress(thrown, guardFailure);
          m.event = savedEvent;
          m.phase = savedPhase;
          return null;
        }
        m.event = savedEvent;
        m.phase = savedPhase;
      }
    }
    return null;
  }

  /**
   * Whether the step is the failure of the call an expected error is scoped to: the error (or
   * timeout) its completion brought, for the call its source state started (or the root, whose
   * calls' transitions any state may carry).
   */
  private boolean isFailureOfCall(TransitionNode t) {
    return m.event instanceof CallCompletion completion && completion.error != null
        && (completion.call.owner == t.source || completion.call.owner == m.definition.root)
        && completion.call.id.equals(t.callId);
  }

  /**
   * Throws {@code thrown} on the fatal path if it is an error of the JVM; a stack overflow is not
   * one: it unwound the frames that overflowed, and the machine fails as on any other fault.
   */
  void rethrowFatal(Throwable thrown) {
    if (thrown instanceof VirtualMachineError fatal && !(thrown instanceof StackOverflowError)) {
      throw m.fatal(fatal);
    }
  }

  /** The active configuration's path, or the step's source between states; "" for none. */
  String configurationPath() {
    if (m.rare.chart != null) {
      return m.rare.chart.path();
    }
    int index = m.leafIndex >= 0 ? m.leafIndex : m.stepSource;
    return index >= 0 ? m.definition.states[index].path() : "";
  }

  /** The report of a fault at {@code at}: where the machine was and what it was doing. */
  Failure report(Throwable cause, Phase at, int queued) {
    return new Failure(m.id(), configurationPath(), callbackState(at),
        Describe.event(m.event), at, failingCall(at), cause,
        m.core.instantOf(m.core.now()), restartCount(), queued, m.trace());
  }

  /**
   * The state whose entry or exit action was running, or whose transition's action was, when it
   * is not the configuration the failure names anyway; else "". A transition's action runs after
   * the exits, so the configuration then is the transition's domain: a nested state's
   * self-transition would otherwise be reported against the parent alone.
   */
  private String callbackState(Phase at) {
    if (at == Phase.ACTION && m.rare.chart == null && m.taking >= 0) {
      String source = m.definition.transitions[m.taking].source.path();
      return source.equals(configurationPath()) ? "" : source;
    }
    boolean attributed = at == Phase.ENTRY || at == Phase.EXIT || at == Phase.STOP;
    if (!attributed || m.leafIndex < 0) {
      return "";
    }
    String path = m.definition.states[m.leafIndex].path();
    return path.equals(configurationPath()) ? "" : path;
  }

  /** The call a fault during CALL came from: the completion's, or the one being started. */
  private String failingCall(Phase at) {
    if (at != Phase.CALL) {
      return null;
    }
    if (m.event instanceof CallCompletion completion) {
      return completion.call.id;
    }
    return m.rare.calls == null ? null : m.rare.calls.starting();
  }

  private int restartCount() {
    return m.rare.recovery == null ? 0 : m.rare.recovery.restartCount();
  }

  /**
   * An event no transition takes: a child's failure fails the parent; otherwise the definition's
   * policy ignores it, logs it or makes it a fault.
   */
  void unhandled(Object ev) {
    if (ev instanceof ChildTerminated ended && ended.failure() != null) {
      m.phase = MachineRuntime.P_DISPATCH;
      throw new MachineFailedException(ended.failure());
    }
    UnhandledEventPolicy policy = m.definition.unhandled;
    if (policy == UnhandledEventPolicy.LOG) {
      m.core.warn("machine '" + m.id() + "' in state " + configurationPath()
          + " ignored unhandled event "
          + Describe.event(ev));
    } else if (policy == UnhandledEventPolicy.FAULT) {
      m.phase = MachineRuntime.P_DISPATCH;
      throw new UnhandledEventException("machine '" + m.id() + "' has no transition for event "
          + Describe.event(ev) + " in state " + configurationPath());
    }
  }
}
