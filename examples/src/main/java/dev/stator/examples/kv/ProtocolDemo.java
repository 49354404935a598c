package dev.stator.examples.kv;

import dev.stator.EventLoop;
import dev.stator.Failure;
import dev.stator.Machine;
import dev.stator.MachineFailedException;
import dev.stator.MachineListener;
import dev.stator.examples.kv.KvClient.Request;
import dev.stator.examples.kv.KvClient.Session;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * README's demo: a key-value server and a client controller over real loopback sockets, on one
 * loop. The client starts before the server, so its first dials are refused (expected errors:
 * back off, retry); the server comes up, the client connects, says HELLO and heartbeats. Then a
 * reply trips a bug in the client (a fault): the recovery policy resets it, it reconnects, the bug
 * strikes again, the restart limit is reached, the shutdown runs, and the caller awaiting the
 * lifecycle future gets the failure report. Its first line says what it is about to show, and it
 * says in words when the restart limit is reached. Exits 0.
 */
public final class ProtocolDemo {

  private ProtocolDemo() {}

  /**
   * Runs the demo.
   *
   * @param args ignored
   * @throws Exception if the demo does not go as described
   */
  public static void main(String[] args) throws Exception {
    System.out.println("Stator demo: a key-value client and server over loopback sockets. The client"
        + " dials before the server listens (refused: it backs off and retries), connects, says HELLO"
        + " and heartbeats; then a poisoned reply faults it twice: the first fault resets it, the"
        + " second finds its restart limit reached, and the caller gets the failure report.");
    long start = System.nanoTime();
    InetSocketAddress address = freeLoopbackAddress();
    KvClient.Config config = new KvClient.Config(address, "demo-client", Duration.ofMillis(150),
        Duration.ofMillis(100), Duration.ofSeconds(1), 1);
    CountDownLatch refusedTwice = new CountDownLatch(2);
    try (EventLoop loop = EventLoop.start("kv-loop")) {
      Machine<Session> client = loop.start(KvClient.definition(config), "client-1",
          new Session(config), new MachineListener<>() {
            int pongs;

            @Override
            public void onTransition(Machine<Session> m, String from, Object event, String to) {
              say(start, String.format("%-22s --%s--> %s", from.isEmpty() ? "(start)" : from,
                  event, to));
              if (to.equals("BACKOFF")) {
                refusedTwice.countDown();
              }
              if (from.endsWith("AWAIT_PONG") && to.endsWith("READY") && ++pongs == 2) {
                CompletableFuture<Protocol.Message> reply = new CompletableFuture<>();
                say(start, "client asks the server: GET color");
                m.send(new Request("GET color", reply));
              }
            }

            @Override
            public void onReset(Machine<Session> m, Failure failure) {
              pongs = 0;
              say(start, "FAULT in the client; its recovery policy resets it (restart "
                  + (failure.restartCount() + 1) + " of at most " + config.restarts()
                  + " within a minute). The report:\n" + indent(failure.report()));
            }

          });

      if (!refusedTwice.await(10, TimeUnit.SECONDS)) {
        throw new IllegalStateException("the client never backed off");
      }
      Map<String, String> store = KvServer.newStore();
      store.put("color", "poison");
      KvServer.Running server = KvServer.start(loop, address, store);
      say(start, "server listening on " + server.address());

      try {
        client.lifecycle().get(30, TimeUnit.SECONDS);
        throw new IllegalStateException("the client was expected to fail for good");
      } catch (ExecutionException e) {
        MachineFailedException failed = (MachineFailedException) e.getCause();
        Failure failure = failed.failure();
        if (failure.restartCount() >= config.restarts()) {
          say(start, "FAULT in the client again, and its restart limit is reached ("
              + restarts(config.restarts()) + " within a minute, used): its recovery policy shuts"
              + " it down instead of resetting it, and client-1 has failed for good");
        }
        say(start, "the caller awaiting client-1's lifecycle gets MachineFailedException:\n"
            + indent(failure.report()));
      }
      server.listener().stop().get(10, TimeUnit.SECONDS);
      say(start, "server stopped; demo done");
    }
  }

  private static InetSocketAddress freeLoopbackAddress() throws java.io.IOException {
    try (ServerSocketChannel probe = ServerSocketChannel.open()) {
      probe.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
      return (InetSocketAddress) probe.getLocalAddress();
    }
  }

  private static void say(long start, String text) {
    System.out.printf("%5d ms  %s%n", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start),
        text);
  }

  private static String restarts(int count) {
    return count == 1 ? "1 restart" : count + " restarts";
  }

  private static String indent(String text) {
    return "          " + text.replace("\n", "\n          ");
  }
}
