package dev.stator.examples.mqtt.faults;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A plain TCP server on 127.0.0.1 for the proxy's own tests: it hands each accepted socket to the
 * test, and can be stopped (every socket it accepted closed) and started again on the same port.
 */
final class LoopbackServer implements BrokerControl, AutoCloseable {

  private final BlockingQueue<Socket> accepted = new LinkedBlockingQueue<>();
  private final List<Socket> sockets = new CopyOnWriteArrayList<>();
  private final int port;
  private volatile ServerSocket server;
  private final List<String> calls = new CopyOnWriteArrayList<>();

  LoopbackServer() throws IOException {
    this.server = bind(0);
    this.port = server.getLocalPort();
    acceptFrom(server);
  }

  InetSocketAddress address() {
    return new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
  }

  /** {@return the next socket the server accepted, waiting up to 5 s} */
  Socket next() throws InterruptedException {
    Socket socket = accepted.poll(5, TimeUnit.SECONDS);
    if (socket == null) {
      throw new AssertionError("the server accepted no connection within 5 s");
    }
    return socket;
  }

  /** {@return the kill and restart calls received, in order} */
  List<String> calls() {
    return List.copyOf(calls);
  }

  @Override
  public void kill() throws IOException {
    calls.add("kill");
    server.close();
    for (Socket socket : sockets) {
      socket.close();
    }
  }

  @Override
  public void restart() throws IOException {
    calls.add("restart");
    server = bind(port);
    acceptFrom(server);
  }

  @Override
  public void close() throws IOException {
    server.close();
    for (Socket socket : sockets) {
      socket.close();
    }
  }

  private static ServerSocket bind(int port) throws IOException {
    ServerSocket socket = new ServerSocket();
    socket.setReuseAddress(true);
    socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
    return socket;
  }

  private void acceptFrom(ServerSocket listening) {
    Thread thread = new Thread(() -> {
      while (!listening.isClosed()) {
        try {
          Socket socket = listening.accept();
          sockets.add(socket);
          accepted.add(socket);
        } catch (IOException closed) {
          return;
        }
      }
    }, "loopback-server");
    thread.setDaemon(true);
    thread.start();
  }
}
