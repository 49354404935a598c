package dev.stator;

/**
 * A loop's time source: a monotonic count of nanoseconds from an arbitrary origin, as
 * {@link System#nanoTime()} is. Only differences between two readings of the same clock mean
 * anything; a reading is not a wall-clock time (a loop maps its readings to instants itself).
 *
 * <p>The loop reads its clock at the start of every turn (to fire due timers and to stamp its
 * steps), before and after each step an observer times, and whenever a thread asks it for the
 * time: callbacks through {@link Step#nanoTime()}, and other threads that schedule a timer or
 * complete a call on the loop. A real loop ({@link EventLoop#start(String)}) uses
 * {@link #system()}; a {@link dev.stator.testing.TestLoop} uses virtual time, which moves only when
 * the test advances it.
 *
 * <p>The engine needs nothing more from a time source than this one method, which is why it has
 * its own interface rather than a library's. Code holding a Guava {@code Ticker} adapts it with a
 * method reference: {@code LoopClock clock = ticker::read;}
 *
 * <p><b>Thread-safety:</b> an implementation must be safe to call from any thread, concurrently,
 * and must never go backwards as seen by any thread: successive readings, from one thread or
 * ordered between threads by a happens-before edge, never decrease.
 */
@FunctionalInterface
public interface LoopClock {

  /**
   * Reads the clock.
   *
   * @return the current time in nanoseconds since the clock's arbitrary origin; it never decreases
   */
  long nanoTime();

  /**
   * Returns the clock of the JVM's high-resolution time source, {@link System#nanoTime()}.
   *
   * @return the system clock, one shared instance
   */
  static LoopClock system() {
    return SystemLoopClock.INSTANCE;
  }
}
