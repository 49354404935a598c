package dev.stator;

/** {@link System#nanoTime()} as a {@link LoopClock}. Stateless, so safe from any thread. */
final class SystemLoopClock implements LoopClock {
  static final SystemLoopClock INSTANCE = new SystemLoopClock();

  private SystemLoopClock() {}

  @Override
  public long nanoTime() {
    return System.nanoTime();
  }

  @Override
  public String toString() {
    return "LoopClock.system()";
  }
}
