package dev.stator.internal.observe;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;


/** A machine started on a loop. */
@Name("dev.stator.MachineStarted")
@Label("Machine Started")
@Category("Stator")
@Description("A machine started on a loop.")
@StackTrace(false)
final class MachineStartedEvent extends Event {
  @Label("Definition")
  @Description("The id of the machine's definition")
  String definition;

  @Label("Machine")
  @Description("The machine's id")
  String machineId;

  @Label("Loop")
  @Description("The name of the loop the machine runs on")
  String loop;
}
