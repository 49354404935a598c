package dev.stator.durable;

/**
 * Writes a machine's context to bytes for its {@link MachineImage}, and reads it back on restore.
 *
 * <p>A codec must not let the bytes choose a class to instantiate: an image may come from a store
 * that someone else can write. The store module's JSON codec, for instance, reads into one declared
 * type with polymorphic typing off.
 *
 * <p><b>Thread-safety:</b> {@link #encode} runs on the machine's loop thread (the context is
 * confined to it), {@link #decode} on the thread that restores; a codec shared by several loops
 * must be safe to call from several threads.
 *
 * @param <C> the context type
 */
public interface ContextCodec<C> {

  /**
   * Writes a context.
   *
   * @param context the machine's context, possibly null
   * @return its bytes
   * @throws Exception if it cannot be written; taking the image then fails with it
   */
  byte[] encode(C context) throws Exception;

  /**
   * Reads a context written by {@link #encode}.
   *
   * @param bytes the bytes
   * @return the context
   * @throws Exception if the bytes are not a context of this codec; the restore is refused
   */
  C decode(byte[] bytes) throws Exception;
}
