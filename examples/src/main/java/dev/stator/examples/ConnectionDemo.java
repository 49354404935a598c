package dev.stator.examples;

import dev.stator.EventLoop;
import dev.stator.Failure;
import dev.stator.Machine;
import dev.stator.MachineDefinition;
import dev.stator.MachineFailedException;
import dev.stator.MachineListener;
import dev.stator.RecoveryPolicy;
import dev.stator.Termination;
import dev.stator.dsl.Stator;
import java.net.ConnectException;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * README's demo: a connection controller on a real event loop with real timers. The dial is
 * refused twice (an expected error: back off and retry), the link comes up and heartbeats, then a
 * heartbeat hits a bug (a fault: the machine is reset with a fresh context), and the second
 * incarnation finishes cleanly. Every transition and the failure report are printed.
 */
public final class ConnectionDemo {

  enum Conn { CONNECTING, BACKOFF, READY, CLOSED }

  /** The controller's context: one per incarnation. */
  static final class Session {
    private static final AtomicInteger INCARNATIONS = new AtomicInteger();
    final int incarnation = INCARNATIONS.incrementAndGet();
    int dials;
    int heartbeats;
    boolean connected;

    void dial() throws ConnectException {
      dials++;
      if (incarnation == 1 && dials < 3) {
        throw new ConnectException("connection refused (dial " + dials + ")");
      }
      connected = true;
    }

    void heartbeat() {
      heartbeats++;
      if (incarnation == 1 && heartbeats == 2) {
        throw new IllegalStateException("heartbeat sequence corrupted: expected 2, saw -1");
      }
    }

    boolean done() {
      return heartbeats >= 3;
    }
  }

  static final MachineDefinition<Session> CONTROLLER = Stator.<Conn, Session>machine("controller")
      .initial(Conn.CONNECTING)
      .state(Conn.CONNECTING, s -> s
          .onEntry(Session::dial)
          .onError(ConnectException.class).goTo(Conn.BACKOFF)
          .always().when(c -> c.connected).goTo(Conn.READY))
      .state(Conn.BACKOFF, s -> s.after(Duration.ofMillis(200)).goTo(Conn.CONNECTING))
      .state(Conn.READY, s -> s
          .always().when(Session::done).goTo(Conn.CLOSED)
          .after(Duration.ofMillis(100)).then(Session::heartbeat).goTo(Conn.READY))
      .finalState(Conn.CLOSED)
      .recovery(RecoveryPolicy.<Session>reset(Session::new)
          .atMost(3, Duration.ofMinutes(1))
          .then(RecoveryPolicy.exit()))
      .build();

  private ConnectionDemo() {}

  /**
   * Runs the demo.
   *
   * @param args ignored
   * @throws Exception if the controller does not end as expected
   */
  public static void main(String[] args) throws Exception {
    long start = System.nanoTime();
    try (EventLoop loop = EventLoop.start("demo-loop")) {
      Machine<Session> controller = loop.start(CONTROLLER, "conn-1", new Session(),
          new MachineListener<>() {
        @Override
        public void onTransition(Machine<Session> m, String from, Object event, String to) {
          System.out.printf("%5d ms  %-10s --%s--> %s%n", millisSince(start),
              from.isEmpty() ? "(start)" : from, event, to);
        }

        @Override
        public void onReset(Machine<Session> m, Failure failure) {
          System.out.printf("%5d ms  FAULT, recovery policy resets the machine. The report:%n%s%n",
              millisSince(start), indent(failure.report()));
        }
      });
      try {
        Termination<Session> end = controller.lifecycle().get(30, TimeUnit.SECONDS);
        System.out.printf("%5d ms  lifecycle completed: %s after %d heartbeats (incarnation %d)%n",
            millisSince(start), end, end.context().heartbeats, end.context().incarnation);
      } catch (ExecutionException e) {
        if (e.getCause() instanceof MachineFailedException failed) {
          System.out.println("lifecycle failed: " + failed.failure().report());
        }
        throw e;
      }
    }
  }

  private static long millisSince(long start) {
    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
  }

  private static String indent(String text) {
    return "          " + text.replace("\n", "\n          ");
  }
}
