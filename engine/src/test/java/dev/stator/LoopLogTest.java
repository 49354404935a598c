package dev.stator;

import static dev.stator.Charts.machine;
import static dev.stator.Charts.run;
import static dev.stator.Charts.state;
import static org.assertj.core.api.Assertions.assertThat;

import dev.stator.testing.TestLoop;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What a loop cannot hand to anyone, it logs on {@code System.Logger "dev.stator"}
 * (docs/observability.md): a task, handler or observer that threw, at ERROR with its exception,
 * and the loop goes on; an interrupt flag left set on the loop thread, at WARNING, naming who left
 * it; a task left behind by a closing loop, at WARNING, never run; the loop's fatal path, at ERROR.
 */
final class LoopLogTest {

  private static final MachineDefinition<Object> TOGGLE = machine("toggle",
      state("off").on("flip", "on"), state("on").on("flip", "off"));

  private CapturedLog log;

  @BeforeEach
  void capture() {
    log = CapturedLog.open();
  }

  @AfterEach
  void release() {
    log.close();
    // a failing test must not leave the flag to the next one
    Thread.interrupted();
  }

  /** A task with a name, so that a log record can be told to be about it. */
  private record Named(String name, Runnable body) implements Runnable {
    @Override
    public void run() {
      body.run();
    }

    @Override
    public String toString() {
      return name;
    }
  }

  private static LogRecord only(List<LogRecord> records) {
    assertThat(records).hasSize(1);
    return records.get(0);
  }

  @Test
  void aTaskThatThrows_isLoggedAsAnErrorWithItsException_andTheLoopGoesOn() {
    TestLoop loop = TestLoop.create();
    Machine<Object> machine = loop.start(TOGGLE, new Object());
    IllegalStateException broke = new IllegalStateException("the task broke");

    loop.execute(new Named("breaking-task", () -> {
      throw broke;
    }));
    machine.send("flip");

    LogRecord record = only(log.containing("breaking-task"));
    assertThat(record.getLevel()).isEqualTo(Level.SEVERE);
    assertThat(record.getMessage()).contains("threw; the loop goes on");
    assertThat(record.getThrown()).isSameAs(broke);
    assertThat(machine.state().path()).isEqualTo("on");
  }

  @Test
  void aHandlerThatThrows_isLoggedAsAnErrorWithItsException_andTheLoopGoesOn() {
    IllegalStateException broke = new IllegalStateException("the handler broke");
    TestLoop loop = TestLoop.create(LoopOptions.DEFAULTS.withDeadLetterHandler(letter -> {
      throw broke;
    }), 0);
    Machine<Object> ended = loop.start(TOGGLE, new Object());
    Machine<Object> other = loop.start(TOGGLE, new Object());
    ended.stop();

    ended.send("late");
    other.send("flip");

    LogRecord record = only(log.containing("the dead-letter handler"));
    assertThat(record.getLevel()).isEqualTo(Level.SEVERE);
    assertThat(record.getMessage()).contains("late").contains("threw; the loop goes on");
    assertThat(record.getThrown()).isSameAs(broke);
    assertThat(other.state().path()).isEqualTo("on");
  }

  @Test
  void aHandlerThatOverflowsItsStack_isLogged_andTheLoopGoesOn() {
    List<Failure> fatal = new ArrayList<>();
    TestLoop loop = TestLoop.create(LoopOptions.DEFAULTS
        .withFatalFailureHandler(fatal::add)
        .withDeadLetterHandler(letter -> {
          throw new StackOverflowError("simulated: the handler recursed too deep");
        }), 0);
    Machine<Object> ended = loop.start(TOGGLE, new Object());
    Machine<Object> other = loop.start(TOGGLE, new Object());
    ended.stop();

    loop.execute(() -> ended.send("late"));
    other.send("flip");

    LogRecord record = only(log.containing("the dead-letter handler"));
    assertThat(record.getLevel()).isEqualTo(Level.SEVERE);
    assertThat(record.getMessage()).contains("overflowed its stack");
    assertThat(record.getThrown()).isInstanceOf(StackOverflowError.class);
    assertThat(fatal).isEmpty();
    assertThat(loop.isClosed()).isFalse();
    assertThat(other.state().path()).isEqualTo("on");
  }

