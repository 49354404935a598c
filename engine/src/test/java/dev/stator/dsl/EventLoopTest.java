package dev.stator.dsl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stator.BlockingOperationException;
import dev.stator.DeadLetter;
import dev.stator.EventLoop;
import dev.stator.LoopOptions;
import dev.stator.Machine;
import dev.stator.MachineDefinition;
import dev.stator.Status;
import dev.stator.Termination;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The real loop, on its own thread. Waits are on futures with timeouts, never sleeps. */
final class EventLoopTest {

  record Numbered(int sender, int sequence) {}

  /** Context confined to the loop thread: plain fields, no synchronisation needed. */
  static final class Tally {
    final int[] lastSeen;
    long received;
    long outOfOrder;
    long offLoop;
    Thread loopThread;

    Tally(int senders) {
      lastSeen = new int[senders];
      java.util.Arrays.fill(lastSeen, -1);
    }
  }

  @ParameterizedTest(name = "{0} senders x 100,000 events")
  @ValueSource(ints = {4, 16})
  void concurrentSenders_everyEventDeliveredOnceInPerSenderOrderOnTheLoopThread(int senders)
      throws Exception {
    int perSender = 100_000;
    MachineDefinition<Tally> definition = Stator.<String, Tally>machine("tally")
        .initial("COUNTING")
        .state("COUNTING", s -> s
            .on(Numbered.class).then((tally, step) -> {
              Numbered n = step.event();
              if (Thread.currentThread() != tally.loopThread) {
                tally.offLoop++;
              }
              if (n.sequence() != tally.lastSeen[n.sender()] + 1) {
                tally.outOfOrder++;
              }
              tally.lastSeen[n.sender()] = n.sequence();
              tally.received++;
            }).stay()
            .on("finish").goTo("DONE"))
        .finalState("DONE")
        .build();

    try (EventLoop loop = EventLoop.start("tally-loop")) {
      Tally tally = new Tally(senders);
      CompletableFuture<Thread> loopThread = new CompletableFuture<>();
      loop.execute(() -> loopThread.complete(Thread.currentThread()));
      tally.loopThread = loopThread.get(10, TimeUnit.SECONDS);
      Machine<Tally> machine = loop.start(definition, tally);

      CountDownLatch go = new CountDownLatch(1);
      List<Thread> threads = new ArrayList<>();
      ConcurrentLinkedQueue<Boolean> refusals = new ConcurrentLinkedQueue<>();
      for (int s = 0; s < senders; s++) {
        int sender = s;
        Thread thread = new Thread(() -> {
          try {
            go.await();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
          }
          for (int i = 0; i < perSender; i++) {
            if (!machine.send(new Numbered(sender, i))) {
              refusals.add(Boolean.FALSE);
            }
          }
        }, "sender-" + s);
        threads.add(thread);
        thread.start();
      }
      go.countDown();
      for (Thread thread : threads) {
        thread.join(TimeUnit.SECONDS.toMillis(60));
      }
      machine.send("finish");

      Termination<Tally> end = machine.lifecycle().get(60, TimeUnit.SECONDS);
      assertThat(refusals).isEmpty();
      assertThat(end.status()).isEqualTo(Status.COMPLETED);
      assertThat(end.context().received).isEqualTo((long) senders * perSender);
      assertThat(end.context().outOfOrder).isZero();
      assertThat(end.context().offLoop).isZero();
      for (int s = 0; s < senders; s++) {
        assertThat(end.context().lastSeen[s]).isEqualTo(perSender - 1);
      }
    }
  }

  @Test
  void send_afterClose_isRefusedAndHandedToTheDeadLetterHandler() {
    ConcurrentLinkedQueue<DeadLetter> letters = new ConcurrentLinkedQueue<>();
    EventLoop loop = EventLoop.start("closing",
        LoopOptions.DEFAULTS.withDeadLetterHandler(letters::add));
    Machine<Recorder> machine = loop.start(Stator.<String, Recorder>machine("idle")
        .initial("IDLE").state("IDLE").build(), new Recorder());

    loop.close();

    assertThat(machine.send("late")).isFalse();
    assertThat(letters).extracting(DeadLetter::event).containsExactly("late");
    assertThat(loop.isClosed()).isTrue();
    assertThatThrownBy(() -> loop.start(machine.definition(), new Recorder()))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
  }

