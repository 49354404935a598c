package dev.stator.internal.observe;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;


/** A machine's recovery policy settled on a verdict for a fault: RESET, SHUTDOWN or EXIT. */
@Name("dev.stator.Recovery")
@Label("Recovery Decision")
@Category("Stator")
@Description("A machine's recovery policy settled on a verdict for a fault: RESET, SHUTDOWN or "
    + "EXIT.")
@StackTrace(false)
final class RecoveryEvent extends Event {
  @Label("Definition")
  @Description("The id of the machine's definition")
  String definition;

  @Label("Machine")
  @Description("The machine's id")
  String machineId;

  @Label("Verdict")
  @Description("RESET (restart), SHUTDOWN (run the shutdown hook, then fail) or EXIT (fail now)")
  String verdict;

  @Label("Restart Count")
  @Description("Restarts made, counting the one a RESET verdict is about to make")
  int restartCount;

  @Label("Exception Type")
  @Description("The class of the fault's throwable")
  String exceptionType;
}
