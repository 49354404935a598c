package dev.stator.internal.observe;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;


/** A machine ended: completed, stopped or failed for good. */
@Name("dev.stator.MachineEnded")
@Label("Machine Ended")
@Category("Stator")
@Description("A machine ended: completed, stopped or failed for good.")
@StackTrace(false)
final class MachineEndedEvent extends Event {
  @Label("Definition")
  @Description("The id of the machine's definition")
  String definition;

  @Label("Machine")
  @Description("The machine's id")
  String machineId;

  @Label("Status")
  @Description("How it ended: COMPLETED, STOPPED or FAILED")
  String status;

  @Label("State")
  @Description("The state path it ended in")
  String state;

  @Label("Exception Type")
  @Description("For a failed machine, the class of the failure's cause")
  String exceptionType;
}
