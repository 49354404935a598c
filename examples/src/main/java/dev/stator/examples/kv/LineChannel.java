package dev.stator.examples.kv;

import java.io.IOException;
import java.net.ProtocolException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * Lines over a non-blocking socket channel: what a session or client machine reads and writes.
 * Confined to the loop thread, like the machine that owns it.
 */
final class LineChannel {
  private final SocketChannel channel;
  private final ByteBuffer in = ByteBuffer.allocate(4096);
  private final ByteBuffer line = ByteBuffer.allocate(Protocol.MAX_LINE);
  private final ArrayDeque<ByteBuffer> out = new ArrayDeque<>();

  LineChannel(SocketChannel channel) {
    this.channel = channel;
  }

  SocketChannel channel() {
    return channel;
  }

  /**
   * Reads what is available.
   *
   * @return the complete lines read, or null when the peer has closed
   * @throws ProtocolException if a line is longer than {@link Protocol#MAX_LINE}
   */
  List<String> readLines() throws IOException {
    List<String> lines = new ArrayList<>();
    int read = channel.read(in);
    if (read < 0) {
      return null;
    }
    in.flip();
    while (in.hasRemaining()) {
      byte b = in.get();
      if (b == '\n') {
        line.flip();
        String text = StandardCharsets.UTF_8.decode(line).toString();
        lines.add(text.endsWith("\r") ? text.substring(0, text.length() - 1) : text);
        line.clear();
      } else if (!line.hasRemaining()) {
        in.clear();
        throw new ProtocolException("line longer than " + Protocol.MAX_LINE + " bytes");
      } else {
        line.put(b);
      }
    }
    in.clear();
    return lines;
  }

  /**
   * Sends a line; what the socket does not take now waits for {@link #flush()}.
   *
   * @return whether everything was written
   */
  boolean send(String text) throws IOException {
    out.add(StandardCharsets.UTF_8.encode(text + "\n"));
    return flush();
  }

  /** Writes what waits; returns whether nothing is left. */
  boolean flush() throws IOException {
    while (!out.isEmpty()) {
      ByteBuffer next = out.peek();
      channel.write(next);
      if (next.hasRemaining()) {
        return false;
      }
      out.poll();
    }
    return true;
  }

  void close() {
    try {
      channel.close();
    } catch (IOException ignored) {
      // closing is best effort: the peer sees the connection end either way
    }
  }
}
