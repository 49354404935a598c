package dev.stator.benchmarks;

import dev.stator.EventLoop;
import dev.stator.Machine;
import dev.stator.MachineListener;
import dev.stator.examples.kv.KvClient;
import dev.stator.examples.kv.KvServer;
import dev.stator.examples.kv.Protocol;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * Request round-trip latency of the protocol example on loopback: a {@link KvClient} controller on
 * one loop sends {@code GET} requests one at a time to a {@link KvServer} on another loop; each
 * round trip (send from the benchmark thread, through the client machine, the socket, the server's
 * session machine, back, to the reply future completing) is recorded in an HdrHistogram.
 *
 * <p>Run: {@code java -cp benchmarks/target/benchmarks.jar dev.stator.benchmarks.ProtocolLatency
 * [requests]} (default 100,000 measured after 20,000 warm-up requests).
 */
public final class ProtocolLatency {

  private ProtocolLatency() {}

  /**
   * Runs the measurement and prints the percentiles.
   *
   * @param args optionally, the number of measured requests
   * @throws Exception if the client or server fails
   */
  public static void main(String[] args) throws Exception {
    int requests = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
    int warmup = 20_000;
    try (EventLoop serverLoop = EventLoop.start("latency-server");
        EventLoop clientLoop = EventLoop.start("latency-client")) {
      var store = KvServer.newStore();
      store.put("key", "value");
      KvServer.Running server = KvServer.start(serverLoop,
          new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), store);
      CompletableFuture<Void> ready = new CompletableFuture<>();
      KvClient.Config config = new KvClient.Config(server.address(), "latency",
          Duration.ofMinutes(10), Duration.ofMillis(10), Duration.ofMillis(100), 0);
      Machine<KvClient.Session> client = KvClient.start(clientLoop, "latency-client", config,
          new MachineListener<>() {
            @Override
            public void onTransition(Machine<KvClient.Session> m, String from, Object event,
                String to) {
              if (to.endsWith("READY")) {
                ready.complete(null);
              }
            }
          });
      ready.get(10, TimeUnit.SECONDS);

      Histogram histogram = new Histogram(TimeUnit.SECONDS.toNanos(10), 3);
      for (int i = 0; i < warmup + requests; i++) {
        CompletableFuture<Protocol.Message> reply = new CompletableFuture<>();
        long start = System.nanoTime();
        client.send(new KvClient.Request("GET key", reply));
        Protocol.Message answer = reply.get(10, TimeUnit.SECONDS);
        long took = System.nanoTime() - start;
        if (!(answer instanceof Protocol.Value)) {
          throw new IllegalStateException("unexpected reply " + answer);
        }
        if (i >= warmup) {
          histogram.recordValue(took);
        }
      }
      System.out.printf("protocol round trip on loopback, %,d requests: p50 %.1f µs, p90 %.1f µs,"
          + " p99 %.1f µs, p99.9 %.1f µs, max %.1f µs%n", requests,
          histogram.getValueAtPercentile(50) / 1e3, histogram.getValueAtPercentile(90) / 1e3,
          histogram.getValueAtPercentile(99) / 1e3, histogram.getValueAtPercentile(99.9) / 1e3,
          histogram.getMaxValue() / 1e3);
      client.send("quit");
      client.lifecycle().get(10, TimeUnit.SECONDS);
    }
  }
}
