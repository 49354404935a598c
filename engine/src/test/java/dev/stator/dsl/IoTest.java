package dev.stator.dsl;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stator.EventLoop;
import dev.stator.IoReady;
import dev.stator.IoRegistration;
import dev.stator.LoopOptions;
import dev.stator.Machine;
import dev.stator.Phase;
import dev.stator.StateSnapshot;
import dev.stator.Status;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.Pipe;
import java.nio.channels.SelectionKey;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Issue 4, item 2: channels registered with the loop, over real loopback sockets and pipes. */
final class IoTest {

  /** An echo server's context: its listening channel, opened by the test. */
  static final class Echo {
    final ServerSocketChannel server;
    int accepted;

    Echo(ServerSocketChannel server) {
      this.server = server;
    }
  }

  @Test
  void echoServerMachine_servesARealClientOverLoopback() throws Exception {
    ServerSocketChannel server = ServerSocketChannel.open();
    server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    server.configureBlocking(false);
    try (EventLoop loop = EventLoop.start("echo-loop");
        Socket client = new Socket()) {
      loop.start(Stator.<String, Echo>machine("echo")
          .initial("SERVING")
          .state("SERVING", s -> s
              .onEntry((e, step) -> step.registerIo("listener", e.server, SelectionKey.OP_ACCEPT,
                  true))
              .on(IoReady.class).when((e, step) -> step.event().isAcceptable())
              .then((e, step) -> {
                SocketChannel connection = e.server.accept();
                if (connection != null) {
                  e.accepted++;
                  connection.configureBlocking(false);
                  step.registerIo("connection", connection, SelectionKey.OP_READ, true);
                }
              }).stay()
              .on(IoReady.class).when((e, step) -> step.event().isReadable())
              .then((e, step) -> {
                SocketChannel connection = (SocketChannel) step.event().channel();
                ByteBuffer buffer = ByteBuffer.allocate(256);
                if (connection.read(buffer) < 0) {
                  step.event().registration().cancel();
                  connection.close();
                  return;
                }
                buffer.flip();
                while (buffer.hasRemaining()) {
                  connection.write(buffer);
                }
              }).stay())
          .build(), new Echo(server));

      client.connect(server.getLocalAddress(), 5_000);
      client.setSoTimeout(5_000);
      OutputStream out = client.getOutputStream();
      out.write("ping\n".getBytes(StandardCharsets.UTF_8));
      out.flush();
      String echoed = new BufferedReader(new InputStreamReader(client.getInputStream(),
          StandardCharsets.UTF_8)).readLine();

      assertThat(echoed).isEqualTo("ping");
    } finally {
      server.close();
    }
  }

  /** A context that counts readiness events and holds a pipe. */
  static final class Piped {
    final Pipe pipe;
    int readable;
    IoRegistration registration;

    Piped(Pipe pipe) {
      this.pipe = pipe;
    }
  }

  @Test
  void stateScopedRegistration_isCancelledWhenTheStateExitsAndDeliversNothingAfter()
      throws Exception {
    Pipe pipe = Pipe.open();
    pipe.source().configureBlocking(false);
    CompletableFuture<Integer> probed = new CompletableFuture<>();
    CompletableFuture<Boolean> left = new CompletableFuture<>();
    try (EventLoop loop = EventLoop.start("pipe-loop")) {
      Machine<Piped> machine = loop.start(Stator.<String, Piped>machine("piped")
          .initial("LISTENING")
          .state("LISTENING", s -> s
              .onEntry((p, step) -> p.registration = step.registerIo("pipe", p.pipe.source(),
                  SelectionKey.OP_READ, false))
              .on(IoReady.class).then(p -> {
                p.readable++;
                p.pipe.source().read(ByteBuffer.allocate(64));
              }).stay()
              .on("leave").goTo("ELSEWHERE"))
          .state("ELSEWHERE", s -> s
              .onEntry(p -> left.complete(p.registration.isActive()))
              .on(IoReady.class).then(p -> p.readable += 1000).stay()
              .on("probe").then(p -> probed.complete(p.readable)).stay())
          .build(), new Piped(pipe));

      machine.send("leave");
      assertThat(left.get(10, TimeUnit.SECONDS)).as("registration active after exit").isFalse();
      // readiness and events are separate sources: write only once the state was left
      pipe.sink().write(ByteBuffer.wrap(new byte[] {1, 2, 3}));
      machine.send("probe");

      assertThat(probed.get(10, TimeUnit.SECONDS)).isZero();
    } finally {
      pipe.sink().close();
      pipe.source().close();
    }
  }

  @Test
  void throwingIoHandler_isAFaultOfThatMachineOnlyInPhaseIo() throws Exception {
    Pipe pipe = Pipe.open();
    pipe.source().configureBlocking(false);
    CompletableFuture<StateSnapshot> failed = new CompletableFuture<>();
    try (EventLoop loop = EventLoop.start("faulty-io-loop",
        LoopOptions.DEFAULTS.withUnobservedFailureHandler(f -> { }))) {
      Machine<Piped> machine = loop.start(Stator.<String, Piped>machine("faulty-io")
          .initial("LISTENING")
          .state("LISTENING", s -> s
              .onEntry((p, step) -> step.registerIo("pipe", p.pipe.source(), SelectionKey.OP_READ,
                  true))
              .on(IoReady.class).then(p -> {
                throw new IllegalStateException("bad frame");
              }).stay())
          .build(), new Piped(pipe));
      machine.lifecycle().whenComplete((t, e) -> failed.complete(machine.state()));
      Machine<Recorder> bystander = loop.start(Stator.<String, Recorder>machine("bystander")
          .initial("A").state("A", s -> s.on("ping").goTo("B")).state("B").build(),
          new Recorder());

      pipe.sink().write(ByteBuffer.wrap(new byte[] {1}));

      StateSnapshot snapshot = failed.get(10, TimeUnit.SECONDS);
      assertThat(snapshot.status()).isEqualTo(Status.FAILED);
      assertThat(snapshot.failure().phase()).isEqualTo(Phase.ACTION);
      assertThat(snapshot.failure().event()).startsWith("IoReady(pipe");
      bystander.send("ping");
      bystander.stop().get(10, TimeUnit.SECONDS);
      assertThat(bystander.state().path()).isEqualTo("B");
    } finally {
      pipe.sink().close();
      pipe.source().close();
    }
  }
}
