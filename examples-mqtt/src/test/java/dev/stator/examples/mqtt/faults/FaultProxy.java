package dev.stator.examples.mqtt.faults;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * A TCP proxy on loopback that injects faults between a client and a server: it accepts on an
 * ephemeral port of 127.0.0.1, opens a connection to the server for each client, forwards the bytes
 * both ways with plain blocking sockets (one thread per direction) and arms each connection with
 * the next fault of its {@link FaultPlan}. A fault fires at a byte count, not at a time, so a seed
 * gives the same faults at the same places of the byte stream whatever the scheduling; the
 * {@link FaultLog} records each connection, each arming and each firing. Thread-safe.
 */
public final class FaultProxy implements AutoCloseable {

  /**
   * A fault that fired.
   *
   * @param connection the connection's number, from 1 in the order accepted
   * @param fault the fault
   * @param position the byte of its direction at which it fired
   * @param nanoTime {@link System#nanoTime()} when it fired
   */
  public record FiredFault(int connection, Fault fault, long position, long nanoTime) {
  }

  /** Builds a proxy; {@link #start()} opens it. */
  public static final class Builder {
    private final InetSocketAddress upstream;
    private FaultPlan plan = FaultPlan.none();
    private FramingFactory framing = (connection, direction) -> Framing.none();
    private BrokerControl broker = BrokerControl.NONE;
    private FaultLog log = new FaultLog();
    private Consumer<FiredFault> listener = fired -> { };

    private Builder(InetSocketAddress upstream) {
      this.upstream = Objects.requireNonNull(upstream);
    }

    /** {@return this builder, handing out {@code plan}'s faults} */
    public Builder plan(FaultPlan plan) {
      this.plan = Objects.requireNonNull(plan);
      return this;
    }

    /** {@return this builder, following packet boundaries with a framing per direction} */
    public Builder framing(FramingFactory framing) {
      this.framing = Objects.requireNonNull(framing);
      return this;
    }

    /** {@return this builder, killing and restarting the server through {@code broker}} */
    public Builder broker(BrokerControl broker) {
      this.broker = Objects.requireNonNull(broker);
      return this;
    }

    /** {@return this builder, recording into {@code log}} */
    public Builder log(FaultLog log) {
      this.log = Objects.requireNonNull(log);
      return this;
    }

    /** {@return this builder, telling {@code listener} of each fault as it fires} */
    public Builder listener(Consumer<FiredFault> listener) {
      this.listener = Objects.requireNonNull(listener);
      return this;
    }

    /** {@return the proxy, accepting} */
    public FaultProxy start() throws IOException {
      return new FaultProxy(this);
    }
  }

  private final InetSocketAddress upstream;
  private final FaultPlan plan;
  private final FramingFactory framing;
  private final BrokerControl broker;
  private final FaultLog log;
  private final Consumer<FiredFault> listener;
  private final ServerSocket server;
  private final ExecutorService pumps;
  private final ScheduledExecutorService control;
  private final Set<ProxyConnection> live = ConcurrentHashMap.newKeySet();
  private final List<FiredFault> fired = new CopyOnWriteArrayList<>();
  private final AtomicInteger accepted = new AtomicInteger();
  private volatile boolean closed;
  private boolean brokerDown;
  private CompletableFuture<Void> brokerUp = CompletableFuture.completedFuture(null);

  private FaultProxy(Builder builder) throws IOException {
    this.upstream = builder.upstream;
    this.plan = builder.plan;
    this.framing = builder.framing;
    this.broker = builder.broker;
    this.log = builder.log;
    this.listener = builder.listener;
    this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    this.pumps = Executors.newCachedThreadPool(daemon("fault-proxy"));
    this.control = Executors.newSingleThreadScheduledExecutor(daemon("fault-proxy-control"));
    if (plan.seed() != -1 || !plan.faults().isEmpty()) {
      log.add(plan.describe());
    }
    log.add("proxy 127.0.0.1:" + server.getLocalPort() + " -> " + upstream);
    Thread acceptor = daemon("fault-proxy-accept").newThread(this::acceptLoop);
    acceptor.start();
  }

  /** {@return a builder for a proxy in front of {@code upstream}} */
  public static Builder builder(InetSocketAddress upstream) {
    return new Builder(upstream);
  }

  /** {@return the port clients connect to, on 127.0.0.1} */
  public int port() {
    return server.getLocalPort();
  }

  /** {@return the log this proxy records into} */
  public FaultLog log() {
    return log;
  }

  /** {@return every fault that fired so far, in order} */
  public List<FiredFault> fired() {
    return List.copyOf(fired);
  }

  /** {@return how many client connections were accepted so far} */
  public int accepted() {
    return accepted.get();
  }

  /** {@return how many connections are open at the moment} */
  public int open() {
    return live.size();
  }

  /**
   * {@return a future completing when the broker runs: at once unless a
   * {@link FaultKind#KILL_BROKER} is waiting for its restart}
   */
  public synchronized CompletableFuture<Void> brokerUp() {
    return brokerUp;
  }

