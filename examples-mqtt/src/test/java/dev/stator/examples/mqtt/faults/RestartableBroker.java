package dev.stator.examples.mqtt.faults;

import io.moquette.broker.Server;
import io.moquette.broker.config.MemoryConfig;
import io.moquette.interception.AbstractInterceptHandler;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * A real MQTT broker (Moquette) in this process, on 127.0.0.1, whose sessions and queued
 * messages are persisted under a directory, so that a kill (stopping the server) and a restart on
 * the same port keep them, as a broker's process restarted on its disk would. The
 * {@link FaultProxy} kills and restarts it through {@link BrokerControl}. Not thread-safe: the
 * proxy's control thread and the test take turns.
 */
public final class RestartableBroker implements BrokerControl, AutoCloseable {

  private final Properties properties = new Properties();
  private final int port;
  private Server server;
  private int starts;
  private Set<Thread> sessionLoops = Set.of();
  private volatile boolean stopping;
  private volatile CompletableFuture<Throwable> sessionLoopDied = new CompletableFuture<>();

  /**
   * Starts a broker persisting under {@code dataDirectory}.
   *
   * @param dataDirectory where the broker keeps its sessions and queues
   */
  public RestartableBroker(Path dataDirectory) throws IOException {
    this.port = freePort();
    properties.setProperty("host", "127.0.0.1");
    properties.setProperty("port", Integer.toString(port));
    properties.setProperty("websocket_port", "disabled");
    properties.setProperty("allow_anonymous", "true");
    properties.setProperty("persistence_enabled", "true");
    properties.setProperty("persistent_queue_type", "h2");
    properties.setProperty("data_path", dataDirectory.toAbsolutePath().toString());
    properties.setProperty("immediate_buffer_flush", "true");
    properties.setProperty("telemetry_enabled", "false");
    properties.setProperty("netty.epoll", "false");
    start();
  }

  /** {@return the broker's address} */
  public InetSocketAddress address() {
    return new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
  }

  /** {@return the broker's port on 127.0.0.1} */
  public int port() {
    return port;
  }

  /** {@return how many times the broker was started, the first time included} */
  public int starts() {
    return starts;
  }

  @Override
  public void kill() {
    stopping = true;
    if (server != null) {
      server.stopServer();
      server = null;
    }
  }

  @Override
  public void restart() throws IOException {
    kill();
    start();
  }

  @Override
  public void close() {
    kill();
  }

  private void start() throws IOException {
    stopping = false;
    Set<Thread> before = sessionThreads();
    Server fresh = new Server();
    CompletableFuture<Throwable> died = new CompletableFuture<>();
    sessionLoopDied = died;
    fresh.startServer(new MemoryConfig(properties), List.of(new AbstractInterceptHandler() {
      @Override
      public String getID() {
        return "session-loop-watch";
      }

      @Override
      public Class<?>[] getInterceptedMessageTypes() {
        return new Class<?>[0];
      }

      @Override
      public void onSessionLoopError(Throwable error) {
        died.complete(error);
      }
    }));
    Set<Thread> after = sessionThreads();
    after.removeAll(before);
    sessionLoops = after;
    for (Thread loop : after) {
      Thread watcher = new Thread(() -> {
        try {
          loop.join();
        } catch (InterruptedException e) {
          return;
        }
        if (sessionLoopDied == died && !stopping) {
          died.complete(new IllegalStateException(loop.getName() + " ended"));
        }
      }, "broker-session-watch");
      watcher.setDaemon(true);
      watcher.start();
    }
    server = fresh;
    starts++;
  }

  /**
   * {@return whether every session thread of the running broker is alive} Moquette 0.17 runs each
   * client's session on one of a few "Session Executor" threads; when a task throws, the thread
   * ends (its log says "terminated with error") and the sessions it served go silent for good.
   * A run that fails while this is false failed on the broker, not on the client under test.
   */
  public boolean sessionLoopsAlive() {
    return sessionLoops.stream().allMatch(Thread::isAlive);
  }

  /**
   * {@return a future completed with the error that ended one of the running broker's session
   * threads, if one ends} What a run waits on beside its deliveries, so that it stops at once when
   * the broker broke.
   */
  public CompletableFuture<Throwable> sessionLoopDied() {
    return sessionLoopDied;
  }

  private static Set<Thread> sessionThreads() {
    Set<Thread> threads = new HashSet<>();
    for (Thread thread : Thread.getAllStackTraces().keySet()) {
      if (thread.getName().startsWith("Session Executor")) {
        threads.add(thread);
      }
    }
    return threads;
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
