package dev.stator.durable;

/**
 * How a restored machine's pending timers are scheduled again.
 *
 * <p>A timer whose new deadline has passed fires at once, with every other such timer, in
 * deadline order, before any event sent after the restore.
 *
 * <p><b>Thread-safety:</b> an enum; safe to share.
 */
public enum ResumeMode {
  /**
   * Each timer keeps its deadline on the wall clock: a 30-minute timeout armed 20 minutes before a
   * crash, restored 15 minutes after it, fires at once. The default: time went on while the process
   * was down.
   */
  ORIGINAL_DEADLINE,
  /**
   * Each timer gets the time it had left when the image was taken: the downtime does not count.
   */
  REMAINING_TIME,
  /**
   * Each timer starts again with its whole delay: a state timeout counts from the restore, as if
   * its state had been entered then (recovery's restart backoff keeps the time it had left).
   */
  RESTART
}
