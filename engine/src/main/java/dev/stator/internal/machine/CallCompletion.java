package dev.stator.internal.machine;

import dev.stator.internal.text.Describe;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/** The completion of a call, on its way back to the loop; engine-internal, never seen by users. */
final class CallCompletion {
  final PendingCall call;
  final Object value;
  final Throwable error;
  /** Made by the engine when the call's timeout fired (the call itself may still complete). */
  final boolean byTimeout;

  CallCompletion(PendingCall call, Object value, Throwable error) {
    this(call, value, error, false);
  }

  private CallCompletion(PendingCall call, Object value, Throwable error, boolean byTimeout) {
    this.call = call;
    this.value = value;
    this.error = error;
    this.byTimeout = byTimeout;
  }

  static CallCompletion timedOut(PendingCall call, Throwable timeout) {
    return new CallCompletion(call, null, timeout, true);
  }

  static Throwable unwrap(Throwable error) {
    Throwable t = error;
    while ((t instanceof CompletionException || t instanceof ExecutionException)
        && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }

  @SuppressWarnings("unchecked")
  static <T extends Throwable> T sneaky(Throwable t) throws T {
    throw (T) t;
  }

  @Override
  public String toString() {
    return error == null ? "CallDone(" + call.id + ")" : "CallFailed(" + call.id + ": "
        + Describe.throwable(error) + ")";
  }
}
