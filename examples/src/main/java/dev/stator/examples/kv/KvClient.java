package dev.stator.examples.kv;

import dev.stator.IoReady;
import dev.stator.IoRegistration;
import dev.stator.MachineDefinition;
import dev.stator.RecoveryPolicy;
import dev.stator.Step;
import dev.stator.dsl.Stator;
import dev.stator.examples.kv.Protocol.Message;
import dev.stator.examples.kv.Protocol.NotFound;
import dev.stator.examples.kv.Protocol.Ok;
import dev.stator.examples.kv.Protocol.PeerClosed;
import dev.stator.examples.kv.Protocol.Pong;
import dev.stator.examples.kv.Protocol.Value;
import dev.stator.examples.kv.Protocol.Welcome;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The key-value client's controller: connect, handshake, then ready with a heartbeat; expected
 * errors (refused, timed out, peer closed) lead to a reconnect after an exponential backoff with
 * jitter; anything unexpected is a fault handled by the recovery policy (reset with a fresh
 * session, then shutdown once the restart intensity is spent).
 *
 * <pre>
 *   CONNECTING ──connected──► CONNECTED: HANDSHAKE ──WELCOME──► READY ◄──PONG── AWAIT_PONG
 *       ▲  │ refused, 2 s               │ 2 s                    └──heartbeat──►┘ │ 1 s
 *       │  ▼                            ▼                                         ▼
 *     BACKOFF ◄──── peer closed, ERROR, I/O error, timeouts ◄──────────────────────┘
 *   "quit" in CONNECTED ──► CLOSED (final)
 * </pre>
 */
public final class KvClient {

  enum State { CONNECTING, CONNECTED, HANDSHAKE, READY, AWAIT_PONG, BACKOFF, CLOSED }

  /** Connection established (from the loop's selector or at once). */
  record Connected() {}

  /** The backoff's timer. */
  record Retry() {}

  /**
   * A request for the server: the line to send and where its reply goes.
   *
   * @param line a PUT or GET command line
   * @param reply completed with the server's reply, or exceptionally if the connection is lost
   */
  public record Request(String line, CompletableFuture<Message> reply) {
    /** Checks the line. */
    public Request {
      Objects.requireNonNull(line, "line");
      Objects.requireNonNull(reply, "reply");
    }

    @Override
    public String toString() {
      return "Request(" + line + ")";
    }
  }

  /**
   * How a client behaves.
   *
   * @param address the server
   * @param clientId the name sent in HELLO
   * @param heartbeat the pause between heartbeats
   * @param minBackoff the first wait before a reconnect
   * @param maxBackoff the longest wait
   * @param restarts how many resets a minute the recovery policy allows before it shuts down
   */
  public record Config(InetSocketAddress address, String clientId, Duration heartbeat,
      Duration minBackoff, Duration maxBackoff, int restarts) {}

  /** One incarnation's context. */
  public static final class Session {
    final Config config;
    LineChannel lines;
    IoRegistration io;
    int attempts;
    int heartbeats;
    int connections;
    final ArrayDeque<CompletableFuture<Message>> pending = new ArrayDeque<>();

    Session(Config config) {
      this.config = config;
    }

    /** Returns how many heartbeats were answered in this incarnation. */
    public int heartbeats() {
      return heartbeats;
    }

    /** Returns how many times this incarnation got connected. */
    public int connections() {
      return connections;
    }

    void connect(Step<Object> step) throws IOException {
      SocketChannel channel = SocketChannel.open();
      channel.configureBlocking(false);
      channel.socket().setTcpNoDelay(true);
      lines = new LineChannel(channel);
      if (channel.connect(config.address())) {
        step.raise(new Connected());
      } else {
        step.registerIo("connect", channel, SelectionKey.OP_CONNECT, false);
      }
    }

    void finishConnect(Step<IoReady> step) throws IOException {
      if (lines.channel().finishConnect()) {
        step.raise(new Connected());
      }
    }

    void hello(Step<Object> step) throws IOException {
      connections++;
      io = step.registerIo("server", lines.channel(), SelectionKey.OP_READ, false);
      send("HELLO " + config.clientId());
    }

    void send(String line) throws IOException {
      if (!lines.send(line)) {
        io.interestOps(SelectionKey.OP_READ | SelectionKey.OP_WRITE);
      }
    }

    void readLines(Step<IoReady> step) throws IOException {
      if (step.event().isWritable() && lines.flush()) {
        io.interestOps(SelectionKey.OP_READ);
      }
      if (!step.event().isReadable()) {
        return;
      }
      List<String> received = lines.readLines();
      if (received == null) {
        step.raise(new PeerClosed());
        return;
      }
      for (String line : received) {
        step.raise(Protocol.parse(line));
      }
    }

    void request(Step<Request> step) throws IOException {
      pending.add(step.event().reply());
      send(step.event().line());
    }

