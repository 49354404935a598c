package dev.stator.examples.kv;

import dev.stator.ChildTerminated;
import dev.stator.EventLoop;
import dev.stator.IoReady;
import dev.stator.IoRegistration;
import dev.stator.Machine;
import dev.stator.MachineDefinition;
import dev.stator.Step;
import dev.stator.dsl.Stator;
import dev.stator.examples.kv.Protocol.Bye;
import dev.stator.examples.kv.Protocol.Get;
import dev.stator.examples.kv.Protocol.Hello;
import dev.stator.examples.kv.Protocol.Malformed;
import dev.stator.examples.kv.Protocol.Message;
import dev.stator.examples.kv.Protocol.PeerClosed;
import dev.stator.examples.kv.Protocol.Ping;
import dev.stator.examples.kv.Protocol.Put;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.SelectionKey;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The key-value server: a listener machine accepts connections and starts one session machine per
 * connection as its child, all on one loop. A session that receives a malformed line answers
 * {@code ERROR <reason>} and closes; the server stays up.
 *
 * <pre>
 *   listener:  LISTENING ──accept──► starts a session child; ChildTerminated ──► counted
 *
 *   session:   OPEN ─┬─ AWAITING_HELLO ──HELLO──► READY ──PING/GET/PUT──► READY
 *                    │        │ other, or 5 s              │ BYE, malformed, peer closed
 *                    └────────┴────────────────────────────┴──► CLOSED (final: socket closed)
 * </pre>
 */
public final class KvServer {

  enum ListenerState { LISTENING }

  enum SessionState { OPEN, AWAITING_HELLO, READY, CLOSED }

  /** The listener's context. */
  static final class Listener {
    final ServerSocketChannel server;
    final Map<String, String> store;
    int sessionsStarted;
    int sessionsEnded;
    int sessionsFailed;

    Listener(ServerSocketChannel server, Map<String, String> store) {
      this.server = server;
      this.store = store;
    }
  }

  /** One connection's context. */
  static final class Session {
    final LineChannel lines;
    final Map<String, String> store;
    final String id;
    IoRegistration io;
    String clientId;
    String closeReason = "";

    Session(SocketChannel channel, Map<String, String> store, String id) {
      this.lines = new LineChannel(channel);
      this.store = store;
      this.id = id;
    }

    /**
     * Says the last words and closes the connection: closed even when they cannot be flushed (the
     * peer reset it), which exploring the session with every single fault showed.
     */
    void hangUp() throws IOException {
      try {
        lines.flush();
      } finally {
        lines.close();
      }
    }

    void readLines(Step<IoReady> step) throws IOException {
      IoReady ready = step.event();
      if (ready.isWritable() && lines.flush()) {
        io.interestOps(SelectionKey.OP_READ);
      }
      if (!ready.isReadable()) {
        return;
      }
      List<String> received;
      try {
        received = lines.readLines();
      } catch (java.net.ProtocolException tooLong) {
        step.raise(new Malformed("", tooLong.getMessage()));
        return;
      }
      if (received == null) {
        step.raise(new PeerClosed());
        return;
      }
      for (String line : received) {
        step.raise(Protocol.parse(line));
      }
    }

    void reply(String line) throws IOException {
      if (!lines.send(line)) {
        io.interestOps(SelectionKey.OP_READ | SelectionKey.OP_WRITE);
      }
    }

    void refuse(String reason) throws IOException {
      closeReason = reason;
      reply("ERROR " + reason);
    }
  }

