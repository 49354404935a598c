package dev.stator.internal.machine;

/**
 * Engine-internal items a machine's inbox carries besides its events ({@link #START},
 * {@link #STOP}, the end of recovery's shutdown hook), never seen by user code. Immutable; made
 * on any thread, taken on the machine's loop thread.
 */
final class Control {
  static final Control START = new Control("start", null);
  static final Control STOP = new Control("stop", null);

  private final String name;
  final Throwable error;

  Control(String name, Throwable error) {
    this.name = name;
    this.error = error;
  }

  @Override
  public String toString() {
    return name;
  }
}
