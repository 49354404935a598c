package dev.stator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stator.dsl.Stator;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.Pipe;
import java.nio.channels.SelectionKey;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What a loop owns it gives back (docs/io-and-calls.md): its blocking pool, made on first use of
 * daemon threads named after the loop, is shut down when the loop closes, while an executor given
 * with {@code withBlockingExecutor} runs the calls and is left to its owner; its selector is closed
 * when the loop ends, by a close or by the fatal path; and a server channel a machine closed has
 * its port free by the time the machine's lifecycle future completes.
 */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
final class LoopResourcesTest {

  /** Runs one blocking call that tells on which thread it ran, then ends. */
  private static MachineDefinition<CompletableFuture<Thread>> blockingOnce() {
    return Stator.<String, CompletableFuture<Thread>>machine("blocking-once")
        .initial("CALLING")
        .state("CALLING", s -> s
            .invokeBlocking("where", ran -> () -> ran.complete(Thread.currentThread()),
                Duration.ofSeconds(10))
            .onDone("where").goTo("DONE"))
        .finalState("DONE")
        .build();
  }

  @Test
  void theLoopsOwnBlockingPool_runsCallsOnDaemonThreadsNamedAfterIt_thatEndWhenTheLoopCloses()
      throws Exception {
    EventLoop loop = EventLoop.start("pool-owner");
    CompletableFuture<Thread> ran = new CompletableFuture<>();
    Machine<CompletableFuture<Thread>> machine = loop.start(blockingOnce(), ran);
    machine.lifecycle().get(10, TimeUnit.SECONDS);
    Thread worker = ran.get(10, TimeUnit.SECONDS);

    loop.close();

    assertThat(worker.getName()).startsWith("pool-owner-blocking-");
    assertThat(worker.isDaemon()).as("a blocking thread keeps no JVM alive").isTrue();
    worker.join(10_000);
    assertThat(worker.isAlive()).as("the pool's thread ended with the loop").isFalse();
  }

  @Test
  void aBlockingExecutorOfYours_runsTheCalls_andOutlivesTheLoop() throws Exception {
    ExecutorService mine = Executors.newSingleThreadExecutor(r -> new Thread(r, "my-executor"));
    try {
      EventLoop loop = EventLoop.start("pool-user",
          LoopOptions.DEFAULTS.withBlockingExecutor(mine));
      CompletableFuture<Thread> ran = new CompletableFuture<>();
      loop.start(blockingOnce(), ran).lifecycle().get(10, TimeUnit.SECONDS);

      loop.close();

      assertThat(ran.get(10, TimeUnit.SECONDS).getName()).isEqualTo("my-executor");
      assertThat(mine.isShutdown()).isFalse();
      assertThat(mine.submit(() -> "still mine").get(10, TimeUnit.SECONDS)).isEqualTo("still mine");
    } finally {
      mine.shutdownNow();
    }
  }

  /** Registers the pipe's source and waits. */
  private static MachineDefinition<Pipe> listening() {
    return Stator.<String, Pipe>machine("listening")
        .initial("LISTENING")
        .state("LISTENING", s -> s
            .onEntry((pipe, step) -> step.registerIo("pipe", pipe.source(), SelectionKey.OP_READ,
                true))
            .on(IoReady.class).then(pipe -> { }).stay())
        .build();
  }

  private static final Path OPEN_DESCRIPTORS = Path.of("/proc/self/fd");

  /** Counts this process's open file descriptors (Linux; the tests that need it assume it). */
  private static long openFileDescriptors() throws java.io.IOException {
    try (Stream<Path> open = Files.list(OPEN_DESCRIPTORS)) {
      return open.count();
    }
  }

  @Test
  void closingALoop_closesTheSelectorItOpenedForChannels() throws Exception {
    assertSelectorsClosed(loop -> loop.close());
  }

  @Test
  void theFatalPath_closesTheSelectorToo() throws Exception {
    assertSelectorsClosed(loop -> {
      loop.execute(() -> {
        throw new InternalError("simulated: the JVM is broken in a task");
      });
      loop.close();
    });
  }

  private static void assertSelectorsClosed(java.util.function.Consumer<EventLoop> end)
      throws Exception {
    Assumptions.assumeTrue(Files.isDirectory(OPEN_DESCRIPTORS), "a /proc file system");
    int loops = 8;
    List<Pipe> pipes = new ArrayList<>();
    for (int i = 0; i < loops; i++) {
      Pipe pipe = Pipe.open();
      pipe.source().configureBlocking(false);
      pipes.add(pipe);
    }
    long before = openFileDescriptors();
    for (int i = 0; i < loops; i++) {
      EventLoop loop = EventLoop.start("selector-" + i, LoopOptions.DEFAULTS
          .withFatalFailureHandler(failure -> { })
          .withUnobservedFailureHandler(failure -> { }));
      Machine<Pipe> machine = loop.start(listening(), pipes.get(i));
      CompletableFuture<Boolean> registered = new CompletableFuture<>();
      loop.execute(() -> registered.complete(machine.state().status() == Status.RUNNING));
      assertThat(registered.get(10, TimeUnit.SECONDS)).isTrue();
      assertThat(pipes.get(i).source().isRegistered()).isTrue();

      end.accept(loop);

      assertThat(machine.lifecycle()).isDone();
    }
    long after = openFileDescriptors();
    for (Pipe pipe : pipes) {
      assertThat(pipe.source().isOpen()).as("the channel is the machine's, not closed").isTrue();
      pipe.source().close();
      pipe.sink().close();
    }
    // each selector holds descriptors of its own; a few others may come and go meanwhile
    assertThat(after - before).as("descriptors still open after the loops ended")
        .isLessThan(loops);
  }

  /** Listens on a server socket until told to stop; closes it as it leaves. */
  private static MachineDefinition<ServerSocketChannel> server() {
    return Stator.<String, ServerSocketChannel>machine("server")
        .initial("SERVING")
        .state("SERVING", s -> s
            .onEntry((server, step) -> step.registerIo("listener", server, SelectionKey.OP_ACCEPT,
                false))
            .onExit(server -> server.close())
            .on(IoReady.class).then(server -> { }).stay()
            .on("stop").goTo("STOPPED"))
        .finalState("STOPPED")
        .build();
  }

  @Test
  void aServerClosedByItsMachine_hasItsPortFree_whenTheMachinesLifecycleCompletes()
      throws Exception {
    ServerSocketChannel server = ServerSocketChannel.open();
    server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    server.configureBlocking(false);
    InetSocketAddress address = (InetSocketAddress) server.getLocalAddress();
    try (EventLoop loop = EventLoop.start("server-loop")) {
      Machine<ServerSocketChannel> machine = loop.start(server(), server);
      CompletableFuture<Throwable> rebound = new CompletableFuture<>();
      // runs as the future completes: nothing the loop does later can have freed the port
      machine.lifecycle().thenRun(() -> {
        try (ServerSocketChannel again = ServerSocketChannel.open()) {
          again.bind(address);
          rebound.complete(null);
        } catch (Throwable t) {
          rebound.complete(t);
        }
      });

      machine.send("stop");

      assertThat(rebound.get(10, TimeUnit.SECONDS)).as("binding the port again").isNull();
    }
  }
}
