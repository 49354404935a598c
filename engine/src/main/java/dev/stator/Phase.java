package dev.stator;

/** The part of a step in which a fault happened. */
public enum Phase {
  /** Entering the initial configuration. */
  START,
  /** Choosing a transition, outside user code (an unhandled event under the FAULT policy, say). */
  DISPATCH,
  /** Evaluating a guard. */
  GUARD,
  /** Running an exit action. */
  EXIT,
  /** Running a transition's action. */
  ACTION,
  /** Running an entry action. */
  ENTRY,
  /** Choosing or taking an eventless transition (including a chain that never settles). */
  EVENTLESS,
  /** Making a call, or handling a call's failure. */
  CALL,
  /**
   * Dispatching a timer, before its guard or actions run; in practice, a chain of zero-delay
   * timers longer than {@link LoopOptions#maxMicrosteps()}.
   */
  TIMER,
  /** Stopping the machine (exit actions run by {@code stop()}). */
  STOP,
  /**
   * Running recovery: seen only when the loop's fatal path strikes during it. A throwing hook is a
   * double fault, reported with the original fault's phase and the hook's throwable suppressed.
   */
  RECOVERY,
  /**
   * Storing the step's image: a durable machine's {@link dev.stator.durable.StepSink} said it could
   * not store it, or its context could not be encoded.
   */
  COMMIT
}
