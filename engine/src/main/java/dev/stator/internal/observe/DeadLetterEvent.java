package dev.stator.internal.observe;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;


/** An event no machine would take: its machine had ended, or its loop had closed. */
@Name("dev.stator.DeadLetter")
@Label("Dead Letter")
@Category("Stator")
@Description("An event no machine would take: its machine had ended, or its loop had closed.")
@StackTrace(false)
final class DeadLetterEvent extends Event {
  @Label("Loop")
  @Description("The loop's name")
  String loop;

  @Label("Machine")
  @Description("The id of the machine the event was sent to")
  String machineId;

  @Label("Event")
  @Description("The event")
  String event;

  @Label("Reason")
  @Description("Why it was not delivered")
  String reason;
}
