package dev.stator;

/** What a machine does with an event that no transition of its active states accepts. */
public enum UnhandledEventPolicy {
  /** Drop it quietly (as SCXML and most statechart engines do). The default. */
  IGNORE,
  /** Drop it and log a warning naming the machine, the state and the event. */
  LOG,
  /** Treat it as a fault of the machine (phase {@link Phase#DISPATCH}). */
  FAULT
}
