package dev.stator.internal.machine;

import dev.stator.StateSnapshot;
import dev.stator.Status;
import dev.stator.durable.ContextCodec;
import dev.stator.durable.MachineImage;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * Takes a machine's {@link MachineImage} between two of its steps, on its loop thread: the
 * configuration and history memory (by paths), the context through its codec, the pending timers
 * and calls, and the restart history, with every time on the loop's wall clock.
 */
final class Images {
  private Images() {
  }

  /** {@code Machine.snapshot}: any thread; answered between two of the machine's steps. */
  @SuppressWarnings("unchecked")
  static CompletableFuture<MachineImage> request(MachineRuntime<?> m, ContextCodec<?> codec) {
    Objects.requireNonNull(codec, "codec");
    CompletableFuture<MachineImage> image = new CompletableFuture<>();
    if (!m.core.submit(m, new Control.Snapshot((ContextCodec<Object>) codec, image))) {
      image.completeExceptionally(new IllegalStateException("loop '" + m.core.name()
          + "' is closed; cannot take the image of machine '" + m.id() + "'"));
    }
    return image;
  }

  static void answer(MachineRuntime<?> m, Control.Snapshot request) {
    try {
      long steps = m.rare.durable == null ? 0 : m.rare.durable.steps;
      request.image.complete(take(m, request.codec, steps));
    } catch (VirtualMachineError fatal) {
      throw fatal;
    } catch (Throwable t) {
      request.image.completeExceptionally(t);
    }
  }

  /**
   * Takes the image of {@code m}, which is between steps.
   *
   * @throws IllegalStateException if the machine cannot be saved (it has not started, it
   *     supervises children, an action's timer carries an event of another kind than a string or
   *     enum constant)
   * @throws Exception what the codec throws
   */
  static MachineImage take(MachineRuntime<?> m, ContextCodec<Object> codec, long steps)
      throws Exception {
    Status status = m.status;
    if (status == Status.STARTING) {
      throw new IllegalStateException("machine '" + m.id() + "' has not started; an image is taken"
          + " after its start");
    }
    if (m.rare.children != null && !m.rare.children.isEmpty()) {
      throw new IllegalStateException("machine '" + m.id() + "' supervises running child machines;"
          + " images of machines with running children are not supported: stop the children or"
          + " save each child as a machine of its own");
    }
    StateSnapshot published = m.state();
    List<String> active;
    Map<String, List<String>> history;
    if (status == Status.RUNNING) {
      Statechart chart = m.rare.chart;
      active = chart != null ? chart.leaves() : List.of(m.leaf().path());
      history = chart != null ? chart.historyPaths() : Map.of();
    } else {
      active = status == Status.FAILED ? List.of() : published.activeStates();
      history = Map.of();
    }
    byte[] context = codec.encode(m.context);
    Objects.requireNonNull(context, "the context codec wrote null");
    Recovery recovery = m.rare.recovery;
    MachineImage.FailureRecord failure = null;
    if (status == Status.FAILED) {
      dev.stator.Failure report = published.failure() != null ? published.failure()
          : recovery.pendingFailure();
      failure = MachineImage.FailureRecord.of(report);
    }
    return new MachineImage(m.definition.id(), m.definition.fingerprint(), m.id(), status, active,
        history, context, m.timers == null ? List.of() : m.timers.images(),
        m.rare.calls == null ? List.of() : m.rare.calls.images(),
        recovery == null ? 0 : recovery.restartCount(),
        recovery == null ? List.of() : recovery.restartMarks(), failure, steps,
        m.core.instantOf(m.core.now()));
  }
}
