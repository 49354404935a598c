package dev.stator.model;

import java.time.Duration;
import java.util.Objects;

/**
 * What makes a transition fire: an event equal to a value, an event of a type, nothing at all
 * (an eventless transition, tried after every step), the completion of a call, an expected error,
 * or the passing of time in the source state. Every trigger is an immutable record, safe to share.
 */
public sealed interface Trigger {

  /**
   * Fires on an event equal to {@code event} (an enum constant or a string, usually).
   *
   * @param event the value to match with {@link Object#equals(Object)}
   */
  record OnEvent(Object event) implements Trigger {
    /**
     * Checks the value.
     *
     * @param event the value to match with {@link Object#equals(Object)}
     */
    public OnEvent {
      Objects.requireNonNull(event, "event");
    }

    @Override
    public String toString() {
      return "on " + event;
    }
  }

  /**
   * Fires on String events an XState v5 event descriptor matches: {@code "*"} matches every String
   * event, {@code "prefix.*"} the event {@code prefix} and every event starting with
   * {@code "prefix."}. Within one state, a transition on the exact event comes first, and these
   * apply only when the state has none for that event; among them the longest descriptor comes
   * first. The events the machine raises itself (done events, timers) are not Strings, and are
   * never matched.
   *
   * @param descriptor {@code "*"}, or dot-separated tokens ending with {@code ".*"}
   */
  record OnEventMatching(String descriptor) implements Trigger {
    /**
     * Checks the descriptor: a wildcard token only at the end.
     *
     * @param descriptor {@code "*"}, or dot-separated tokens ending with {@code ".*"}
     * @throws IllegalArgumentException for any other descriptor
     */
    public OnEventMatching {
      Objects.requireNonNull(descriptor, "descriptor");
      if (!descriptor.equals("*") && (!descriptor.endsWith(".*") || descriptor.length() < 3
          || descriptor.substring(0, descriptor.length() - 2).contains("*")
          || descriptor.startsWith(".") || descriptor.contains(".."))) {
        throw new IllegalArgumentException("event descriptor \"" + descriptor + "\": expected"
            + " \"*\" or tokens ending with \".*\", such as \"mouse.*\"");
      }
    }

    /**
     * Returns whether the descriptor matches {@code event}.
     *
     * @param event the event
     * @return whether it is a String the descriptor matches
     */
    public boolean matches(Object event) {
      if (!(event instanceof String name)) {
        return false;
      }
      if (descriptor.equals("*")) {
        return true;
      }
      String prefix = descriptor.substring(0, descriptor.length() - 2);
      return name.equals(prefix)
          || (name.startsWith(prefix) && name.charAt(prefix.length()) == '.');
    }

    @Override
    public String toString() {
      return "on " + descriptor;
    }
  }

  /**
   * Fires on any event that is an instance of {@code type} (a record carrying a payload, usually).
   *
   * @param type the class events are tested against with {@link Class#isInstance(Object)}
   */
  record OnType(Class<?> type) implements Trigger {
    /**
     * Checks the type.
     *
     * @param type the class events are tested against with {@link Class#isInstance(Object)}
     */
    public OnType {
      Objects.requireNonNull(type, "type");
    }

    @Override
    public String toString() {
      return "on " + type.getSimpleName();
    }
  }

  /** Fires without an event when its guard holds after a transition was taken (a choice). */
  record Always() implements Trigger {
    @Override
    public String toString() {
      return "always";
    }
  }

  /**
   * Fires when the source state is done: a final child of it was entered, or, for a parallel
   * state, every region reached a final state. The event is a {@link dev.stator.StateDone}
   * carrying the final state's output; guards and actions can read it.
   */
  record OnStateDone() implements Trigger {
    @Override
    public String toString() {
      return "done";
    }
  }

  /**
   * Fires when the source state's call {@code callId} completes normally; the event is a
   * {@link dev.stator.CallDone} carrying the value, which guards can test.
   *
   * @param callId the call's id
   */
  record OnDone(String callId) implements Trigger {
    /**
     * Checks the id.
     *
     * @param callId the call's id
     */
    public OnDone {
      Objects.requireNonNull(callId, "callId");
    }

    @Override
    public String toString() {
      return "done " + callId;
    }
  }

  /**
   * Fires once {@code delay} has passed since the source state was entered, unless the state was
   * left before; the timer is cancelled when the state exits.
   *
   * @param delay how long after entry; zero or more
   */
  record After(Duration delay) implements Trigger {
    /**
     * Checks the delay.
     *
     * @param delay how long after entry; zero or more
     */
    public After {
      Objects.requireNonNull(delay, "delay");
    }

    @Override
    public String toString() {
      return "after " + delay;
    }
  }

  /**
   * Fires when a callback throws an error of the named type while the source state is active (its
   * entry, exit and guards, those of its descendants, and the actions of transitions that leave it
   * active): an expected error. The thrown error is the step's event. The type is named, not
   * given as a class, so that definitions read from files can name it without loading anything:
   * it matches a thrown error whose class, any superclass or any implemented interface has that
   * fully qualified (binary) name.
   *
   * <p>Scoped to a call ({@code call} not null), it fires only for that call's own failure: the
   * error its completion carries, or its timeout, which arrive as steps of their own, when the
   * configuration is whole. Such a transition may then be targetless (its actions run and the
   * state stays, with its other calls and timers) or internal, as XState's {@code invoke.onError}
   * may be; one that is not scoped needs a target, since its error may strike in the middle of
   * an entry.
   *
   * @param errorType the expected error type's binary name, such as {@code java.io.IOException}
   * @param call the id of the source state's call whose failure it handles, or null for any error
   */
  record OnError(String errorType, String call) implements Trigger {
    /**
     * Checks that the name is a Java class name.
     *
     * @param errorType the expected error type's binary name, such as {@code java.io.IOException}
     * @param call the id of the source state's call whose failure it handles, or null for any
     */
    public OnError {
      dev.stator.internal.text.ErrorTypes.checkName(errorType);
    }

    /**
     * An expected error of any callback.
     *
     * @param errorType the expected error type's binary name
     */
    public OnError(String errorType) {
      this(errorType, null);
    }

    /**
     * Returns the trigger for errors of {@code type}.
     *
     * @param type the expected error type
     * @return the trigger
     */
    public static OnError of(Class<? extends Throwable> type) {
      return new OnError(Objects.requireNonNull(type, "error").getName());
    }

    @Override
    public String toString() {
      return "on error " + dev.stator.internal.text.ErrorTypes.simpleName(errorType)
          + (call == null ? "" : " of call " + call);
    }
  }
}
