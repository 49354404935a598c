package dev.stator.examples.kv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.HashMap;
import org.junit.jupiter.api.Test;

/**
 * A server session's end closes its connection even when its last words cannot be written: the
 * leak that exploring the session with every single fault found (the flush threw, the socket
 * stayed open).
 */
final class SessionHangUpTest {

  @Test
  void hangingUp_closesTheSocket_evenWhenTheGoodbyeCannotBeFlushed() throws IOException {
    try (ServerSocketChannel server = ServerSocketChannel.open()
        .bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        SocketChannel client = SocketChannel.open(server.getLocalAddress());
        SocketChannel accepted = server.accept()) {
      KvServer.Session session = new KvServer.Session(accepted, new HashMap<>(), "s-1");
      accepted.shutdownOutput();

      // the goodbye waits in the session's queue: the socket no longer takes it
      assertThatThrownBy(() -> session.lines.send("BYE")).isInstanceOf(IOException.class);

      assertThatThrownBy(session::hangUp).isInstanceOf(IOException.class);

      assertThat(accepted.isOpen()).isFalse();
      assertThat(client.isOpen()).isTrue();
    }
  }
}
