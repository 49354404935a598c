package dev.stator.internal.observe;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;


/** A callback of a machine threw, or the machine broke a rule, and its recovery policy runs. */
@Name("dev.stator.Fault")
@Label("Fault")
@Category("Stator")
@Description("A callback of a machine threw, or the machine broke a rule, and its recovery "
    + "policy runs.")
@StackTrace(false)
final class FaultEvent extends Event {
  @Label("Definition")
  @Description("The id of the machine's definition")
  String definition;

  @Label("Machine")
  @Description("The machine's id")
  String machineId;

  @Label("Phase")
  @Description("What the machine was doing: ENTRY, EXIT, ACTION, GUARD, CALL, TIMER, ...")
  String phase;

  @Label("State")
  @Description("The active configuration's path")
  String state;

  @Label("Callback State")
  @Description("The state whose entry or exit action ran, when not the configuration")
  String callbackState;

  @Label("Event")
  @Description("The event being processed")
  String event;

  @Label("Exception Type")
  @Description("The class of the throwable")
  String exceptionType;

  @Label("Exception Message")
  @Description("The throwable's message")
  String exceptionMessage;

  @Label("Restart Count")
  @Description("Restarts the machine had made before this fault")
  int restartCount;
}
