package dev.stator.examples.mqtt.faults;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One client's connection through the {@link FaultProxy}: two pump threads, one per direction,
 * forward what they read and fire the armed fault when its direction's byte count reaches it. The
 * decisions (how far to forward, whether the fault fires) are taken under the connection's lock;
 * the writes and closes run outside it, so a blocked write never holds the other direction up.
 */
final class ProxyConnection {

  private enum State { OPEN, BLACKHOLED, ENDED }

  /** One direction: where it reads, where it writes, how far it got. */
  private final class Side {
    final Direction direction;
    final InputStream in;
    final Socket out;
    final OrderedWriter writer;
    final Framing framing;
    long count;
    long delayMillis;
    long delayEnd;
    boolean eof;

    Side(Direction direction, Socket from, Socket to) throws IOException {
      this.direction = direction;
      this.in = from.getInputStream();
      this.out = to;
      this.framing = proxy.newFraming(id, direction);
      this.writer = new OrderedWriter(to.getOutputStream(),
          "fault-proxy-conn" + id + "-" + direction.name().toLowerCase(Locale.ROOT),
          e -> onFailure(this, e));
    }
  }

  private final FaultProxy proxy;
  private final int id;
  private final Socket client;
  private final Socket broker;
  private final Side up;
  private final Side down;
  private final AtomicBoolean closed = new AtomicBoolean();
  private State state = State.OPEN;
  private Fault armed;
  private long armedAt;

  ProxyConnection(FaultProxy proxy, int id, Socket client, Socket broker) throws IOException {
    this.proxy = proxy;
    this.id = id;
    this.client = client;
    this.broker = broker;
    this.up = new Side(Direction.UPSTREAM, client, broker);
    this.down = new Side(Direction.DOWNSTREAM, broker, client);
  }

  int id() {
    return id;
  }

  void start() {
    synchronized (this) {
      armNext("open");
    }
    proxy.pump(() -> pump(up));
    proxy.pump(() -> pump(down));
  }

  synchronized void disarm() {
    if (armed != null) {
      log("disarmed " + armed);
      armed = null;
    }
  }

  void fireNow(Fault fault) {
    boolean now;
    synchronized (this) {
      if (state != State.OPEN) {
        return;
      }
      Side side = side(fault.direction());
      armed = fault;
      armedAt = side.count;
      log("armed now " + fault);
      now = fault.kind() != FaultKind.TRUNCATE && fault.kind() != FaultKind.DELAY;
    }
    if (now) {
      Side side = side(fault.direction());
      step(side, new byte[0], 0, 0);
    }
  }

  /** Closes both sockets, with a reset when {@code reset}; idempotent. */
  void closeBoth(boolean reset, String why) {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    synchronized (this) {
      state = State.ENDED;
    }
    log((reset ? "reset" : "closed") + " (" + why + ")");
    if (reset) {
      abort(client);
      abort(broker);
    } else {
      closeQuietly(client);
      closeQuietly(broker);
    }
    up.writer.shutdown();
    down.writer.shutdown();
    proxy.forget(this);
  }

  static void abort(Socket socket) {
    try {
      socket.setSoLinger(true, 0);
    } catch (IOException ignored) {
      // the socket is gone already
    }
    closeQuietly(socket);
  }

  private static void closeQuietly(Socket socket) {
    try {
      socket.close();
    } catch (IOException ignored) {
      // nothing more to release
    }
  }

  private Side side(Direction direction) {
    return direction == Direction.UPSTREAM ? up : down;
  }

  private void armNext(String when) {
    Optional<Fault> next = proxy.nextFault();
    if (next.isPresent()) {
      armed = next.get();
      armedAt = side(armed.direction()).count + armed.gapBytes();
      log(when + ", armed " + armed + " (fires at byte " + armedAt + ")");
    } else {
      armed = null;
      log(when + ", clean");
    }
  }

  private void pump(Side side) {
    byte[] buffer = new byte[16 * 1024];
    try {
      while (true) {
        int read = side.in.read(buffer);
        if (read < 0) {
          onEof(side);
          return;
        }
        int offset = 0;
        while (offset < read) {
          offset = step(side, buffer, offset, read);
        }
      }
    } catch (IOException e) {
      onFailure(side, e);
    }
  }