  @Test
  void theFatalPath_isLoggedAsAnError_andAHandlerThatBreaksTheJvmAgainDuringIt_isOnlyLogged() {
    InternalError broken = new InternalError("simulated: the JVM is broken in a task");
    TestLoop loop = TestLoop.create(LoopOptions.DEFAULTS.withFatalFailureHandler(failure -> {
      throw new InternalError("simulated: broken again in the fatal-failure handler");
    }), 0);
    Machine<Object> machine = loop.start(TOGGLE, new Object());
    machine.lifecycle().exceptionally(failure -> null);

    loop.execute(() -> {
      throw broken;
    });

    LogRecord stops = only(log.containing("stops: fatal error"));
    assertThat(stops.getLevel()).isEqualTo(Level.SEVERE);
    assertThat(stops.getThrown()).isSameAs(broken);
    LogRecord again = only(log.containing("the fatal-failure handler"));
    assertThat(again.getMessage()).contains("threw during the fatal path");
    assertThat(again.getThrown()).hasMessageContaining("broken again");
    assertThat(machine.state().status()).isEqualTo(Status.FAILED);
    assertThat(loop.isClosed()).isTrue();
  }

  @Test
  void aTaskThatLeavesTheInterruptFlagSet_isNamedInAWarning() {
    TestLoop loop = TestLoop.create();

    loop.execute(new Named("interrupting-task", () -> Thread.currentThread().interrupt()));

    LogRecord record = only(log.containing("interrupting-task"));
    assertThat(record.getLevel()).isEqualTo(Level.WARNING);
    assertThat(record.getMessage()).contains("left the loop thread's interrupt flag set");
    assertThat(Thread.currentThread().isInterrupted()).isFalse();
  }

  @Test
  void aTaskThatLeavesTheInterruptFlagSetAndThenSends_isBlamedBeforeTheMachineSteps() {
    TestLoop loop = TestLoop.create();
    Machine<Object> machine = loop.start(TOGGLE, new Object());

    loop.execute(() -> {
      Thread.currentThread().interrupt();
      machine.send("flip");
    });

    LogRecord record = only(log.containing("interrupt flag set before sending flip"));
    assertThat(record.getLevel()).isEqualTo(Level.WARNING);
    assertThat(machine.state().status()).isEqualTo(Status.RUNNING);
    assertThat(machine.state().path()).isEqualTo("on");
  }

  @Test
  @Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
  void aRealLoopInterruptedByAnotherThread_warnsAndGoesOn() throws Exception {
    try (EventLoop loop = EventLoop.start("interrupted-loop")) {
      CompletableFuture<Thread> loopThread = new CompletableFuture<>();
      loop.execute(() -> loopThread.complete(Thread.currentThread()));
      Thread thread = loopThread.get(10, TimeUnit.SECONDS);
      waitUntilParked(thread);

      thread.interrupt();

      LogRecord record = log.await("was interrupted by another thread");
      assertThat(record.getLevel()).isEqualTo(Level.WARNING);
      assertThat(record.getMessage()).contains("interrupted-loop");
      CompletableFuture<Boolean> flag = new CompletableFuture<>();
      loop.execute(() -> flag.complete(Thread.currentThread().isInterrupted()));
      assertThat(flag.get(10, TimeUnit.SECONDS)).isFalse();
    }
  }