    /** A reply to a request: an unexpected value is a bug, so it throws (a fault). */
    void reply(Step<Message> step) {
      Message reply = step.event();
      if (reply instanceof Value value && value.value().equals("poison")) {
        throw new IllegalStateException("reply corrupts the client's state: " + value);
      }
      CompletableFuture<Message> waiting = pending.poll();
      if (waiting != null) {
        waiting.complete(reply);
      }
    }

    void disconnected() {
      closeQuietly();
      IOException lost = new IOException("connection to " + config.address() + " lost");
      CompletableFuture<Message> waiting;
      while ((waiting = pending.poll()) != null) {
        waiting.completeExceptionally(lost);
      }
    }

    void backOff(Step<Object> step) {
      attempts++;
      long min = config.minBackoff().toNanos();
      long max = config.maxBackoff().toNanos();
      long base = min << Math.min(attempts - 1, 20);
      base = base <= 0 || base > max ? max : base;
      double jitter = 0.8 + 0.4 * ThreadLocalRandom.current().nextDouble();
      step.startTimer(Duration.ofNanos((long) Math.min(max, base * jitter)), new Retry());
    }

    void closeQuietly() {
      if (lines != null) {
        lines.close();
      }
    }
  }

  private KvClient() {}

  /**
   * Starts a client controller on a loop.
   *
   * @param loop the loop
   * @param id the machine's id
   * @param config how it connects and recovers
   * @param listener sees every step from the first
   * @return the running client
   */
  public static dev.stator.Machine<Session> start(dev.stator.EventLoop loop, String id,
      Config config, dev.stator.MachineListener<? super Session> listener) {
    return loop.start(definition(config), id, new Session(config), listener);
  }

  /**
   * Returns the controller's definition for a configuration.
   *
   * @param config how it connects and recovers
   * @return the definition
   */
  public static MachineDefinition<Session> definition(Config config) {
    return Stator.<State, Session>machine("kv-client")
        .initial(State.CONNECTING)
        .state(State.CONNECTING, s -> s
            .onEntry(Session::connect)
            .on(IoReady.class).then(Session::finishConnect).stay()
            .on(Connected.class).goTo(State.CONNECTED)
            .on(Request.class).then((session, step) -> step.event().reply()
                .completeExceptionally(new IOException("not connected"))).stay()
            .onError(IOException.class).then(Session::disconnected).goTo(State.BACKOFF)
            .after(Duration.ofSeconds(2)).then(Session::disconnected).goTo(State.BACKOFF))
        .state(State.CONNECTED, c -> c
            .initial(State.HANDSHAKE)
            .onEntry(Session::hello)
            .on(IoReady.class).then(Session::readLines).stay()
            .on(Request.class).then(Session::request).stay()
            .on(Ok.class).then((s, step) -> s.reply(cast(step))).stay()
            .on(Value.class).then((s, step) -> s.reply(cast(step))).stay()
            .on(NotFound.class).then((s, step) -> s.reply(cast(step))).stay()
            .on(PeerClosed.class).then(Session::disconnected).goTo(State.BACKOFF)
            .on(Protocol.Error.class).then(Session::disconnected).goTo(State.BACKOFF)
            .onError(IOException.class).then(Session::disconnected).goTo(State.BACKOFF)
            .on("quit").then(s -> {
              s.send("BYE");
              s.disconnected();
            }).goTo(State.CLOSED)
            .state(State.HANDSHAKE, h -> h
                .on(Welcome.class).then(s -> s.attempts = 0).goTo(State.READY)
                .after(Duration.ofSeconds(2)).then(Session::disconnected).goTo(State.BACKOFF))
            .state(State.READY, r -> r
                .after(config.heartbeat()).then(s -> s.send("PING")).goTo(State.AWAIT_PONG))
            .state(State.AWAIT_PONG, p -> p
                .on(Pong.class).then(s -> s.heartbeats++).goTo(State.READY)
                .after(Duration.ofSeconds(1)).then(Session::disconnected).goTo(State.BACKOFF)))
        .state(State.BACKOFF, s -> s
            .onEntry(Session::backOff)
            .on(Retry.class).goTo(State.CONNECTING)
            .on(Request.class).then((session, step) -> step.event().reply()
                .completeExceptionally(new IOException("not connected"))).stay())
        .finalState(State.CLOSED)
        .recovery(RecoveryPolicy.<Session>reset(() -> new Session(config))
            .onReset((s, failure) -> s.disconnected())
            .atMost(config.restarts(), Duration.ofMinutes(1))
            .then(RecoveryPolicy.shutdown((s, failure) -> s.disconnected(), Duration.ofSeconds(1))))
        .build();
  }

  @SuppressWarnings("unchecked")
  private static Step<Message> cast(Step<? extends Message> step) {
    return (Step<Message>) step;
  }
}
