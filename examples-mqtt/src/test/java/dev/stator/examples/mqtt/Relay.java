package dev.stator.examples.mqtt;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.IntPredicate;

/**
 * A TCP relay on loopback between a client and the broker, for the tests that need the network
 * to misbehave at a chosen packet: it reads the client's stream packet by packet (fixed header,
 * remaining length, body) and can drop the packets of chosen types, can stop passing anything in
 * either direction without closing (a dead peer), and can cut the connection. The broker's
 * stream is copied as it comes. One connection at a time; each accepted connection is relayed by
 * two daemon threads.
 */
final class Relay implements AutoCloseable {
  private final ServerSocket server;
  private final int upstreamPort;
  private final List<Socket> sockets = new CopyOnWriteArrayList<>();
  /** The first byte of every packet the client sent: type in the high nibble, flags low. */
  final List<Integer> fromClient = new CopyOnWriteArrayList<>();
  /** When each of {@link #fromClient} arrived, by {@link System#nanoTime()}. */
  final List<Long> fromClientAt = new CopyOnWriteArrayList<>();
  /** The packet identifier of every QoS 1 or 2 PUBLISH the client sent. */
  final List<Integer> publishIds = new CopyOnWriteArrayList<>();
  /**
   * Completed when the relay stops reading a client's packets: the client closed its end, or the
   * broker closed its own first and the relay closed the client's with it.
   */
  final CompletableFuture<Void> clientEnded = new CompletableFuture<>();
  private volatile IntPredicate drop = type -> false;
  private volatile boolean frozen;
  private volatile CompletableFuture<Integer> firstDrop = new CompletableFuture<>();
  private final Thread acceptor;
  private volatile Socket currentClient;

  Relay(int upstreamPort) throws IOException {
    this.upstreamPort = upstreamPort;
    this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    this.acceptor = new Thread(this::accept, "relay-accept");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  int port() {
    return server.getLocalPort();
  }

  /**
   * Drops the client's packets of the types the predicate accepts, from now on.
   *
   * @param types tests a packet type (1 CONNECT … 14 DISCONNECT)
   * @return completed with the type of the first packet dropped
   */
  CompletableFuture<Integer> dropFromClient(IntPredicate types) {
    firstDrop = new CompletableFuture<>();
    drop = types;
    return firstDrop;
  }

  /** Passes everything again. */
  void passAll() {
    drop = type -> false;
    frozen = false;
  }

  /** Passes nothing more in either direction, and closes nothing: the peer looks dead. */
  void freeze() {
    frozen = true;
  }

  /**
   * Writes bytes to the client as if the broker had sent them, between two of the broker's reads.
   *
   * @param bytes what to send
   * @throws IOException if no client is connected or the write failed
   */
  void injectToClient(byte[] bytes) throws IOException {
    Socket client = currentClient;
    if (client == null) {
      throw new IOException("no client is connected to the relay");
    }
    synchronized (client) {
      client.getOutputStream().write(bytes);
      client.getOutputStream().flush();
    }
  }

  /** Closes the relayed connections, both sides. */
  void cut() {
    for (Socket socket : sockets) {
      try {
        socket.close();
      } catch (IOException ignored) {
        // closing is all a cut does
      }
    }
    sockets.clear();
  }

  private void accept() {
    while (!server.isClosed()) {
      try {
        Socket client = server.accept();
        Socket broker = new Socket(InetAddress.getLoopbackAddress(), upstreamPort);
        client.setTcpNoDelay(true);
        broker.setTcpNoDelay(true);
        sockets.add(client);
        sockets.add(broker);
        currentClient = client;
        start("relay-up", () -> pumpPackets(client, broker));
        start("relay-down", () -> pumpBytes(broker, client));
      } catch (IOException closed) {
        return;
      }
    }
  }

  private static void start(String name, Runnable pump) {
    Thread thread = new Thread(pump, name);
    thread.setDaemon(true);
    thread.start();
  }

  /** Closes both sides when a pump ends, unless frozen: a frozen relay shows no close either. */
  private void end(Socket from, Socket to) {
    if (!frozen) {
      try {
        from.close();
        to.close();
      } catch (IOException ignored) {
        // closing is all that is left to do
      }
    }
  }

  private void pumpPackets(Socket from, Socket to) {
    try {
      DataInputStream in = new DataInputStream(from.getInputStream());
      OutputStream out = to.getOutputStream();
      while (true) {
        int first = in.read();
        if (first < 0) {
          return;
        }
        byte[] length = new byte[4];
        int lengthBytes = 0;
        int remaining = 0;
        int multiplier = 1;
        int digit;
        do {
          digit = in.readUnsignedByte();
          length[lengthBytes++] = (byte) digit;
          remaining += (digit & 0x7f) * multiplier;
          multiplier *= 128;
        } while ((digit & 0x80) != 0);
        byte[] body = new byte[remaining];
        in.readFully(body);
        int type = first >> 4;
        fromClientAt.add(System.nanoTime());
        fromClient.add(first);
        if (type == 3 && (first & 0x06) != 0) {
          int topicLength = (body[0] & 0xff) << 8 | (body[1] & 0xff);
          publishIds.add((body[2 + topicLength] & 0xff) << 8 | (body[3 + topicLength] & 0xff));
        }
        if (frozen) {
          continue;
        }
        if (drop.test(type)) {
          firstDrop.complete(type);
          continue;
        }
        out.write(first);
        out.write(length, 0, lengthBytes);
        out.write(body);
        out.flush();
      }
    } catch (EOFException | java.net.SocketException ended) {
      // the connection ended or was cut
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      clientEnded.complete(null);
      end(from, to);
    }
  }

  private void pumpBytes(Socket from, Socket to) {
    try {
      InputStream in = from.getInputStream();
      OutputStream out = to.getOutputStream();
      byte[] buffer = new byte[8192];
      int read;
      while ((read = in.read(buffer)) >= 0) {
        if (!frozen) {
          synchronized (to) {
            out.write(buffer, 0, read);
            out.flush();
          }
        }
      }
    } catch (IOException ended) {
      // the connection ended or was cut
    } finally {
      end(from, to);
    }
  }

  @Override
  public void close() throws IOException {
    server.close();
    cut();
  }
}
