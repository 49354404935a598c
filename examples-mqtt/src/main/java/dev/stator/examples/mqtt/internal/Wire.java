package dev.stator.examples.mqtt.internal;

import dev.stator.IoReady;
import dev.stator.IoRegistration;
import dev.stator.Machine;
import dev.stator.MachineDefinition;
import dev.stator.Step;
import dev.stator.dsl.Stator;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.util.ReferenceCountUtil;
import java.io.EOFException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.util.ArrayDeque;
import java.util.List;

/**
 * The transport: one TCP connection at a time to the broker, as a small machine of its own whose
 * socket is registered with the loop's selector. It dials when the controller says so, turns bytes
 * into packets with the {@link Codec} and hands them to the {@link ClientCore}, writes what the
 * core sends, and tells the core when the connection is open or lost. It decides nothing about
 * MQTT. Confined to the loop thread.
 *
 * <pre>
 *   IDLE ──Dial──► CONNECTING ──connected──► OPEN
 *    ▲  ◄──Hangup, or I/O error (reported)──┘ │
 *    └──────── Hangup; peer closed, I/O error, malformed packet (reported) ─┘
 *   Close in any state ──► CLOSED (final)
 * </pre>
 */
final class Wire {
  enum State { IDLE, CONNECTING, OPEN, CLOSED }

  /** Dial the broker. */
  record Dial(InetSocketAddress address) {}

  /** The connection is established. */
  record Opened() {}

  /** The broker closed its end. */
  record PeerClosed() {}

  /** A write failed outside the transport's own step. */
  record Broken(IOException cause) {}

  /** Close the connection without reporting it lost: the controller asked. */
  static final String HANGUP = "HANGUP";

  /** Close for good. */
  static final String CLOSE = "CLOSE";

  private final ClientCore core;
  private final ByteBuffer in = ByteBuffer.allocate(64 * 1024);
  private final ArrayDeque<ByteBuffer> out = new ArrayDeque<>();
  private Machine<Wire> machine;
  private SocketChannel channel;
  private IoRegistration io;
  private Codec codec;
  private boolean open;
  private long written;

  Wire(ClientCore core) {
    this.core = core;
  }

  void attach(Machine<Wire> self) {
    this.machine = self;
  }

  Machine<Wire> machine() {
    return machine;
  }

  /** {@return whether the connection is open, so that a write may succeed} */
  boolean isOpen() {
    return open;
  }

  /** {@return how many bytes were handed to the socket since the client started} */
  long written() {
    return written;
  }

  static MachineDefinition<Wire> definition() {
    return Stator.<State, Wire>machine("mqtt-transport")
        .initial(State.IDLE)
        .state(State.IDLE, s -> s
            .on(Dial.class).goTo(State.CONNECTING)
            .on(CLOSE).goTo(State.CLOSED))
        .state(State.CONNECTING, s -> s
            .onEntry(Wire::dial)
            .on(IoReady.class).then(Wire::finishConnect).stay()
            .on(Opened.class).goTo(State.OPEN)
            .on(Dial.class).then(Wire::closeQuietly).goTo(State.CONNECTING)
            .on(HANGUP).then(Wire::closeQuietly).goTo(State.IDLE)
            .on(CLOSE).then(Wire::closeQuietly).goTo(State.CLOSED)
            .onError(IOException.class).then(Wire::lost).goTo(State.IDLE))
        .state(State.OPEN, s -> s
            .onEntry(Wire::opened)
            .onExit(Wire::closeQuietly)
            .on(IoReady.class).then(Wire::readAndWrite).stay()
            .on(PeerClosed.class).then(w -> w.core.transportLost(
                new EOFException("the broker closed the connection"))).goTo(State.IDLE)
            .on(Broken.class).then((w, step) -> w.core.transportLost(step.event().cause()))
                .goTo(State.IDLE)
            .on(Dial.class).goTo(State.CONNECTING)
            .on(HANGUP).goTo(State.IDLE)
            .on(CLOSE).goTo(State.CLOSED)
            .onError(IOException.class).then(Wire::lost).goTo(State.IDLE))
        .finalState(State.CLOSED)
        .build();
  }

  private void dial(Step<Object> step) throws IOException {
    InetSocketAddress address = ((Dial) step.event()).address();
    channel = SocketChannel.open();
    channel.configureBlocking(false);
    channel.socket().setTcpNoDelay(true);
    if (channel.connect(address)) {
      step.raise(new Opened());
    } else {
      step.registerIo("mqtt-connect", channel, SelectionKey.OP_CONNECT, false);
    }
  }

  private void finishConnect(Step<IoReady> step) throws IOException {
    if (step.event().isConnectable() && channel.finishConnect()) {
      step.raise(new Opened());
    }
  }

  private void opened(Step<Object> step) throws IOException {
    codec = new Codec();
    io = step.registerIo("mqtt-broker", channel, SelectionKey.OP_READ, false);
    open = true;
    core.transportOpened();
  }

  private void lost(Step<IOException> step) {
    closeQuietly();
    core.transportLost(step.event());
  }

  private void readAndWrite(Step<IoReady> step) throws IOException {
    if (step.event().isWritable() && flush()) {
      io.interestOps(SelectionKey.OP_READ);
    }
    if (!step.event().isReadable() || !open) {
      return;
    }
    int read = channel.read(in);
    if (read < 0) {
      step.raise(new PeerClosed());
      return;
    }
    if (read == 0) {
      return;
    }
    in.flip();
    List<MqttMessage> packets;
    try {
      packets = codec.decode(in);
    } finally {
      in.clear();
    }
    for (int i = 0; i < packets.size(); i++) {
      MqttMessage packet = packets.get(i);
      try {
        if (open) {
          core.received(packet);
        }
      } finally {
        ReferenceCountUtil.release(packet);
      }
    }
  }

  /**
   * Sends a packet, or drops it if the connection is not open. A write that fails closes the
   * connection and reports it lost, from the transport's own step: the caller, another machine's
   * action, never sees the {@code IOException}.
   *
   * @param packet the packet; released here
   * @return whether it was handed to the socket (or queued behind what waits)
   */
  boolean send(MqttMessage packet) {
    if (!open) {
      ReferenceCountUtil.release(packet);
      return false;
    }
    ByteBuffer bytes = codec.encode(packet);
    try {
      if (out.isEmpty()) {
        written += channel.write(bytes);
      }
      if (bytes.hasRemaining()) {
        out.add(bytes);
        io.interestOps(SelectionKey.OP_READ | SelectionKey.OP_WRITE);
      }
      return true;
    } catch (IOException e) {
      closeQuietly();
      machine.send(new Broken(e));
      return false;
    }
  }

  private boolean flush() throws IOException {
    while (!out.isEmpty()) {
      ByteBuffer next = out.peek();
      written += channel.write(next);
      if (next.hasRemaining()) {
        return false;
      }
      out.poll();
    }
    return true;
  }

  void closeQuietly() {
    open = false;
    out.clear();
    if (codec != null) {
      codec.close();
      codec = null;
    }
    if (channel != null) {
      try {
        channel.close();
      } catch (IOException ignored) {
        // best effort: the broker sees the connection end either way
      }
    }
  }
}