  @Test
  @Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
  void whatIsQueuedWhenALoopCloses_isNeverRun_tasksAreLoggedAndEventsAreDeadLetters()
      throws Exception {
    List<DeadLetter> letters = new CopyOnWriteArrayList<>();
    List<String> ran = new CopyOnWriteArrayList<>();
    EventLoop[] self = new EventLoop[1];
    EventLoop loop = EventLoop.start("closing-loop", LoopOptions.DEFAULTS.withDeadLetterHandler(
        letter -> {
          letters.add(letter);
          // handed to a loop that has ended: never run, and said so
          self[0].execute(new Named("task-from-the-handler", () -> ran.add("from the handler")));
        }));
    self[0] = loop;
    Machine<Object> machine = loop.start(TOGGLE, new Object());
    CountDownLatch queued = new CountDownLatch(1);
    CompletableFuture<Void> closing = new CompletableFuture<>();
    loop.execute(() -> {
      try {
        queued.await(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      loop.close();
      closing.complete(null);
    });

    machine.send("flip");
    loop.execute(new Named("task-left-behind", () -> ran.add("left behind")));
    queued.countDown();
    closing.get(10, TimeUnit.SECONDS);
    loop.close();

    assertThat(ran).isEmpty();
    assertThat(letters).extracting(DeadLetter::event).containsExactly("flip");
    assertThat(machine.lifecycle().get(10, TimeUnit.SECONDS).status()).isEqualTo(Status.STOPPED);
    for (String task : List.of("task-left-behind", "task-from-the-handler")) {
      LogRecord record = only(log.containing(task));
      assertThat(record.getLevel()).isEqualTo(Level.WARNING);
      assertThat(record.getMessage()).contains("closed before running task");
    }
  }

  /** Throws from every callback; counts the steps it is asked about. */
  private static final class BrokenObserver implements LoopObserver {
    @Override
    public boolean timesNextStep() {
      throw new IllegalStateException("timesNextStep broke");
    }

    @Override
    public void stepEnded(String definitionId, long nanos) {
      throw new IllegalStateException("stepEnded broke");
    }

    @Override
    public void faulted(String definitionId, Failure failure) {
      throw new IllegalStateException("faulted broke");
    }

    @Override
    public void restarted(String definitionId, Failure failure) {
      throw new IllegalStateException("restarted broke");
    }

    @Override
    public void deadLetter(DeadLetter letter) {
      throw new IllegalStateException("deadLetter broke");
    }

    @Override
    public void loopEnded() {
      throw new IllegalStateException("loopEnded broke");
    }
  }

  @Test
  void anObserverThatThrows_isLoggedForEachCallback_andTheMachinesGoOn() {
    TestLoop loop = TestLoop.create(LoopOptions.DEFAULTS
        .withDeadLetterHandler(letter -> { })
        .withObserver(l -> new BrokenObserver()), 0);
    MachineDefinition<Object> jamming = machine("jamming",
        RecoveryPolicy.<Object>reset(Object::new).atMost(3, Duration.ofMinutes(1)),
        state("open").on("lock", "locked"),
        state("locked").entry(run(() -> {
          throw new IllegalStateException("the lock jammed");
        })));
    Machine<Object> machine = loop.start(jamming, new Object());
    Machine<Object> ended = loop.start(TOGGLE, new Object());

    machine.send("lock");
    ended.stop();
    ended.send("late");
    loop.close();

    List<String> broke = log.containing("the observer of loop 'test-loop' threw").stream()
        .peek(r -> assertThat(r.getLevel()).isEqualTo(Level.SEVERE))
        .map(r -> r.getThrown().getMessage()).distinct().toList();
    assertThat(broke).containsExactlyInAnyOrder("timesNextStep broke", "stepEnded broke",
        "faulted broke", "restarted broke", "deadLetter broke", "loopEnded broke");
    assertThat(machine.state().status()).isEqualTo(Status.STOPPED);
    assertThat(machine.state().path()).isEqualTo("open");
  }

  /** Waits until the thread is parked (bounded: the assertion fails past 10 s). */
  static void waitUntilParked(Thread thread) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (thread.getState() != Thread.State.WAITING) {
      assertThat(System.nanoTime()).as("loop thread parked within 10 s").isLessThan(deadline);
      Thread.onSpinWait();
    }
  }
}
