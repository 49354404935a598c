package dev.stator;

/**
 * Hears what one loop's machines do, for metrics: each step's end (with its duration when it was
 * timed), each fault, each restart, each dead letter, and the loop's end. A metrics library
 * implements it (the {@code stator-micrometer} module's {@code StatorMetrics} does); the loop
 * makes one per loop through the factory given to {@link LoopOptions#withObserver}, as the loop
 * starts.
 *
 * <p><b>Thread-safety:</b> an observer is confined to its loop's thread, except
 * {@link #deadLetter}, which runs on the thread that found the event undeliverable (a sender's,
 * for an event sent to a closed loop), and may run concurrently with the other methods. An
 * observer that throws is logged at ERROR through {@code System.Logger "dev.stator"} and affects
 * neither the loop nor a machine, except that a {@link VirtualMachineError} other than
 * {@link StackOverflowError} propagates (on the loop thread, to the loop's fatal path), but for
 * one from {@link #loopEnded()}, which is only logged: the loop is ending already.
 *
 * <h2>Cost</h2>
 *
 * With no observer on any loop, a step pays nothing for this interface: it reads the same folded
 * constant that says whether the flight recorder times steps. Once a loop with an observer has
 * started, and until the last such loop ends, every loop's step asks its loop for its observer
 * (null on a loop without one). On an observed loop, each step calls {@link #timesNextStep()} and
 * {@link #stepEnded}, and reads the loop's clock twice only for the steps the observer times:
 * sampling keeps the cost of a timed step off most steps. A step is everything one event, timer,
 * call completion or start does to a machine, its listeners' calls included.
 *
 * <p>The strings passed are the definition's id and state paths, which come from the definitions
 * and are therefore as few as the definitions' states: fit to be the tags of a metric, unlike
 * machine ids.
 *
 * <p>Every method does nothing by default: override those you need.
 */
public interface LoopObserver {

  /**
   * Asked before each step on the loop thread: whether to time it. Return true for one step in a
   * sample (every step, to time them all); the loop then reads its clock before and after it.
   * The default times none.
   *
   * @return whether the loop times the step about to begin
   */
  default boolean timesNextStep() {
    return false;
  }

  /**
   * A machine's step ended, on the loop thread.
   *
   * @param definitionId the id of the machine's definition
   * @param nanos the step's duration on the loop's clock when {@link #timesNextStep()} asked for
   *     it, else -1
   */
  default void stepEnded(String definitionId, long nanos) {}

  /**
   * A machine faulted and its recovery policy is about to run, on the loop thread.
   *
   * @param definitionId the id of the machine's definition
   * @param failure the fault's report: its {@link Failure#state() state} and
   *     {@link Failure#phase() phase} say where
   */
  default void faulted(String definitionId, Failure failure) {}

  /**
   * A machine's recovery policy decided to reset it after a fault (a restart), on the loop
   * thread.
   *
   * @param definitionId the id of the machine's definition
   * @param failure the fault the restart recovers from
   */
  default void restarted(String definitionId, Failure failure) {}

  /**
   * An event became a dead letter, on the thread that found it so (see the thread-safety note),
   * before the loop's dead-letter handler hears of it.
   *
   * @param letter the dead letter
   */
  default void deadLetter(DeadLetter letter) {}

  /**
   * The loop ended: its machines have ended and it takes no more work. Called once, on the loop
   * thread; nothing else is called afterwards, except {@link #deadLetter} for late sends.
   */
  default void loopEnded() {}
}