  @Test
  void aSendFromATaskAfterItClosedTheLoop_isRefusedNotTaken() throws Exception {
    List<DeadLetter> letters = new java.util.concurrent.CopyOnWriteArrayList<>();
    EventLoop loop = EventLoop.start("self-closing",
        LoopOptions.DEFAULTS.withDeadLetterHandler(letters::add));
    List<String> taken = new java.util.concurrent.CopyOnWriteArrayList<>();
    Machine<List<String>> machine = loop.start(Stator.<String, List<String>>machine("m")
        .initial("S")
        .state("S", s -> s.on("go").then(log -> log.add("took go")).stay())
        .build(), taken);
    CompletableFuture<Void> sent = new CompletableFuture<>();

    loop.execute(() -> {
      loop.close();
      machine.send("go");
      sent.complete(null);
    });

    sent.get(10, TimeUnit.SECONDS);
    assertThat(machine.lifecycle().get(10, TimeUnit.SECONDS).status()).isEqualTo(Status.STOPPED);
    loop.close();
    assertThat(taken).isEmpty();
    assertThat(letters).extracting(DeadLetter::event).containsExactly("go");
  }

  @Test
  void close_stopsEveryLiveMachineRunningExitActionsAndCompletesEveryFuture() throws Exception {
    ConcurrentLinkedQueue<String> exits = new ConcurrentLinkedQueue<>();
    MachineDefinition<Recorder> definition = Stator.<String, Recorder>machine("worker")
        .initial("OUTER")
        .state("OUTER", o -> o.initial("INNER")
            .onExit(r -> exits.add("outer"))
            .state("INNER", i -> i.onExit(r -> exits.add("inner"))))
        .build();
    EventLoop loop = EventLoop.start("closing-with-machines");
    List<Machine<Recorder>> machines = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      machines.add(loop.start(definition, new Recorder()));
    }

    loop.close();

    for (Machine<Recorder> machine : machines) {
      Termination<Recorder> end = machine.lifecycle().get(10, TimeUnit.SECONDS);
      assertThat(end.status()).isEqualTo(Status.STOPPED);
      assertThat(machine.state().status()).isEqualTo(Status.STOPPED);
    }
    assertThat(loop.liveMachines()).isZero();
    // each machine either started (inner then outer exit) or was stopped before its start
    assertThat(exits.size() % 2).isZero();
  }

  @Test
  void stop_runsExitActionsAndCompletesLifecycleAsStopped() throws Exception {
    ConcurrentLinkedQueue<String> exits = new ConcurrentLinkedQueue<>();
    try (EventLoop loop = EventLoop.start("stopping")) {
      Machine<Recorder> machine = loop.start(Stator.<String, Recorder>machine("stoppable")
          .initial("A")
          .state("A", a -> a.initial("B").onExit(r -> exits.add("A"))
              .state("B", b -> b.onExit(r -> exits.add("B"))))
          .build(), new Recorder());

      Termination<Recorder> end = machine.stop().get(10, TimeUnit.SECONDS);

      assertThat(end.status()).isEqualTo(Status.STOPPED);
      assertThat(end.finalPath()).isEqualTo("A/B");
      assertThat(exits).containsExactly("B", "A");
    }
  }

  @Test
  void waitingOnALifecycleFromItsOwnLoopThread_isRefusedAtOnce() throws Exception {
    try (EventLoop loop = EventLoop.start("no-deadlock")) {
      Machine<Recorder> machine = loop.start(Stator.<String, Recorder>machine("waiter")
          .initial("A").state("A").build(), new Recorder());
      CompletableFuture<Throwable> refused = new CompletableFuture<>();
      loop.execute(() -> {
        try {
          machine.lifecycle().join();
          refused.complete(null);
        } catch (Throwable t) {
          refused.complete(t);
        }
      });

      assertThat(refused.get(10, TimeUnit.SECONDS))
          .isInstanceOf(BlockingOperationException.class)
          .hasMessageContaining("would never end");
    }
  }

  @Test
  void lifecycleFuture_cannotBeCompletedOrCancelledByItsUsers() {
    try (EventLoop loop = EventLoop.start("guarded-future")) {
      Machine<Recorder> machine = loop.start(Stator.<String, Recorder>machine("guarded")
          .initial("A").state("A").build(), new Recorder());

      assertThatThrownBy(() -> machine.lifecycle().complete(null))
          .isInstanceOf(UnsupportedOperationException.class);
      assertThatThrownBy(() -> machine.lifecycle().cancel(true))
          .isInstanceOf(UnsupportedOperationException.class);
      assertThat(machine.lifecycle()).isNotDone();
    }
  }

  @Test
  void timers_fireOnTheRealLoopAfterTheirDelay() throws Exception {
    try (EventLoop loop = EventLoop.start("real-timers")) {
      // read before the start: the loop may schedule the timer before start() returns here
      long start = System.nanoTime();
      Machine<Recorder> machine = loop.start(Stator.<String, Recorder>machine("timed")
          .initial("WAIT")
          .state("WAIT", s -> s.after(Duration.ofMillis(50)).goTo("DONE"))
          .finalState("DONE")
          .build(), new Recorder());

      Termination<Recorder> end = machine.lifecycle().get(10, TimeUnit.SECONDS);

      assertThat(end.finalPath()).isEqualTo("DONE");
      assertThat(System.nanoTime() - start).isGreaterThanOrEqualTo(Duration.ofMillis(50).toNanos());
    }
  }
}
