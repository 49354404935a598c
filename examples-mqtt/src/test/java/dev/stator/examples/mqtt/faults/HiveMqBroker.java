package dev.stator.examples.mqtt.faults;

import com.hivemq.embedded.EmbeddedHiveMQ;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A real MQTT broker, HiveMQ Community Edition (embedded), in this process on 127.0.0.1, whose
 * sessions and queued messages are kept in files under a directory, so that a kill (stopping the
 * broker) and a restart on the same port keep them, as a broker's process restarted on its disk
 * would. The network-fault runs use it rather than Moquette 0.17, whose session threads end on
 * some resends and lose every message of the sessions they served (see docs/mqtt-example.md).
 * Not thread-safe: the proxy's control thread and the test take turns.
 */
public final class HiveMqBroker implements BrokerControl, AutoCloseable {

  private static final long START_SECONDS = 60;

  private final Path config;
  private final Path data;
  private final Path extensions;
  private final int port;
  private EmbeddedHiveMQ broker;
  private int starts;

  /**
   * Starts a broker keeping its state under {@code directory}.
   *
   * @param directory where the broker keeps its configuration, sessions and queues
   */
  public HiveMqBroker(Path directory) throws IOException {
    this.port = freePort();
    this.config = Files.createDirectories(directory.resolve("conf"));
    this.data = Files.createDirectories(directory.resolve("data"));
    this.extensions = Files.createDirectories(directory.resolve("extensions"));
    Files.writeString(config.resolve("config.xml"), """
        <?xml version="1.0"?>
        <hivemq>
          <listeners>
            <tcp-listener>
              <port>%d</port>
              <bind-address>127.0.0.1</bind-address>
            </tcp-listener>
          </listeners>
          <mqtt>
            <queued-messages>
              <max-queue-size>100000</max-queue-size>
            </queued-messages>
          </mqtt>
          <anonymous-usage-statistics>
            <enabled>false</enabled>
          </anonymous-usage-statistics>
        </hivemq>
        """.formatted(port), StandardCharsets.UTF_8);
    start();
  }

  /** {@return the broker's address} */
  public InetSocketAddress address() {
    return new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
  }

  /** {@return how many times the broker was started, the first time included} */
  public int starts() {
    return starts;
  }

  @Override
  public void kill() throws Exception {
    if (broker != null) {
      EmbeddedHiveMQ stopping = broker;
      broker = null;
      stopping.stop().get(START_SECONDS, TimeUnit.SECONDS);
      stopping.close();
    }
  }

  @Override
  public void restart() throws Exception {
    kill();
    start();
  }

  @Override
  public void close() throws IOException {
    try {
      kill();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while HiveMQ stopped", e);
    } catch (Exception e) {
      throw new IOException("HiveMQ did not stop", e);
    }
  }

  private void start() throws IOException {
    EmbeddedHiveMQ fresh = EmbeddedHiveMQ.builder()
        .withConfigurationFolder(config)
        .withDataFolder(data)
        .withExtensionsFolder(extensions)
        .withoutLoggingBootstrap()
        .build();
    try {
      fresh.start().get(START_SECONDS, TimeUnit.SECONDS);
    } catch (ExecutionException | TimeoutException e) {
      throw new IOException("HiveMQ did not start on port " + port, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while HiveMQ started", e);
    }
    broker = fresh;
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
