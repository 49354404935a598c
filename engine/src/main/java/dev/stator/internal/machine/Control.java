package dev.stator.internal.machine;

import dev.stator.durable.ContextCodec;
import dev.stator.durable.MachineImage;
import java.util.concurrent.CompletableFuture;

/**
 * Engine-internal items a machine's inbox carries besides its events ({@link #START},
 * {@link #STOP}, the end of recovery's shutdown hook, and the durable ones below), never seen by
 * user code. Immutable; made on any thread, taken on the machine's loop thread by
 * {@link Controls}.
 */
class Control {
  static final Control START = new Control("start", null);
  static final Control STOP = new Control("stop", null);

  private final String name;
  final Throwable error;

  Control(String name, Throwable error) {
    this.name = name;
    this.error = error;
  }

  @Override
  public String toString() {
    return name;
  }

  /** An event whose sender waits until the step that consumes it is committed. */
  static final class Acked extends Control {
    final Object event;
    final CompletableFuture<Void> ack;

    Acked(Object event, CompletableFuture<Void> ack) {
      super("durable send", null);
      this.event = event;
      this.ack = ack;
    }

    @Override
    public String toString() {
      return dev.stator.internal.text.Describe.event(event);
    }
  }

  /** A request for the machine's image, between two of its steps. */
  static final class Snapshot extends Control {
    final ContextCodec<Object> codec;
    final CompletableFuture<MachineImage> image;

    Snapshot(ContextCodec<Object> codec, CompletableFuture<MachineImage> image) {
      super("snapshot", null);
      this.codec = codec;
      this.image = image;
    }
  }

  /** Resumes a machine from an image, instead of its start. */
  static final class Restore extends Control {
    final Restorer.Plan plan;

    Restore(Restorer.Plan plan) {
      super("restore", null);
      this.plan = plan;
    }
  }

  /** A durable machine's sink could not store a step: a fault, if the machine still runs. */
  static final class CommitFailed extends Control {
    CommitFailed(Throwable cause) {
      super("commit failed", cause);
    }
  }
}