  /** Arms no more faults; faults already armed on open connections are disarmed too. */
  public void quiesce() {
    plan.stop();
    for (ProxyConnection connection : live) {
      connection.disarm();
    }
    log.add("quiesced: no more faults");
  }

  /**
   * Fires {@code fault} now on every open connection, whatever it was armed with (its gap is
   * ignored); a {@link FaultKind#TRUNCATE} or {@link FaultKind#DELAY} fires at the next byte of
   * its direction, since it acts on bytes.
   *
   * @return how many connections it was given to
   */
  public int fireNow(Fault fault) {
    int count = 0;
    for (ProxyConnection connection : List.copyOf(live)) {
      connection.fireNow(fault);
      count++;
    }
    return count;
  }

  @Override
  public void close() {
    closed = true;
    plan.stop();
    try {
      server.close();
    } catch (IOException ignored) {
      // closing anyway
    }
    for (ProxyConnection connection : List.copyOf(live)) {
      connection.closeBoth(false, "proxy closed");
    }
    control.shutdown();
    try {
      if (!control.awaitTermination(10, TimeUnit.SECONDS)) {
        log.add("control thread still busy after 10 s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    pumps.shutdownNow();
  }

  // ---- what the connections call

  FaultLog logger() {
    return log;
  }

  Framing newFraming(int connection, Direction direction) {
    return framing.create(connection, direction);
  }

  java.util.Optional<Fault> nextFault() {
    return plan.next();
  }

  void forget(ProxyConnection connection) {
    live.remove(connection);
  }

  void onFired(FiredFault fault) {
    fired.add(fault);
    log.fired(fault.fault().kind(), "conn#" + fault.connection() + " FIRED " + fault.fault().kind()
        + " " + fault.fault().direction().name().toLowerCase(java.util.Locale.ROOT) + " at byte "
        + fault.position());
    listener.accept(fault);
  }

  void pump(Runnable task) {
    pumps.execute(task);
  }

  /** Kills the broker, drops {@code connection} once it is dead, restarts it after the downtime. */
  void killBroker(ProxyConnection connection, long downtimeMillis) {
    synchronized (this) {
      if (brokerDown) {
        log.add("conn#" + connection.id() + " broker already down: connection dropped");
        connection.closeBoth(false, "broker already down");
        return;
      }
      brokerDown = true;
      brokerUp = new CompletableFuture<>();
    }
    control.execute(() -> {
      try {
        broker.kill();
        log.add("broker killed; restart in " + downtimeMillis + " ms");
      } catch (Exception e) {
        log.add("broker kill failed: " + e);
      }
      connection.closeBoth(false, "broker killed");
      control.schedule(this::restartBroker, downtimeMillis, TimeUnit.MILLISECONDS);
    });
  }

  private void restartBroker() {
    CompletableFuture<Void> up;
    Exception failure = null;
    try {
      broker.restart();
      log.add("broker restarted");
    } catch (Exception e) {
      failure = e;
      log.add("broker restart failed: " + e);
    }
    synchronized (this) {
      brokerDown = false;
      up = brokerUp;
    }
    if (failure == null) {
      up.complete(null);
    } else {
      up.completeExceptionally(failure);
    }
  }

  private void acceptLoop() {
    while (!closed) {
      Socket client;
      try {
        client = server.accept();
      } catch (IOException e) {
        if (!closed) {
          log.add("accept failed: " + e);
        }
        return;
      }
      pumps.execute(() -> open(client));
    }
  }

  private void open(Socket client) {
    int id = accepted.incrementAndGet();
    boolean down;
    synchronized (this) {
      down = brokerDown;
    }
    if (down) {
      log.add("conn#" + id + " refused: broker down");
      ProxyConnection.abort(client);
      return;
    }
    Socket toBroker = new Socket();
    try {
      client.setTcpNoDelay(true);
      toBroker.setTcpNoDelay(true);
      toBroker.connect(upstream, 2000);
    } catch (IOException e) {
      log.add("conn#" + id + " refused: broker unreachable (" + e.getMessage() + ")");
      ProxyConnection.abort(client);
      ProxyConnection.abort(toBroker);
      return;
    }
    ProxyConnection connection;
    try {
      connection = new ProxyConnection(this, id, client, toBroker);
    } catch (IOException e) {
      log.add("conn#" + id + " failed to open: " + e);
      ProxyConnection.abort(client);
      ProxyConnection.abort(toBroker);
      return;
    }
    live.add(connection);
    if (closed) {
      connection.closeBoth(false, "proxy closed");
      return;
    }
    connection.start();
  }

  static boolean isReset(IOException e) {
    return e instanceof SocketException && String.valueOf(e.getMessage()).contains("reset");
  }

  private static ThreadFactory daemon(String name) {
    AtomicInteger count = new AtomicInteger();
    return runnable -> {
      Thread thread = new Thread(runnable, name + "-" + count.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    };
  }
}
