package dev.stator.internal.observe;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Enabled;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;
import jdk.jfr.Threshold;

/**
 * A machine's step (an event, a timer, a start, with its transitions, actions and listeners) that
 * took longer than the threshold.
 */
@Name("dev.stator.SlowStep")
@Label("Slow Step")
@Category("Stator")
@Description("A machine's step (an event, a timer, a start, with its transitions, actions and "
    + "listeners) that took longer than the threshold.")
@StackTrace(false)
@Threshold("10 ms")
// off unless a recording enables it: timing every step costs each step some 60 ns and an event
// object while recorded, too much for a recording an operator leaves running with default settings
@Enabled(false)
final class SlowStepEvent extends Event {
  @Label("Definition")
  @Description("The id of the machine's definition")
  String definition;

  @Label("Machine")
  @Description("The machine's id")
  String machineId;

  @Label("Event")
  @Description("The event the step took")
  String event;

  @Label("From State")
  @Description("The configuration the step started from")
  String fromState;

  @Label("To State")
  @Description("The configuration the step ended in")
  String toState;
}
