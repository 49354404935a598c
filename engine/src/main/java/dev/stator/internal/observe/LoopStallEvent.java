package dev.stator.internal.observe;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;
import jdk.jfr.Timespan;

/** The watchdog found a loop that has not moved for the stall threshold. */
@Name("dev.stator.LoopStall")
@Label("Loop Stall")
@Category("Stator")
@Description("The watchdog found a loop that has not moved for the stall threshold.")
@StackTrace(false)
final class LoopStallEvent extends Event {
  @Label("Loop")
  @Description("The stalled loop's name")
  String loop;

  @Label("Machine")
  @Description("The machine whose step holds the loop, if one does")
  String machineId;

  @Label("Phase")
  @Description("What that machine was doing")
  String phase;

  @Label("Blocked For")
  @Description("How long the loop had not moved")
  @Timespan(Timespan.NANOSECONDS)
  long blockedFor;
}
