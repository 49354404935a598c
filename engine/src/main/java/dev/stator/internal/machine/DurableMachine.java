package dev.stator.internal.machine;

import dev.stator.Failure;
import dev.stator.Phase;
import dev.stator.Status;
import dev.stator.durable.ContextCodec;
import dev.stator.durable.Durability;
import dev.stator.durable.MachineImage;
import dev.stator.durable.StepCommit;
import dev.stator.durable.StepSink;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * What makes one machine durable: its context codec and step sink, the count of its steps, and the
 * durable sends the step in progress consumes. After each step (a stop and the end of a shutdown
 * hook are steps too) it takes the machine's image and hands it to the sink with a
 * {@link StepCommit} that completes those sends; once the loop's close has begun, nothing more is
 * stored. A machine that only took durable sends has one
 * without codec or sink, and its sends complete when their step ends.
 *
 * <p>Loop-confined, but for the commit, which the sink completes from any thread.
 */
final class DurableMachine {
  private static final System.Logger LOG = System.getLogger("dev.stator.durable");
  private static final byte P_COMMIT = (byte) Phase.COMMIT.ordinal();

  private final ContextCodec<Object> codec;
  private final StepSink sink;
  /** The steps taken since the machine first started, in every process it ran in. */
  long steps;
  private List<CompletableFuture<Void>> consumed;

  @SuppressWarnings("unchecked")
  DurableMachine(Durability<?> durability, long steps) {
    this.codec = durability == null ? null : (ContextCodec<Object>) durability.codec();
    // a sink that stores nothing need not be handed an image after every step
    this.sink = durability == null || durability.sink() == Durability.NO_SINK ? null
        : durability.sink();
    this.steps = steps;
  }

  /** The machine's durable part, made (without codec or sink) for its first durable send. */
  static DurableMachine of(MachineRuntime<?> m) {
    DurableMachine durable = m.rare.durable;
    if (durable == null) {
      durable = new DurableMachine(null, 0);
      m.rare().durable = durable;
    }
    return durable;
  }

  /** {@code Machine.sendDurably}: any thread. */
  static CompletableFuture<Void> send(MachineRuntime<?> m, Object event) {
    Objects.requireNonNull(event, "event");
    CompletableFuture<Void> ack = new CompletableFuture<>();
    Control.Acked item = new Control.Acked(event, ack);
    if (m.ended()) {
      Controls.refuse(m, item, "machine has ended: " + m.state());
    } else if (!m.core.submit(m, item)) {
      Controls.refuse(m, item, "loop '" + m.core.name() + "' is closed");
    }
    return ack;
  }

  /** The step about to run consumes a durable send. */
  void consumes(CompletableFuture<Void> ack) {
    if (consumed == null) {
      consumed = new ArrayList<>(2);
    }
    consumed.add(ack);
  }

  /** A step of the machine ended: its image goes to the sink. */
  void stepEnded(MachineRuntime<?> m) {
    List<CompletableFuture<Void>> acks = consumed;
    consumed = null;
    if (sink == null) {
      if (acks != null) {
        acks.forEach(ack -> ack.complete(null));
      }
      return;
    }
    if (m.core.isClosed()) {
      // a loop's close ends its machines in this process only: the store keeps their last step,
      // so that they resume where they were when restored
      if (acks != null) {
        acks.forEach(ack -> ack.completeExceptionally(new IllegalStateException("loop '"
            + m.core.name() + "' closed before the step of machine '" + m.id()
            + "' was stored")));
      }
      return;
    }
    steps++;
    Commit commit = new Commit(m, acks);
    MachineImage image;
    try {
      image = Images.take(m, codec, steps);
    } catch (VirtualMachineError fatal) {
      throw fatal;
    } catch (Throwable unwritable) {
      commit.failed(unwritable);
      return;
    }
    try {
      sink.stepEnded(image, commit);
    } catch (VirtualMachineError fatal) {
      throw fatal;
    } catch (Throwable broken) {
      commit.failed(broken);
    }
  }

  /**
   * The sink could not store a step (loop thread): a machine that runs faults, in phase COMMIT;
   * for one that no longer runs, the loop's unobserved-failure handler hears of it.
   */
  static void commitFailed(MachineRuntime<?> m, Throwable cause) {
    if (m.status == Status.RUNNING) {
      m.resetMicrosteps();
      boolean outer = m.enterStep();
      try {
        m.phase = P_COMMIT;
        m.faults().fault(cause);
      } finally {
        m.exitStep(outer);
      }
      return;
    }
    Failure report = m.faults().report(cause, Phase.COMMIT, 0);
    m.core.failedForGood(report, false, false);
  }

  /** The outcome of one step's image; completes the step's durable sends once. */
  private static final class Commit implements StepCommit {
    private final MachineRuntime<?> machine;
    private final List<CompletableFuture<Void>> acks;
    private final AtomicBoolean done = new AtomicBoolean();

    Commit(MachineRuntime<?> machine, List<CompletableFuture<Void>> acks) {
      this.machine = machine;
      this.acks = acks;
    }

    @Override
    public void committed() {
      if (done.compareAndSet(false, true) && acks != null) {
        acks.forEach(ack -> ack.complete(null));
      }
    }

    @Override
    public void failed(Throwable cause) {
      Objects.requireNonNull(cause, "cause");
      if (!done.compareAndSet(false, true)) {
        return;
      }
      if (acks != null) {
        acks.forEach(ack -> ack.completeExceptionally(cause));
      }
      if (!machine.core.submit(machine, new Control.CommitFailed(cause))) {
        // nobody on the loop can hear of it any more: the log is the last place it can go
        LOG.log(System.Logger.Level.ERROR, "a step of machine '" + machine.id()
            + "' was not stored, and its loop '" + machine.core.name() + "' has closed", cause);
      }
    }
  }
}
