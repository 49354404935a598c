package dev.stator;

/**
 * The event of a call that completed normally: {@code onDone} transitions of the calling state
 * receive it, and their guards can test the value. Delivered on the loop thread; an asynchronous
 * or blocking call's value, produced on another thread, reaches it through the loop's inbox, which
 * makes it visible there.
 *
 * @param callId the call's id
 * @param value what the call returned (may be null)
 */
public record CallDone(String callId, Object value) {

  /**
   * Returns the value as {@code type}.
   *
   * @param type the expected type
   * @param <T> the type
   * @return the value
   * @throws ClassCastException if the value is of another type
   */
  public <T> T value(Class<T> type) {
    return type.cast(value);
  }

  @Override
  public String toString() {
    return "CallDone(" + callId + ")";
  }
}
