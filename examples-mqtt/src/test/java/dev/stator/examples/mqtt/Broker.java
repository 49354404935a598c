package dev.stator.examples.mqtt;

import io.moquette.broker.Server;
import io.moquette.broker.config.MemoryConfig;
import io.moquette.broker.security.IAuthenticator;
import io.moquette.broker.security.IAuthorizatorPolicy;
import io.moquette.broker.subscriptions.Topic;
import io.moquette.interception.AbstractInterceptHandler;
import io.moquette.interception.InterceptHandler;
import io.moquette.interception.messages.InterceptConnectMessage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * A real MQTT broker, Moquette, in this JVM on a loopback port: in-memory sessions, anonymous
 * clients allowed unless an authenticator is given, telemetry off.
 */
final class Broker implements AutoCloseable {
  private final Server server = new Server();
  private final int port;
  /** Per client id: the broker has accepted a connection (see {@link #awaitAccepted}). */
  private final Map<String, CompletableFuture<Void>> accepted = new ConcurrentHashMap<>();

  /** Lets everyone publish anywhere, and read everything but the topics under "forbidden/". */
  private static final IAuthorizatorPolicy FORBIDDEN_UNREADABLE = new IAuthorizatorPolicy() {
    @Override
    public boolean canWrite(Topic topic, String user, String client) {
      return true;
    }

    @Override
    public boolean canRead(Topic topic, String user, String client) {
      return !topic.toString().startsWith("forbidden/");
    }
  };

  private Broker(int port, IAuthenticator authenticator) {
    this.port = port;
    Properties properties = new Properties();
    properties.setProperty("host", "127.0.0.1");
    properties.setProperty("port", Integer.toString(port));
    properties.setProperty("websocket_port", "disabled");
    properties.setProperty("persistence_enabled", "false");
    properties.setProperty("telemetry_enabled", "false");
    properties.setProperty("netty.epoll", "false");
    properties.setProperty("immediate_buffer_flush", "true");
    properties.setProperty("allow_anonymous", authenticator == null ? "true" : "false");
    try {
      server.startServer(new MemoryConfig(properties), List.<InterceptHandler>of(new Accepted()),
          null, authenticator, authenticator == null ? null : FORBIDDEN_UNREADABLE);
    } catch (IOException e) {
      throw new UncheckedIOException("Moquette did not start on port " + port, e);
    }
  }

  private static Broker shared;

  /**
   * {@return the broker the test classes share: started once, stopped with the JVM} Moquette
   * takes two seconds to stop (Netty's quiet period), so the classes that need no broker of their
   * own share this one; each test uses client ids of its own.
   */
  static synchronized Broker shared() {
    if (shared == null) {
      shared = start();
    }
    return shared;
  }

  /** {@return a broker on a free loopback port} */
  static Broker start() {
    return new Broker(freePort(), null);
  }

  /**
   * {@return a broker that accepts only this user and password, and refuses subscriptions to the
   * topics under "forbidden/"}
   *
   * @param user the user name
   * @param password the password
   */
  static Broker withCredentials(String user, String password) {
    return new Broker(freePort(), (clientId, name, secret) -> user.equals(name) && secret != null
        && password.equals(new String(secret, java.nio.charset.StandardCharsets.UTF_8)));
  }

  /**
   * {@return a broker on a given port}
   *
   * @param port the port, free
   */
  static Broker onPort(int port) {
    return new Broker(port, null);
  }

  static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Waits until the broker has accepted the client's connection for its own part, past the
   * CONNACK: Moquette 0.17 sends CONNACK from its session thread and marks the connection
   * connected in a listener of that write, which runs later on the channel's thread when the
   * write completes before the listener is added; a SUBSCRIBE or PUBLISH read in between meets
   * "received on already closed connection" and the connection is dropped. A client may send
   * them as soon as CONNACK arrives (MQTT 3.1.1, section 3.1.4: it need not even wait for it), so
   * this is the broker's race; tests that act at once after connecting wait for it here. Moquette
   * tells its interceptors of a connection after marking it connected.
   *
   * @param clientId the client id
   */
  void awaitAccepted(String clientId) throws Exception {
    accepted.computeIfAbsent(clientId, id -> new CompletableFuture<>()).get(10, TimeUnit.SECONDS);
    accepted.remove(clientId);
  }

  /** Completes the wait of {@link #awaitAccepted} for each connection the broker accepted. */
  private final class Accepted extends AbstractInterceptHandler {
    @Override
    public String getID() {
      return "stator-tests-accepted";
    }

    @Override
    public void onConnect(InterceptConnectMessage message) {
      accepted.computeIfAbsent(message.getClientID(), id -> new CompletableFuture<>())
          .complete(null);
    }

    @Override
    public void onSessionLoopError(Throwable error) {
      // Moquette logs nothing here (no SLF4J provider on the test class path): say it, so that
      // a test failing after a broken session loop shows why in the build's output
      System.err.println("Moquette's session loop failed: " + error);
      error.printStackTrace();
    }
  }

  int port() {
    return port;
  }

  String uri() {
    return "tcp://127.0.0.1:" + port;
  }

  /** {@return options for a Stator client of this broker} */
  MqttClientOptions.Builder options(String clientId) {
    return MqttClientOptions.builder("127.0.0.1", port, clientId);
  }

  /**
   * Drops a client's connection from the broker's side, keeping its session.
   *
   * @param clientId the client
   * @return whether it was connected
   */
  boolean disconnect(String clientId) {
    return server.disconnectClient(clientId);
  }

  @Override
  public void close() {
    server.stopServer();
  }
}
