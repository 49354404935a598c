package dev.stator.examples.mqtt.faults;

import io.moquette.broker.Server;
import io.moquette.broker.config.MemoryConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.Properties;

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
    Server fresh = new Server();
    fresh.startServer(new MemoryConfig(properties));
    server = fresh;
    starts++;
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