  /** A session: lives until BYE, a malformed line, the peer closing, or no HELLO in time. */
  static final MachineDefinition<Session> SESSION = Stator.<SessionState, Session>machine("session")
      .initial(SessionState.OPEN)
      .state(SessionState.OPEN, open -> open
          .initial(SessionState.AWAITING_HELLO)
          .onEntry((s, step) -> s.io = step.registerIo("client", s.lines.channel(),
              SelectionKey.OP_READ, true))
          .on(IoReady.class).then(Session::readLines).stay()
          .on(PeerClosed.class).then(s -> s.closeReason = "peer closed").goTo(SessionState.CLOSED)
          .onError(IOException.class).then((s, step) -> s.closeReason = step.event().toString())
          .goTo(SessionState.CLOSED)
          .state(SessionState.AWAITING_HELLO, waiting -> waiting
              .on(Malformed.class).then((s, step) -> s.refuse(step.event().reason()))
              .goTo(SessionState.CLOSED)
              .on(Hello.class).then((s, step) -> {
                s.clientId = step.event().clientId();
                s.reply("WELCOME " + s.id);
              }).goTo(SessionState.READY)
              .on(Message.class).then(s -> s.refuse("expected HELLO first"))
              .goTo(SessionState.CLOSED)
              .after(Duration.ofSeconds(5)).then(s -> s.refuse("no HELLO within 5 s"))
              .goTo(SessionState.CLOSED))
          .state(SessionState.READY, ready -> ready
              .on(Malformed.class).then((s, step) -> s.refuse(step.event().reason()))
              .goTo(SessionState.CLOSED)
              .on(Ping.class).then(s -> s.reply("PONG")).stay()
              .on(Get.class).then((s, step) -> {
                String key = step.event().key();
                String value = s.store.get(key);
                s.reply(value == null ? "NOTFOUND " + key : "VALUE " + key + " " + value);
              }).stay()
              .on(Put.class).then((s, step) -> {
                s.store.put(step.event().key(), step.event().value());
                s.reply("OK");
              }).stay()
              .on(Bye.class).then(s -> {
                s.closeReason = "BYE";
                s.reply("BYE");
              }).goTo(SessionState.CLOSED)
              .on(Message.class).then(s -> s.refuse("a reply is not a command"))
              .goTo(SessionState.CLOSED)))
      .finalState(SessionState.CLOSED, closed -> closed.onEntry(Session::hangUp))
      .build();

  /** The listener: accepts every pending connection and starts a session for each. */
  static final MachineDefinition<Listener> LISTENER =
      Stator.<ListenerState, Listener>machine("kv-server")
          .initial(ListenerState.LISTENING)
          .state(ListenerState.LISTENING, s -> s
              .onEntry((l, step) -> step.registerIo("listener", l.server, SelectionKey.OP_ACCEPT,
                  true))
              .on(IoReady.class).then((l, step) -> {
                SocketChannel connection;
                while ((connection = l.server.accept()) != null) {
                  connection.configureBlocking(false);
                  connection.socket().setTcpNoDelay(true);
                  l.sessionsStarted++;
                  step.startChild(SESSION, new Session(connection, l.store, "s" + l.sessionsStarted));
                }
              }).stay()
              .on(ChildTerminated.class).then((l, step) -> {
                l.sessionsEnded++;
                if (step.event().failure() != null) {
                  l.sessionsFailed++;
                }
              }).stay()
              .onExit(l -> l.server.close()))
          .build();

  private KvServer() {}

  /**
   * Starts a server on {@code loop}, listening on {@code address}.
   *
   * @param loop the loop that runs the listener and every session
   * @param address where to listen (port 0 for any free port)
   * @param store the key-value store, used only on the loop thread
   * @return the running server
   * @throws IOException if the address cannot be bound
   */
  public static Running start(EventLoop loop, InetSocketAddress address, Map<String, String> store)
      throws IOException {
    ServerSocketChannel server = ServerSocketChannel.open();
    server.setOption(java.net.StandardSocketOptions.SO_REUSEADDR, true);
    server.bind(address, 4096);
    server.configureBlocking(false);
    InetSocketAddress bound = (InetSocketAddress) server.getLocalAddress();
    return new Running(loop.start(LISTENER, "kv-server", new Listener(server, store)), bound);
  }

  /**
   * A started server.
   *
   * @param listener the listener machine; {@code stop()} it to close the server and its sessions
   * @param address the address it listens on
   */
  public record Running(Machine<?> listener, InetSocketAddress address) {}

  /** Returns a new empty store. */
  public static Map<String, String> newStore() {
    return new HashMap<>();
  }
}
