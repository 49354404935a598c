package dev.stator.internal.machine;

import dev.stator.Status;
import dev.stator.internal.observe.Jfr;
import java.util.ArrayDeque;

/**
 * Takes a machine's {@link Control} items on its loop thread: its start (or its restore from an
 * image), a stop, the end of recovery's shutdown hook, and the durable items (a send waiting for
 * its commit, a request for the image, a commit that failed). Kept apart from
 * {@link MachineRuntime}, whose hot path never comes here.
 */
final class Controls {
  private Controls() {
  }

  static void take(MachineRuntime<?> m, Control control) {
    if (control == Control.START) {
      start(m, null);
    } else if (control instanceof Control.Restore restore) {
      start(m, restore.plan);
    } else if (control == Control.STOP) {
      inStep(m, () -> m.endings().stopNow(false));
    } else if (control instanceof Control.Acked acked) {
      acked(m, acked);
    } else if (control instanceof Control.Snapshot request) {
      Images.answer(m, request);
    } else if (control instanceof Control.CommitFailed failed) {
      DurableMachine.commitFailed(m, failed.error);
    } else {
      // the end of recovery's shutdown hook
      inStep(m, () -> m.rare.recovery.shutdownHookDone(control.error));
    }
  }

  /** The machine's start, or its resume from an image ({@code plan} not null). */
  private static void start(MachineRuntime<?> m, Restorer.Plan plan) {
    if (!startable(m)) {
      return;
    }
    m.core.register(m);
    Jfr.machineStarted(m.definition.id(), m, m.core.name());
    if (plan == null) {
      m.begin();
    } else {
      Restorer.resume(m, plan);
    }
    deliverEarlyEvents(m);
  }

  /**
   * Runs what ends or changes a machine outside an event's step (a stop, the end of a shutdown
   * hook) as a step of its own, so that what follows every step follows it too: the flight
   * recorder and the loop's observer time it, and a durable machine's sink receives its image.
   */
  private static void inStep(MachineRuntime<?> m, Runnable change) {
    m.resetMicrosteps();
    boolean outer = m.enterStep();
    try {
      change.run();
    } finally {
      m.exitStep(outer);
    }
  }

  /** Whether a start or restore may run: not yet started, and the loop still running. */
  private static boolean startable(MachineRuntime<?> m) {
    if (m.status != Status.STARTING || m.ended()) {
      return false;
    }
    if (m.core.isTerminated()) {
      m.endings().abandon();
      return false;
    }
    return true;
  }

  private static void acked(MachineRuntime<?> m, Control.Acked acked) {
    if (m.status == Status.RUNNING) {
      DurableMachine.of(m).consumes(acked.ack);
      m.step(acked.event, null);
    } else if (m.status == Status.STARTING && !m.ended()) {
      if (m.rare.early == null) {
        m.rare().early = new ArrayDeque<>();
      }
      m.rare.early.add(acked);
    } else {
      refuse(m, acked, "machine is " + m.status);
    }
  }

  /** A durable send that will never be consumed: a dead letter, and its sender told. */
  static void refuse(MachineRuntime<?> m, Control.Acked acked, String why) {
    m.core.deadLetter(m.id(), acked.event, why);
    acked.ack.completeExceptionally(new IllegalStateException("event "
        + dev.stator.internal.text.Describe.event(acked.event) + " to machine '" + m.id()
        + "' was not consumed: " + why));
  }

  private static void deliverEarlyEvents(MachineRuntime<?> m) {
    if (m.rare.early != null) {
      ArrayDeque<Object> queued = m.rare.early;
      m.rare().early = null;
      for (Object item : queued) {
        m.deliver(item);
      }
    }
  }
}
