package dev.stator.durable;

import dev.stator.Failure;
import dev.stator.Phase;
import dev.stator.Status;
import dev.stator.TraceEntry;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * An immutable image of one machine, taken between two of its steps: everything needed to resume
 * it on another loop, in this process or another, exactly where it was. Restoring it
 * ({@code EventLoop.restore}) runs no entry action again; its timers fire at their original
 * deadlines (or as {@link ResumeMode} says); its in-flight calls are started again when declared
 * idempotent, and otherwise end with a {@link CallLostException} the machine can react to.
 *
 * <p>States are named by their paths (names from the top joined with {@code /}), so an image
 * survives a definition's changes that keep the states it names; {@link #fingerprint()} tells
 * whether the definition's structure changed at all. The binary form ({@link #toBytes()},
 * {@link #fromBytes(byte[])}) is versioned ({@link #FORMAT_VERSION}), checksummed, and described
 * in {@code docs/persistence.md}; it names no class to load.
 *
 * <p><b>Thread-safety:</b> immutable; the context bytes are copied in and out.
 *
 * @param definitionId the id of the machine's definition
 * @param fingerprint a hash of the definition's structure (states, kinds, delayed transitions,
 *     calls); a restore with a definition of another fingerprint checks every path it names
 * @param machineId the machine's id
 * @param status RUNNING, or the terminal status of a machine that has ended; FAILED with a
 *     pending {@link TimerKind#RESTART} timer is a machine whose reset waits for its backoff
 * @param activeStates the paths of the active leaves, in document order (empty when not running)
 * @param history the history memory: each history state's path, with the paths of the states it
 *     remembers
 * @param context the context, as its {@link ContextCodec} wrote it
 * @param timers the pending timers, with their deadlines on the wall clock
 * @param calls the calls in flight
 * @param restartCount how many times the machine was reset
 * @param restarts the recent restarts that bound the restart intensity
 * @param failure the failure report of a FAILED machine, else null
 * @param steps how many steps the machine took since it first started, this one included: a
 *     store keeps the image with the most steps
 * @param takenAt when the image was taken, on the loop's wall clock
 */
public record MachineImage(
    String definitionId,
    long fingerprint,
    String machineId,
    Status status,
    List<String> activeStates,
    Map<String, List<String>> history,
    byte[] context,
    List<PendingTimer> timers,
    List<InFlightCall> calls,
    int restartCount,
    List<RestartMark> restarts,
    FailureRecord failure,
    long steps,
    Instant takenAt) {

  /** The version of the binary form {@link #toBytes()} writes; {@link #fromBytes} reads it only. */
  public static final int FORMAT_VERSION = 1;

  /**
   * Checks the parts and copies the collections and the context bytes.
   *
   * @param definitionId the id of the machine's definition
   * @param fingerprint a hash of the definition's structure
   * @param machineId the machine's id
   * @param status RUNNING, or the terminal status of a machine that has ended
   * @param activeStates the paths of the active leaves
   * @param history each history state's path, with the paths of the states it remembers
   * @param context the context, as its codec wrote it
   * @param timers the pending timers
   * @param calls the calls in flight
   * @param restartCount how many times the machine was reset
   * @param restarts the recent restarts that bound the restart intensity
   * @param failure the failure report of a FAILED machine, else null
   * @param steps how many steps the machine took
   * @param takenAt when the image was taken
   */
  public MachineImage {
    Objects.requireNonNull(definitionId, "definitionId");
    Objects.requireNonNull(machineId, "machineId");
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(context, "context");
    Objects.requireNonNull(takenAt, "takenAt");
    if (status == Status.STARTING) {
      throw new IllegalArgumentException("an image is taken after the machine's start, not while "
          + "it is STARTING");
    }
    if ((status == Status.FAILED) != (failure != null)) {
      throw new IllegalArgumentException("a failure report must be present exactly when the status"
          + " is FAILED; status=" + status);
    }
    if (restartCount < 0 || steps < 0) {
      throw new IllegalArgumentException("restartCount and steps count from 0; were "
          + restartCount + " and " + steps);
    }
    activeStates = List.copyOf(activeStates);
    Map<String, List<String>> memory = new LinkedHashMap<>();
    history.forEach((state, remembered) -> memory.put(state, List.copyOf(remembered)));
    history = java.util.Collections.unmodifiableMap(memory);
    context = context.clone();
    timers = List.copyOf(timers);
    calls = List.copyOf(calls);
    restarts = List.copyOf(restarts);
  }

  /** {@return a copy of the context bytes} */
  @Override
  public byte[] context() {
    return context.clone();
  }

  /**
   * {@return the binary form of this image: format version {@link #FORMAT_VERSION}, with a
   * checksum}
   */
  public byte[] toBytes() {
    return ImageFormat.write(this);
  }

  /**
   * Reads an image written by {@link #toBytes()}.
   *
   * @param bytes the binary form
   * @return the image
   * @throws ImageRefusedException if the bytes are damaged, truncated, tampered with (the checksum
   *     does not match), or of another format version; the message says which
   */
  public static MachineImage fromBytes(byte[] bytes) {
    return ImageFormat.read(bytes);
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof MachineImage that
        && fingerprint == that.fingerprint && restartCount == that.restartCount
        && steps == that.steps && definitionId.equals(that.definitionId)
        && machineId.equals(that.machineId) && status == that.status
        && activeStates.equals(that.activeStates) && history.equals(that.history)
        && Arrays.equals(context, that.context) && timers.equals(that.timers)
        && calls.equals(that.calls) && restarts.equals(that.restarts)
        && Objects.equals(failure, that.failure) && takenAt.equals(that.takenAt);
  }

  @Override
  public int hashCode() {
    return Objects.hash(definitionId, machineId, status, activeStates, steps, takenAt)
        * 31 + Arrays.hashCode(context);
  }

  @Override
  public String toString() {
    return dev.stator.internal.text.Printable.escape("image of machine '" + machineId + "' ("
        + definitionId + ") " + status + (activeStates.isEmpty() ? "" : " in "
        + String.join(", ", activeStates)) + ", step " + steps + ", " + timers.size()
        + " timers, " + calls.size() + " calls, taken at " + takenAt);
  }

  /** What a pending timer does when it fires. */
  public enum TimerKind {
    /** A delayed transition of an active state ({@code after}). */
    STATE_TIMEOUT,
    /** A timer an action started with {@code Step.startTimer}. */
    ACTION,
    /** Recovery's restart of a reset machine, at the end of its backoff. */
    RESTART
  }

  /**
   * A pending timer.
   *
   * @param kind what it does
   * @param state for {@link TimerKind#STATE_TIMEOUT}, the path of the state whose timeout it is;
   *     else null
   * @param index for {@link TimerKind#STATE_TIMEOUT}, which of that state's delayed transitions,
   *     in the order written; else 0
   * @param event for {@link TimerKind#ACTION}, the event it delivers: a string, or an enum
   *     constant's name; else null
   * @param eventEnum for an enum constant, the enum's class name, resolved on restore only among
   *     the enums the definition itself names; null for a string
   * @param deadline when it is due, on the wall clock
   * @param delay its whole delay, for {@link ResumeMode#RESTART}
   */
  public record PendingTimer(TimerKind kind, String state, int index, String event,
      String eventEnum, Instant deadline, Duration delay) {

    /**
     * Checks the parts.
     *
     * @param kind what it does
     * @param state the path of the state whose timeout it is, or null
     * @param index which of that state's delayed transitions
     * @param event the event an action's timer delivers, or null
     * @param eventEnum the enum's class name of an enum event, or null
     * @param deadline when it is due
     * @param delay its whole delay
     */
    public PendingTimer {
      Objects.requireNonNull(kind, "kind");
      Objects.requireNonNull(deadline, "deadline");
      Objects.requireNonNull(delay, "delay");
      if ((kind == TimerKind.STATE_TIMEOUT) != (state != null)) {
        throw new IllegalArgumentException("a state is named exactly for a STATE_TIMEOUT timer");
      }
      if ((kind == TimerKind.ACTION) != (event != null)) {
        throw new IllegalArgumentException("an event is named exactly for an ACTION timer");
      }
    }
  }

  /**
   * A call in flight.
   *
   * @param state the path of the state whose entry started it
   * @param id the call's id
   * @param startedAt when it started, on the wall clock
   */
  public record InFlightCall(String state, String id, Instant startedAt) {

    /**
     * Checks the parts.
     *
     * @param state the path of the state whose entry started it
     * @param id the call's id
     * @param startedAt when it started
     */
    public InFlightCall {
      Objects.requireNonNull(state, "state");
      Objects.requireNonNull(id, "id");
      Objects.requireNonNull(startedAt, "startedAt");
    }
  }

  /**
   * A restart inside a restart-intensity window.
   *
   * @param policy which reset policy of the definition counted it: its place in the order the
   *     recovery policy is written (0 for the top)
   * @param choices for a policy a deciding function made, how many choices since that place; else 0
   * @param at when, on the wall clock
   */
  public record RestartMark(int policy, int choices, Instant at) {

    /**
     * Checks the parts.
     *
     * @param policy the reset policy's place
     * @param choices how many choices since that place
     * @param at when
     */
    public RestartMark {
      Objects.requireNonNull(at, "at");
    }
  }

  /**
   * The report of a FAILED machine, as data: {@link #toFailure()} makes the {@link Failure} again,
   * with a {@link RestoredCause} in place of the original throwable.
   *
   * @param machineId the failed machine's id
   * @param state the configuration at the fault
   * @param callbackState the state whose callback threw, or the empty string
   * @param event the event being processed
   * @param phase the part of the step that faulted
   * @param call the call that failed, or null
   * @param causeType the throwable's class name
   * @param causeMessage the throwable's message, or null
   * @param time when it happened
   * @param restartCount how many resets before it
   * @param queuedEvents the events queued at the fault
   * @param recentSteps the machine's last steps
   */
  public record FailureRecord(String machineId, String state, String callbackState, String event,
      Phase phase, String call, String causeType, String causeMessage, Instant time,
      int restartCount, int queuedEvents, List<TraceEntry> recentSteps) {

    /**
     * Checks the parts and copies the list.
     *
     * @param machineId the failed machine's id
     * @param state the configuration at the fault
     * @param callbackState the state whose callback threw, or the empty string
     * @param event the event being processed
     * @param phase the part of the step that faulted
     * @param call the call that failed, or null
     * @param causeType the throwable's class name
     * @param causeMessage the throwable's message, or null
     * @param time when it happened
     * @param restartCount how many resets before it
     * @param queuedEvents the events queued at the fault
     * @param recentSteps the machine's last steps
     */
    public FailureRecord {
      Objects.requireNonNull(machineId, "machineId");
      Objects.requireNonNull(state, "state");
      Objects.requireNonNull(callbackState, "callbackState");
      Objects.requireNonNull(event, "event");
      Objects.requireNonNull(phase, "phase");
      Objects.requireNonNull(causeType, "causeType");
      Objects.requireNonNull(time, "time");
      recentSteps = List.copyOf(recentSteps);
    }

    /**
     * {@return the record of a failure}
     *
     * @param failure the failure
     */
    public static FailureRecord of(Failure failure) {
      Throwable cause = failure.cause();
      String type = cause instanceof RestoredCause restored ? restored.originalType()
          : cause.getClass().getName();
      String message = cause instanceof RestoredCause restored ? restored.originalMessage()
          : messageOf(cause);
      return new FailureRecord(failure.machineId(), failure.state(), failure.callbackState(),
          failure.event(), failure.phase(), failure.call(), type, message, failure.time(),
          failure.restartCount(), failure.queuedEvents(), failure.recentSteps());
    }

    private static String messageOf(Throwable cause) {
      try {
        return cause.getMessage();
      } catch (RuntimeException broken) {
        return "<getMessage() threw " + broken.getClass().getName() + ">";
      }
    }

    /** {@return the failure report again, its cause a {@link RestoredCause}} */
    public Failure toFailure() {
      return new Failure(machineId, state, callbackState, event, phase, call,
          new RestoredCause(causeType, causeMessage), time, restartCount, queuedEvents,
          recentSteps);
    }
  }
}
