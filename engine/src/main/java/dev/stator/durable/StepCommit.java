package dev.stator.durable;

/**
 * The outcome of storing one step's image: what a sender of {@code Machine.sendDurably} waits for.
 * One of the two methods is called once; later calls do nothing.
 *
 * <p><b>Thread-safety:</b> both methods may be called from any thread.
 */
public interface StepCommit {

  /** The image is stored: the durable sends this step consumed complete normally. */
  void committed();

  /**
   * The image could not be stored: the durable sends this step consumed complete exceptionally
   * with {@code cause}, and a machine still running faults in {@link dev.stator.Phase#COMMIT}, so
   * its recovery policy decides what follows and its report names the store's error. A machine
   * that has ended already has the error reported to its loop's unobserved-failure handler.
   *
   * @param cause why
   */
  void failed(Throwable cause);
}
