package dev.stator;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A fixed set of {@link EventLoop}s, one thread each, that places machines by key: the same key
 * always lands on the same loop, so machines that talk to each other a lot (or that must keep
 * their events in one order) can share a loop by sharing a key, while unrelated machines spread
 * over the cores. Each loop is an ordinary {@code EventLoop}: a machine stays on the loop it was
 * started on, and everything the threading contract says of one loop holds within each.
 *
 * <pre>{@code
 * try (EventLoopGroup group = EventLoopGroup.start("io", Runtime.getRuntime().availableProcessors())) {
 *   Machine<Session> session = group.start(sessionDefinition, "client-42", new Session());
 *   group.loopFor("client-42").execute(() -> ...);   // the same loop as the session
 * }
 * }</pre>
 *
 * <p><b>Thread-safety:</b> every method may be called from any thread.
 */
public final class EventLoopGroup implements AutoCloseable {

  private final String name;
  private final List<EventLoop> loops;

  private EventLoopGroup(String name, List<EventLoop> loops) {
    this.name = name;
    this.loops = List.copyOf(loops);
  }

  /**
   * Starts {@code size} loops with the default options, on threads named {@code name-0},
   * {@code name-1}, …
   *
   * @param name the group's name, the prefix of its threads' names
   * @param size how many loops; typically the number of cores
   * @return the running group
   * @throws IllegalArgumentException if {@code size} is not positive
   */
  public static EventLoopGroup start(String name, int size) {
    return start(name, size, LoopOptions.DEFAULTS);
  }

  /**
   * Starts {@code size} loops on threads named {@code name-0}, {@code name-1}, …
   *
   * @param name the group's name, the prefix of its threads' names
   * @param size how many loops; typically the number of cores
   * @param options the options of every loop
   * @return the running group
   * @throws IllegalArgumentException if {@code size} is not positive
   */
  public static EventLoopGroup start(String name, int size, LoopOptions options) {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(options, "options");
    if (size <= 0) {
      throw new IllegalArgumentException("a loop group needs at least one loop, not " + size);
    }
    List<EventLoop> started = new ArrayList<>(size);
    try {
      for (int i = 0; i < size; i++) {
        started.add(EventLoop.start(name + "-" + i, options));
      }
    } catch (RuntimeException | Error failed) {
      started.forEach(EventLoop::close);
      throw failed;
    }
    return new EventLoopGroup(name, started);
  }

  /** {@return the group's name} */
  public String name() {
    return name;
  }

  /** {@return the loops, in the order of their thread names' suffixes} */
  public List<EventLoop> loops() {
    return loops;
  }

  /**
   * Returns the loop for a key: always the same loop for equal keys, and keys spread evenly when
   * their hash codes do.
   *
   * @param key any object with a stable {@code hashCode}, such as a machine id or a peer address
   * @return the key's loop
   */
  public EventLoop loopFor(Object key) {
    Objects.requireNonNull(key, "key");
    return loops.get(indexFor(key.hashCode(), loops.size()));
  }

  /** Mixes the hash (Murmur3's finaliser) so that sequential keys do not all share low bits. */
  static int indexFor(int hash, int size) {
    int h = hash;
    h ^= h >>> 16;
    h *= 0x85ebca6b;
    h ^= h >>> 13;
    h *= 0xc2b2ae35;
    h ^= h >>> 16;
    return Math.floorMod(h, size);
  }

  /**
   * Starts a machine on the loop its id maps to ({@link #loopFor(Object) loopFor(machineId)}).
   *
   * @param definition what to run
   * @param machineId the machine's id, which also places it
   * @param context the instance's context
   * @param <C> the context type
   * @return the machine
   * @throws IllegalStateException if the group is closed
   */
  public <C> Machine<C> start(MachineDefinition<C> definition, String machineId, C context) {
    return loopFor(machineId).start(definition, machineId, context);
  }

  /**
   * Closes every loop: each stops its machines (exit actions run, lifecycle futures complete) and
   * ends its thread. Called from outside the group, it closes the loops one after the other and
   * returns when every loop thread has ended; called on one of the group's loop threads (from a
   * task or a callback), it only begins the close of every loop and returns, since a loop thread
   * must never wait for another. Idempotent.
   */
  @Override
  public void close() {
    boolean onOwnThread = loops.stream().anyMatch(EventLoop::inLoop);
    for (EventLoop loop : loops) {
      if (!onOwnThread || loop.inLoop()) {
        loop.close();
      } else if (!loop.isClosed()) {
        try {
          // a loop thread must not wait for another loop: that one closes itself
          loop.execute(loop::close);
        } catch (IllegalStateException alreadyClosing) {
          // closed by someone else in the meantime
        }
      }
    }
  }

  @Override
  public String toString() {
    return "EventLoopGroup[" + name + ", " + loops.size() + " loops]";
  }
}
