package dev.stator;

import java.time.Duration;
import java.util.List;

/**
 * A report from a loop's watchdog: a callback has held the loop thread longer than the threshold,
 * so every other machine on the loop is waiting. Reported once per stall, on the watchdog's
 * thread. Immutable.
 *
 * @param loop the loop's name
 * @param machineId the machine whose step was running, or {@code null} for a task or the loop itself
 * @param phase the part of the step that was running, or {@code null}
 * @param blockedFor how long the loop had made no progress when the watchdog looked
 * @param stack the loop thread's stack at that moment, innermost frame first
 */
public record Stall(String loop, String machineId, Phase phase, Duration blockedFor,
    List<StackTraceElement> stack) {

  /**
   * Copies the stack.
   *
   * @param loop the loop's name
   * @param machineId the machine whose step was running, or {@code null} for a task or the loop itself
   * @param phase the part of the step that was running, or {@code null}
   * @param blockedFor how long the loop had made no progress when the watchdog looked
   * @param stack the loop thread's stack at that moment, innermost frame first
   */
  public Stall {
    stack = List.copyOf(stack);
  }

  /** {@return the report over several lines: who, for how long, and the stack} */
  public String report() {
    StringBuilder out = new StringBuilder("loop '").append(loop).append("' blocked for ")
        .append(blockedFor.toMillis()).append(" ms");
    if (machineId != null) {
      out.append(" in machine '").append(machineId).append("' during ").append(phase);
    }
    out.append("; a callback must not block: offload blocking work with invokeBlocking");
    for (StackTraceElement frame : stack) {
      out.append("\n    at ").append(frame);
    }
    return out.toString();
  }

  @Override
  public String toString() {
    return "Stall[" + loop + (machineId == null ? "" : ", " + machineId + " " + phase) + ", "
        + blockedFor.toMillis() + " ms]";
  }
}
