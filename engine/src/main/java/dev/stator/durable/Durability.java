package dev.stator.durable;

import java.util.Objects;

/**
 * What makes a machine durable when it starts or is restored: the codec of its context and the
 * sink that receives its image after every step.
 *
 * <p><b>Thread-safety:</b> immutable; one durability may serve any number of machines and loops,
 * as far as its codec and sink allow (see theirs).
 *
 * @param codec writes and reads the context
 * @param sink receives the image after every step; {@link #NO_SINK} for a machine that is only
 *     saved when asked ({@code Machine.snapshot})
 * @param <C> the context type
 */
public record Durability<C>(ContextCodec<C> codec, StepSink sink) {

  /** A sink that receives nothing: each step counts as committed at once. */
  public static final StepSink NO_SINK = (image, commit) -> commit.committed();

  /**
   * Checks both parts.
   *
   * @param codec writes and reads the context
   * @param sink receives the image after every step
   */
  public Durability {
    Objects.requireNonNull(codec, "codec");
    Objects.requireNonNull(sink, "sink");
  }
}
