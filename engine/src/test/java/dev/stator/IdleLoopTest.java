package dev.stator;

import static dev.stator.Charts.machine;
import static dev.stator.Charts.state;
import static org.assertj.core.api.Assertions.assertThat;

import dev.stator.dsl.Stator;
import java.nio.ByteBuffer;
import java.nio.channels.Pipe;
import java.nio.channels.SelectionKey;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * An idle loop sleeps (docs/io-and-calls.md, "How the loop waits"): with a timer pending it parks
 * until the timer is due, with a channel registered it sleeps in its selector until a channel is
 * ready or the next timer is due; either way it uses next to no CPU while it waits, and the timer
 * still fires.
 */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
final class IdleLoopTest {

  private static final Path TASKS = Path.of("/proc/self/task");
  private static final Duration WAIT = Duration.ofMillis(600);
  /** Clock ticks (1/100 s on Linux) of CPU that a loop waiting {@link #WAIT} may use. */
  private static final long AT_MOST_TICKS = 10;

  /** The CPU ticks (user and system) the thread named {@code name} has used (Linux). */
  private static long cpuTicks(String name) throws Exception {
    try (Stream<Path> tasks = Files.list(TASKS)) {
      for (Path task : tasks.toList()) {
        String comm;
        try {
          comm = Files.readString(task.resolve("comm")).strip();
        } catch (java.nio.file.NoSuchFileException ended) {
          // a thread of another test that ended since the listing: not the one looked for
          continue;
        }
        if (comm.equals(name)) {
          String stat = Files.readString(task.resolve("stat"));
          // the fields after the command's closing parenthesis; utime and stime are 14th and 15th
          String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
          return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
        }
      }
    }
    throw new AssertionError("no thread named " + name);
  }

  @Test
  void aLoopWaitingForATimer_parksUntilItIsDue() throws Exception {
    Assumptions.assumeTrue(Files.isDirectory(TASKS), "a /proc file system");
    CompletableFuture<Long> fired = new CompletableFuture<>();
    try (EventLoop loop = EventLoop.start("idle-timer")) {
      CompletableFuture<Long> started = new CompletableFuture<>();
      loop.start(machine("timed",
          state("waiting").entry(Charts.run(() -> started.complete(System.nanoTime())))
              .after(WAIT, "due"),
          state("due").entry(Charts.run(() -> fired.complete(System.nanoTime())))), new Object());
      long from = started.get(10, TimeUnit.SECONDS);
      long ticksBefore = cpuTicks("idle-timer");

      long at = fired.get(10, TimeUnit.SECONDS);

      assertThat(Duration.ofNanos(at - from)).isGreaterThanOrEqualTo(WAIT);
      assertThat(cpuTicks("idle-timer") - ticksBefore).as("CPU ticks used while waiting")
          .isLessThanOrEqualTo(AT_MOST_TICKS);
    }
  }

  /** Reads its pipe in state LISTENING; a timer takes it to TIMED, where it goes on reading. */
  private static MachineDefinition<Pipe> listening(CompletableFuture<Long> fired,
      CompletableFuture<String> read) {
    return Stator.<String, Pipe>machine("listening")
        .initial("LISTENING")
        .state("LISTENING", s -> s
            .onEntry((pipe, step) -> step.registerIo("pipe", pipe.source(), SelectionKey.OP_READ,
                true))
            .after(WAIT).goTo("TIMED"))
        .state("TIMED", s -> s
            .onEntry(pipe -> fired.complete(System.nanoTime()))
            .on(IoReady.class).then(pipe -> {
              ByteBuffer buffer = ByteBuffer.allocate(64);
              pipe.source().read(buffer);
              buffer.flip();
              read.complete(StandardCharsets.UTF_8.decode(buffer).toString());
            }).stay())
        .build();
  }

  @Test
  void aLoopWithAChannel_sleepsInItsSelector_untilTheTimerIsDue_thenUntilTheChannelIsReady()
      throws Exception {
    Assumptions.assumeTrue(Files.isDirectory(TASKS), "a /proc file system");
    Pipe pipe = Pipe.open();
    pipe.source().configureBlocking(false);
    CompletableFuture<Long> fired = new CompletableFuture<>();
    CompletableFuture<String> read = new CompletableFuture<>();
    try (EventLoop loop = EventLoop.start("idle-io")) {
      long from = System.nanoTime();
      Machine<Pipe> machine = loop.start(listening(fired, read), pipe);
      CompletableFuture<Long> ticks = new CompletableFuture<>();
      loop.execute(() -> ticks.complete(0L));
      ticks.get(10, TimeUnit.SECONDS);
      long ticksBefore = cpuTicks("idle-io");

      long at = fired.get(10, TimeUnit.SECONDS);
      long ticksWaiting = cpuTicks("idle-io") - ticksBefore;
      pipe.sink().write(ByteBuffer.wrap("hello".getBytes(StandardCharsets.UTF_8)));

      assertThat(Duration.ofNanos(at - from)).isGreaterThanOrEqualTo(WAIT);
      assertThat(ticksWaiting).as("CPU ticks used while waiting").isLessThanOrEqualTo(AT_MOST_TICKS);
      assertThat(read.get(10, TimeUnit.SECONDS)).isEqualTo("hello");
      assertThat(machine.state().status()).isEqualTo(Status.RUNNING);
    } finally {
      pipe.source().close();
      pipe.sink().close();
    }
  }
}
