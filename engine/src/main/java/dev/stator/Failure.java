package dev.stator;

import dev.stator.internal.text.Describe;
import dev.stator.internal.text.Printable;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * The report of a fault: everything needed to understand why a machine failed, bounded in size.
 * Immutable; safe to share and to keep (it holds descriptions of events, not the events).
 *
 * @param machineId the failed machine's id
 * @param state the state configuration at the fault ({@code "connecting/handshake"}; with
 *     regions, the active leaves joined with {@code ", "})
 * @param callbackState the path of the state whose entry or exit action threw, or whose
 *     transition's action threw, when that is not the configuration itself ({@code "connecting"},
 *     whose exit threw while leaving {@code "connecting/handshake"}; {@code "connecting/handshake"}
 *     for the action of its self-transition, which runs once it has been exited, in configuration
 *     {@code "connecting"}); else the empty string
 * @param event a description of the event being processed
 * @param phase the part of the step that faulted
 * @param call during {@link Phase#CALL}: the id of the call that failed, as it started or with
 *     its result; else {@code null}
 * @param cause the throwable user code raised (or that the engine raised naming the problem)
 * @param time when the fault happened, on the loop's clock
 * @param restartCount how many times the machine had been reset before this fault
 * @param queuedEvents how many events were still queued for the machine when it failed
 * @param recentSteps the machine's last steps, oldest first
 */
public record Failure(
    String machineId,
    String state,
    String callbackState,
    String event,
    Phase phase,
    String call,
    Throwable cause,
    Instant time,
    int restartCount,
    int queuedEvents,
    List<TraceEntry> recentSteps) {

  /**
   * Checks the arguments and copies the list.
   *
   * @param machineId the failed machine's id
   * @param state the state configuration at the fault ({@code "connecting/handshake"}; with
   *     regions, the active leaves joined with {@code ", "})
   * @param callbackState the path of the state whose entry or exit action threw, when
   *     that is not the configuration itself ({@code "connecting"}, whose exit threw while leaving
   *     {@code "connecting/handshake"}); else the empty string
   * @param event a description of the event being processed
   * @param phase the part of the step that faulted
   * @param call during {@link Phase#CALL}: the id of the call that failed, as it started or with
   *     its result; else {@code null}
   * @param cause the throwable user code raised (or that the engine raised naming the problem)
   * @param time when the fault happened, on the loop's clock
   * @param restartCount how many times the machine had been reset before this fault
   * @param queuedEvents how many events were still queued for the machine when it failed
   * @param recentSteps the machine's last steps, oldest first
   */
  public Failure {
    Objects.requireNonNull(machineId, "machineId");
    Objects.requireNonNull(state, "state");
    Objects.requireNonNull(callbackState, "callbackState");
    Objects.requireNonNull(event, "event");
    Objects.requireNonNull(phase, "phase");
    Objects.requireNonNull(cause, "cause");
    Objects.requireNonNull(time, "time");
    if (call != null && phase != Phase.CALL) {
      throw new IllegalArgumentException("a call is named only for a fault during CALL, not "
          + phase);
    }
    recentSteps = List.copyOf(recentSteps);
  }

  /**
   * {@return the one-line summary used as the message of {@link MachineFailedException}, such as
   * {@code machine 'conn-7' failed in state connecting/handshake on event Timeout during ENTRY:
   * java.io.IOException: refused}} Never throws, whatever the cause's {@code toString()} does.
   */
  public String summary() {
    // one line, whatever the names (perhaps from a file) or the cause's message hold
    return Printable.escape("machine '" + machineId + "' failed in state "
        + (state.isEmpty() ? "(none)" : state)
        + (callbackState.isEmpty() ? "" : " (a callback of " + callbackState + ")")
        + " on event " + event + " during " + phase
        + (call == null ? "" : " '" + call + "'") + ": " + Describe.throwable(cause));
  }

  /** {@return the whole report over several lines: the summary, the counters and the recent steps} */
  public String report() {
    StringBuilder out = new StringBuilder(summary());
    out.append("\n  at ").append(time)
        .append(", restarts before: ").append(restartCount)
        .append(", events still queued: ").append(queuedEvents);
    if (!recentSteps.isEmpty()) {
      out.append("\n  last ").append(recentSteps.size()).append(" steps, oldest first:");
      for (TraceEntry step : recentSteps) {
        out.append("\n    ").append(step);
      }
    }
    return out.toString();
  }

  @Override
  public String toString() {
    return summary();
  }
}