  /**
   * Handles {@code buffer[offset, end)} up to the next event of the side (its armed fault, the end
   * of its delay): {@return how far it got}
   */
  private int step(Side side, byte[] buffer, int offset, int end) {
    Fault fire = null;
    long position;
    int forward;
    long delay;
    synchronized (this) {
      if (state != State.OPEN) {
        return end;
      }
      position = side.count;
      if (side.delayMillis > 0 && position >= side.delayEnd) {
        log("delay " + name(side) + " ends at byte " + position);
        side.delayMillis = 0;
      }
      if (armed != null && armed.direction() == side.direction && position >= armedAt) {
        fire = armed;
        armed = null;
        forward = 0;
        if (fire.kind() == FaultKind.DELAY) {
          side.delayMillis = fire.millis();
          side.delayEnd = position + fire.spanBytes();
          armNext("delay fired");
        } else if (fire.kind() == FaultKind.BLACKHOLE) {
          state = State.BLACKHOLED;
        } else {
          state = State.ENDED;
          if (fire.kind() == FaultKind.TRUNCATE && end > offset && side.framing.atBoundary()) {
            forward = 1;
          }
        }
      } else {
        long limit = end - offset;
        if (armed != null && armed.direction() == side.direction) {
          limit = Math.min(limit, armedAt - position);
        }
        if (side.delayMillis > 0) {
          limit = Math.min(limit, side.delayEnd - position);
        }
        forward = (int) limit;
        if (armed != null && armed.direction() == side.direction
            && armed.kind() == FaultKind.BLACKHOLE && position + forward >= armedAt) {
          // A blackhole closes both ways the moment its byte count is reached, under the same lock
          // that counted the bytes: waiting for the next byte would let the other side's reply to
          // the bytes just forwarded slip through before the hole opens.
          fire = armed;
          armed = null;
          state = State.BLACKHOLED;
          position += forward;
        }
      }
      side.framing.advance(buffer, offset, forward);
      side.count += forward;
      delay = side.delayMillis;
    }
    side.writer.write(buffer, offset, forward, delay);
    if (fire != null) {
      proxy.onFired(new FaultProxy.FiredFault(id, fire, position, System.nanoTime()));
      act(side, fire, position + forward);
      return fire.kind() == FaultKind.DELAY ? offset + forward : end;
    }
    return offset + forward;
  }

  private void act(Side side, Fault fault, long cutAt) {
    switch (fault.kind()) {
      case DROP -> side.writer.afterPending(() -> closeBoth(false, "DROP"));
      case TRUNCATE -> side.writer.afterPending(() -> {
        log("cut " + name(side) + " at byte " + cutAt + ", inside a packet");
        closeBoth(false, "TRUNCATE");
      });
      case RESET -> closeBoth(true, "RESET");
      case KILL_BROKER -> proxy.killBroker(this, fault.millis());
      case BLACKHOLE, DELAY -> {
        // state already changed under the lock
      }
      default -> throw new AssertionError(fault.kind());
    }
  }

  private void onEof(Side side) {
    State now;
    synchronized (this) {
      side.eof = true;
      now = state;
    }
    if (now == State.BLACKHOLED && side.direction == Direction.DOWNSTREAM) {
      log("broker closed; not passed on (blackhole)");
      return;
    }
    if (now != State.OPEN || (up.eof && down.eof)) {
      side.writer.afterPending(() -> closeBoth(false, name(side) + " end of stream"));
      return;
    }
    side.writer.afterPending(() -> {
      try {
        side.out.shutdownOutput();
      } catch (IOException e) {
        closeBoth(false, "half-close failed: " + e.getMessage());
      }
    });
  }

  private void onFailure(Side side, IOException e) {
    if (closed.get()) {
      return;
    }
    State now;
    synchronized (this) {
      now = state;
    }
    if (now == State.BLACKHOLED && side.direction == Direction.DOWNSTREAM) {
      log("broker side failed; not passed on (blackhole): " + e.getMessage());
      return;
    }
    // a reset from one peer is passed on to the other as a reset
    closeBoth(FaultProxy.isReset(e), name(side) + " failed: " + e.getMessage());
  }

  private static String name(Side side) {
    return side.direction.name().toLowerCase(Locale.ROOT);
  }

  private void log(String line) {
    proxy.logger().add("conn#" + id + " " + line);
  }
}
