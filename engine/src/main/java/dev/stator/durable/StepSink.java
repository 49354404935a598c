package dev.stator.durable;

/**
 * Receives a durable machine's image after each of its steps: its start, every event, timer and
 * call completion it processed, its restarts and its end. A store writes the images it receives;
 * this interface is the seam between the engine, which never writes, and stores.
 *
 * <p><b>Thread-safety:</b> called on the machine's loop thread, between steps; it must not block
 * (hand the image to a writer) and should not throw: a throw is treated as
 * {@link StepCommit#failed}. The {@link StepCommit} may be completed from any thread.
 */
@FunctionalInterface
public interface StepSink {

  /**
   * A step of the machine ended.
   *
   * @param image the machine's image after the step; {@link MachineImage#steps()} counts the steps
   *     so far, so a store keeps only the newest image of each machine
   * @param commit to be told once the image is stored, or that it could not be
   */
  void stepEnded(MachineImage image, StepCommit commit);
}
