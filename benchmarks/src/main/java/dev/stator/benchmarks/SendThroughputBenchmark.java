package dev.stator.benchmarks;

import dev.stator.EventLoop;
import dev.stator.LoopOptions;
import dev.stator.Machine;
import dev.stator.MachineDefinition;
import dev.stator.Status;
import dev.stator.dsl.Stator;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Group;
import org.openjdk.jmh.annotations.GroupThreads;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Cross-thread {@code Machine.send} throughput: one or two producer threads send to one machine on
 * a real {@link EventLoop} (its own platform thread, started with {@link EventLoop#start}), whose
 * only transition on the event is targetless ({@code stay()}) and counts the event. The baseline
 * does the same work without Stator: the same number of producers hand events to one consumer
 * thread through an {@link ArrayBlockingQueue} ({@code put} / {@code take}), and the consumer runs
 * the same machine written by hand as an enum and a {@code switch}.
 *
 * <p><b>Score.</b> Throughput mode; one operation is one event sent. Each benchmark is a JMH group
 * of one or two producer threads ({@code @GroupThreads}), so the score JMH prints for the group is
 * the total of its producers: events per second into the one consumer.
 *
 * <p><b>Bounded in-flight events.</b> A producer that could run ahead of the consumer forever
 * would measure the speed of filling memory, not of delivering events. So each producer has a
 * window: the consumer's action counts, per producer, the events it has processed (one
 * {@link AtomicLongArray} slot per producer, 128 bytes apart; only the consumer writes it, so it
 * increments with {@code lazySet}), and a producer that has sent {@code window} events more than
 * the consumer has processed from it waits until the consumer is no more than half a window
 * behind, then may send a whole window again. It waits by spinning with
 * {@link Thread#onSpinWait()} between reads of the counter, and yields after a while, since two
 * producers and a consumer share two cores here. It reads the counter only when the credit it last
 * read is spent, so the check costs nothing per event in the common case. At most {@code window}
 * events per producer are ever queued, so the inbox and the queue stay bounded. The queue's
 * capacity is {@code window × producers}, so {@code put} itself never blocks; only the consumer's
 * {@code take} does, when the queue is empty, as the loop parks when idle.
 *
 * <p><b>Two windows.</b> {@code window} is a parameter, 1,024 and 16,384 by default, because the
 * two measure different things. With 1,024 events in flight the consumer regularly empties its
 * queue and goes to sleep, and the score is dominated by the park and wake-up round trip of the
 * consumer thread; with 16,384 it rarely does, and the score is the consumer's cost per event.
 *
 * <p><b>Spread.</b> A fork's first seconds are slower than the rest (Stator's reached its steady
 * rate only in its fourth or fifth second: 10 to 20 million events per second until then, 40 to
 * 55 after), so six warm-up seconds come before five measured ones; three forks, because forks
 * settle at different rates. Run on an otherwise idle machine: on two cores, any
 * other process takes time from the producer or the consumer. A reported difference counts only
 * when it exceeds both rows' 99.9% error.
 *
 * <p>Both consumers run on a thread of their own, outside JMH's threads, and both sides pay the
 * same counting. What differs is the hand-off (a lock-free MPSC inbox, an allocated envelope per
 * event and a wake-up check, against a lock and two conditions) and the dispatch (the engine's
 * step against a {@code switch}).
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 6, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 3, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class SendThroughputBenchmark {

  /** The most producers a group has. */
  static final int MAX_PRODUCERS = 2;
  /** Slots of the counter array between two producers' counters: 16 longs, 128 bytes. */
  static final int STRIDE = 16;

  /** The machine's only state. */
  enum Counting { RUNNING }

  /** One event type per producer, so that the consumer can count per producer. */
  enum Event { FROM_0, FROM_1 }

  /** The context of both machines: events processed, per producer. */
  public static final class Processed {
    final AtomicLongArray counts = new AtomicLongArray(MAX_PRODUCERS * STRIDE);

    void count(int producer) {
      int slot = producer * STRIDE;
      counts.lazySet(slot, counts.get(slot) + 1);
    }

    long of(int producer) {
      return counts.get(producer * STRIDE);
    }

    long total() {
      long sum = 0;
      for (int i = 0; i < MAX_PRODUCERS; i++) {
        sum += of(i);
      }
      return sum;
    }
  }

  static final MachineDefinition<Processed> COUNTER = Stator.<Counting, Processed>machine("counter")
      .initial(Counting.RUNNING)
      .state(Counting.RUNNING, s -> s
          .on(Event.FROM_0).then(p -> p.count(0)).stay()
          .on(Event.FROM_1).then(p -> p.count(1)).stay())
      .build();

  // ------------------------------------------------------------------ what the producers share

  /** A consumer and the producers' slots; one per group, shared by its producers. */
  abstract static class Rig {
    final Processed processed = new Processed();
    final AtomicInteger slots = new AtomicInteger();

    int claimSlot() {
      int slot = slots.getAndIncrement();
      if (slot >= MAX_PRODUCERS) {
        throw new IllegalStateException("at most " + MAX_PRODUCERS + " producers");
      }
      return slot;
    }

    /** Returns how many events one producer may have sent and not yet seen processed. */
    abstract int window();

    abstract void send(Event event) throws InterruptedException;

    /** Returns whether the consumer can still catch up: a producer must not wait forever. */
    abstract boolean consuming();
  }

  /** Stator: one real loop, one machine on it. */
  @State(Scope.Group)
  public static class StatorRig extends Rig {
    /** How many events one producer may have sent and not yet seen processed. */
    @Param({"1024", "16384"})
    public int window;

    EventLoop loop;
    Machine<Processed> machine;
    final AtomicLong deadLetters = new AtomicLong();

    @Override
    int window() {
      return window;
    }

    @Setup(Level.Trial)
    public void setUp() {
      loop = EventLoop.start("send-throughput", LoopOptions.DEFAULTS
          .withDeadLetterHandler(letter -> deadLetters.incrementAndGet()));
      machine = loop.start(COUNTER, processed);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (machine.state().status() == Status.STARTING) {
        if (System.nanoTime() - deadline > 0) {
          throw new IllegalStateException("the machine did not start");
        }
        Thread.onSpinWait();
      }
    }

    @Override
    void send(Event event) {
      if (!machine.send(event)) {
        throw new IllegalStateException("the machine refused an event: " + machine.state());
      }
    }

    @Override
    boolean consuming() {
      return !machine.state().isTerminal();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
      Status status = machine.state().status();
      loop.close();
      if (status != Status.RUNNING) {
        throw new IllegalStateException("the machine is " + status + ", not RUNNING: "
            + machine.state());
      }
      if (processed.total() == 0) {
        throw new IllegalStateException("the machine processed nothing");
      }
    }
  }

  /** The baseline: a bounded queue and a consumer thread running a hand-written machine. */
  @State(Scope.Group)
  public static class QueueRig extends Rig {
    static final Object STOP = new Object();

    /** How many events one producer may have sent and not yet seen processed. */
    @Param({"1024", "16384"})
    public int window;

    ArrayBlockingQueue<Object> queue;
    Thread consumer;
    Counting mode = Counting.RUNNING;

    @Override
    int window() {
      return window;
    }

    @Setup(Level.Trial)
    public void setUp() {
      queue = new ArrayBlockingQueue<>(window * MAX_PRODUCERS);
      consumer = new Thread(this::consume, "send-throughput-queue");
      consumer.start();
    }

    private void consume() {
      try {
        while (true) {
          Object item = queue.take();
          if (item == STOP) {
            return;
          }
          fire((Event) item);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }

    /** The hand-written machine: one state, a targetless transition per event. */
    private void fire(Event event) {
      switch (mode) {
        case RUNNING -> {
          switch (event) {
            case FROM_0 -> processed.count(0);
            case FROM_1 -> processed.count(1);
            default -> throw new IllegalStateException("unknown event " + event);
          }
        }
        default -> throw new IllegalStateException("unknown state " + mode);
      }
    }

    @Override
    void send(Event event) throws InterruptedException {
      queue.put(event);
    }

    @Override
    boolean consuming() {
      return consumer.isAlive();
    }

    @TearDown(Level.Trial)
    public void tearDown() throws InterruptedException {
      queue.put(STOP);
      consumer.join(10_000);
      if (consumer.isAlive()) {
        throw new IllegalStateException("the consumer did not stop");
      }
      if (processed.total() == 0) {
        throw new IllegalStateException("the consumer processed nothing");
      }
    }
  }

  // ------------------------------------------------------------------ one producer's credit

  /** A producer: its slot, its event, and how far it may run ahead. */
  abstract static class Producer {
    Rig rig;
    int slot;
    Event event;
    Processed processed;
    long window;
    long sent;
    /** Sent events may reach this before the counter must be read again. */
    long limit;

    void claim(Rig shared) {
      rig = shared;
      slot = rig.claimSlot();
      event = Event.values()[slot];
      processed = rig.processed;
      window = rig.window();
      limit = window;
    }

    /**
     * Waits until the consumer has caught up to half a window behind this producer, then grants a
     * whole window again. The hysteresis matters: resuming as soon as one event is processed would
     * put producer and consumer in lock step, one event at a time, with the consumer's counter
     * bouncing between the two cores on every event and the consumer going to sleep after each one.
     */
    final void awaitCredit() {
      long done;
      int rounds = 0;
      while ((done = processed.of(slot)) + window / 2 < sent) {
        // back off between reads, so that the waiting producer does not keep pulling the cache
        // line the consumer writes on every event
        if (++rounds < 64) {
          for (int i = 0; i < 32; i++) {
            Thread.onSpinWait();
          }
        } else if (rig.consuming()) {
          Thread.yield();
        } else {
          throw new IllegalStateException("the consumer stopped");
        }
      }
      limit = done + window;
    }

    final void send() throws InterruptedException {
      if (sent >= limit) {
        awaitCredit();
      }
      rig.send(event);
      sent++;
    }
  }

  /** A producer sending to Stator. */
  @State(Scope.Thread)
  public static class StatorProducer extends Producer {
    @Setup(Level.Trial)
    public void setUp(StatorRig rig) {
      claim(rig);
    }
  }

  /** A producer putting into the queue. */
  @State(Scope.Thread)
  public static class QueueProducer extends Producer {
    @Setup(Level.Trial)
    public void setUp(QueueRig rig) {
      claim(rig);
    }
  }

  // ------------------------------------------------------------------ the benchmarks

  /** Stator, one producer: {@code machine.send} from a foreign thread into a real loop. */
  @Benchmark
  @Group("stator1Producer")
  @GroupThreads(1)
  public void statorSend1(StatorProducer producer) throws InterruptedException {
    producer.send();
  }

  /** Stator, two producers into the same machine. */
  @Benchmark
  @Group("stator2Producers")
  @GroupThreads(2)
  public void statorSend2(StatorProducer producer) throws InterruptedException {
    producer.send();
  }

  /** Baseline, one producer: {@code ArrayBlockingQueue.put}, a consumer thread and a switch. */
  @Benchmark
  @Group("queue1Producer")
  @GroupThreads(1)
  public void queuePut1(QueueProducer producer) throws InterruptedException {
    producer.send();
  }

  /** Baseline, two producers into the same queue. */
  @Benchmark
  @Group("queue2Producers")
  @GroupThreads(2)
  public void queuePut2(QueueProducer producer) throws InterruptedException {
    producer.send();
  }
}
