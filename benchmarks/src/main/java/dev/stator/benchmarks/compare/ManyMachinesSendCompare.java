package dev.stator.benchmarks.compare;

import dev.stator.EventLoop;
import dev.stator.LoopOptions;
import dev.stator.Machine;
import dev.stator.MachineDefinition;
import dev.stator.Status;
import dev.stator.dsl.Stator;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CountDownLatch;
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
 * {@link ManyMachinesCompare}'s workload sent from other threads: one or two producer threads
 * send toggle events to N machines on a real {@link EventLoop} (its own platform thread), each
 * event to the next machine of a fixed pseudo-random order ({@link ManyMachinesCompare#order},
 * one independent position per producer: producer p starts at {@code p × ORDER / 2}). The
 * baseline, measured in the same run, hands the same events to one consumer thread through an
 * {@link ArrayBlockingQueue} and the consumer runs N hand-written machine objects (a state and a
 * reference to the machine's own context, as {@code ManyMachinesCompare.handObjects}).
 *
 * <p>The windowed producer is {@code SendThroughputBenchmark}'s: each producer may have at most
 * {@code window} (16,384) events sent and not yet processed; when its credit is spent it waits,
 * spinning then yielding, until the consumer is no more than half a window behind. So the inbox
 * and the queue stay bounded and, with 16,384 events in flight, the consumer rarely runs dry: the
 * score is the consumer's cost per event plus the hand-off, not the park and wake-up round trip.
 * To let the consumer count per producer, the machine here is the toggle with one event type per
 * producer ({@code FROM_0}, {@code FROM_1}, both flipping): the context of every machine is its
 * own {@link Toggled} (its flip count) with a reference to the rig's shared per-producer counters.
 * The baseline queue carries a small {@code Delivery(machine, producer)} allocated per event,
 * as Stator's {@code send} allocates an envelope per event.
 *
 * <p>The Stator machines take no events before the measurement, so with a million machines
 * their failure-trace rings are still growing during it (see {@link ManyMachinesCompare}); run
 * with {@code -prof gc} to see the bytes that costs.
 *
 * <p><b>Score.</b> Throughput mode; one operation is one event sent; the group score is the total
 * of its producers, events per second into the one consumer. Tear-downs check that the machines'
 * flips add up to the events the consumer processed and that the consumer processed every event
 * the producers sent (the trial waits for the consumer to drain first).
 *
 * <p><b>Spread.</b> Two forks by default ({@code @Fork(2)}), 3 warm-up and 5 measurement
 * iterations of 2 s: with a 1M-machine setup the JIT and the heap layout differ from fork to
 * fork, and the cache-miss-bound score moves more between forks than between iterations, so the
 * forks matter more than longer iterations. The score's error (99.9% over 10 iterations) is what
 * to compare with the differences: on this 2-core machine shared with other work, only
 * differences larger than both sides' errors, taken in the same run at low load, are reported.
 * Two producers and a consumer need three cores, so on two cores the 2-producer rows also
 * measure contention for a core, on both sides alike.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 2, jvmArgsAppend = {"-Xms4g", "-Xmx4g", "-XX:+AlwaysPreTouch"})
public class ManyMachinesSendCompare {

  /** The most producers a group has. */
  static final int MAX_PRODUCERS = 2;
  /** Slots of the counter array between two producers' counters: 16 longs, 128 bytes. */
  static final int STRIDE = 16;
  /** Events a producer may have sent and not yet seen processed. */
  static final int WINDOW = 16_384;

  /** The toggle's states. */
  public enum Toggle { OFF, ON }

  /** One flip event per producer, so that the consumer can count per producer. */
  public enum Event { FROM_0, FROM_1 }

  /** Events processed, per producer, shared by all machines of a rig. */
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

  /** One machine's context: its flips, and the rig's per-producer counts. */
  public static final class Toggled {
    long flips;
    final Processed processed;

    Toggled(Processed processed) {
      this.processed = processed;
    }

    void flip(int producer) {
      flips++;
      processed.count(producer);
    }
  }

  /** The toggle, flipping on either producer's event. */
  static final MachineDefinition<Toggled> TOGGLE = Stator.<Toggle, Toggled>machine("toggle2")
      .initial(Toggle.OFF)
      .state(Toggle.OFF, s -> s
          .on(Event.FROM_0).then(t -> t.flip(0)).goTo(Toggle.ON)
          .on(Event.FROM_1).then(t -> t.flip(1)).goTo(Toggle.ON))
      .state(Toggle.ON, s -> s
          .on(Event.FROM_0).then(t -> t.flip(0)).goTo(Toggle.OFF)
          .on(Event.FROM_1).then(t -> t.flip(1)).goTo(Toggle.OFF))
      .build();

  // ------------------------------------------------------------------ what the producers share

  /** A consumer, its machines and the producers' slots; one per group. */
  @State(Scope.Group)
  public abstract static class Rig {
    /** How many machines the events are spread over. */
    @Param({"1", "1000", "100000", "1000000"})
    public int machines;

    final Processed processed = new Processed();
    final AtomicInteger slots = new AtomicInteger();
    /**
     * Events sent, per producer (same stride as {@link Processed}): each producer publishes its
     * count with {@code lazySet} after every send, so the tear-down sees it whatever order JMH
     * runs the producers' and the rig's tear-downs in.
     */
    final AtomicLongArray sent = new AtomicLongArray(MAX_PRODUCERS * STRIDE);

    long sent() {
      long sum = 0;
      for (int i = 0; i < MAX_PRODUCERS; i++) {
        sum += sent.get(i * STRIDE);
      }
      return sum;
    }
    int[] order;

    int claimSlot() {
      int slot = slots.getAndIncrement();
      if (slot >= MAX_PRODUCERS) {
        throw new IllegalStateException("at most " + MAX_PRODUCERS + " producers");
      }
      return slot;
    }

    abstract void send(int machine, int producer) throws InterruptedException;

    /** Returns whether the consumer can still catch up: a producer must not wait forever. */
    abstract boolean consuming();

    /** Waits until the consumer has processed every event sent. */
    final void drain() throws InterruptedException {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (processed.total() < sent()) {
        if (System.nanoTime() - deadline > 0 || !consuming()) {
          throw new IllegalStateException("the consumer processed " + processed.total()
              + " of " + sent() + " events");
        }
        Thread.sleep(1);
      }
    }

    final void check(String name, long flips) {
      CompareSupport.expectPositive(name + " flips", flips);
      CompareSupport.expect(name + " processed", processed.total(), sent());
      CompareSupport.expect(name + " flips", flips, sent());
    }
  }

  /** Stator: one real loop, N machines on it. */
  @State(Scope.Group)
  public static class StatorRig extends Rig {
    EventLoop loop;
    Machine<Toggled>[] machine;
    Toggled[] context;
    final AtomicLong deadLetters = new AtomicLong();

    @Setup(Level.Trial)
    @SuppressWarnings({"unchecked", "rawtypes"})
    public void setUp() throws InterruptedException {
      order = ManyMachinesCompare.order(machines);
      loop = EventLoop.start("many-send", LoopOptions.DEFAULTS
          .withDeadLetterHandler(letter -> deadLetters.incrementAndGet()));
      machine = new Machine[machines];
      context = new Toggled[machines];
      for (int i = 0; i < machines; i++) {
        context[i] = new Toggled(processed);
        machine[i] = loop.start(TOGGLE, context[i]);
      }
      CountDownLatch started = new CountDownLatch(1);
      loop.execute(started::countDown);
      if (!started.await(5, TimeUnit.MINUTES)) {
        throw new IllegalStateException("the loop did not start the machines in time");
      }
      if (machine[machines - 1].state().status() != Status.RUNNING) {
        throw new IllegalStateException("not started: " + machine[machines - 1].state());
      }
    }

    @Override
    void send(int target, int producer) {
      if (!machine[target].send(producer == 0 ? Event.FROM_0 : Event.FROM_1)) {
        throw new IllegalStateException("the machine refused an event: "
            + machine[target].state());
      }
    }

    @Override
    boolean consuming() {
      return !loop.isClosed();
    }

    @TearDown(Level.Trial)
    public void tearDown() throws InterruptedException {
      drain();
      long flips = 0;
      for (Toggled t : context) {
        flips += t.flips;
      }
      loop.close();
      CompareSupport.expect("stator dead letters", deadLetters.get(), 0L);
      check("stator", flips);
    }
  }

  /** A hand-written machine: its state and its own context. */
  static final class HandMachine {
    Toggle state = Toggle.OFF;
    final Toggled context;

    HandMachine(Toggled context) {
      this.context = context;
    }

    void fire(int producer) {
      switch (state) {
        case OFF -> {
          context.flip(producer);
          state = Toggle.ON;
        }
        case ON -> {
          context.flip(producer);
          state = Toggle.OFF;
        }
        default -> throw new IllegalStateException("unknown state " + state);
      }
    }
  }

  /** What the baseline queue carries: the target machine and who sent the event. */
  record Delivery(HandMachine machine, int producer) {
  }

  /** The baseline: a bounded queue and a consumer thread running N hand-written machines. */
  @State(Scope.Group)
  public static class QueueRig extends Rig {
    static final Delivery STOP = new Delivery(null, -1);

    ArrayBlockingQueue<Delivery> queue;
    HandMachine[] machine;
    Thread consumer;

    @Setup(Level.Trial)
    public void setUp() {
      order = ManyMachinesCompare.order(machines);
      machine = new HandMachine[machines];
      for (int i = 0; i < machines; i++) {
        machine[i] = new HandMachine(new Toggled(processed));
      }
      queue = new ArrayBlockingQueue<>(WINDOW * MAX_PRODUCERS);
      consumer = new Thread(this::consume, "many-send-queue");
      consumer.start();
    }

    private void consume() {
      try {
        while (true) {
          Delivery item = queue.take();
          if (item == STOP) {
            return;
          }
          item.machine().fire(item.producer());
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }

    @Override
    void send(int target, int producer) throws InterruptedException {
      queue.put(new Delivery(machine[target], producer));
    }

    @Override
    boolean consuming() {
      return consumer.isAlive();
    }

    @TearDown(Level.Trial)
    public void tearDown() throws InterruptedException {
      drain();
      queue.put(STOP);
      consumer.join(10_000);
      if (consumer.isAlive()) {
        throw new IllegalStateException("the consumer did not stop");
      }
      long flips = 0;
      for (HandMachine m : machine) {
        flips += m.context.flips;
      }
      check("queue", flips);
    }
  }

  // ------------------------------------------------------------------ one producer's credit

  /** A producer: its slot, its position in the order, and how far it may run ahead. */
  abstract static class Producer {
    Rig rig;
    int slot;
    Processed processed;
    int[] order;
    int position;
    long sent;
    /** Sent events may reach this before the counter must be read again. */
    long limit;

    void claim(Rig shared) {
      rig = shared;
      slot = rig.claimSlot();
      processed = rig.processed;
      order = rig.order;
      position = slot * (ManyMachinesCompare.ORDER / MAX_PRODUCERS);
      limit = WINDOW;
    }

    /** As {@code SendThroughputBenchmark.Producer.awaitCredit}: hysteresis of half a window. */
    final void awaitCredit() {
      long done;
      int rounds = 0;
      while ((done = processed.of(slot)) + WINDOW / 2 < sent) {
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
      limit = done + WINDOW;
    }

    final void send() throws InterruptedException {
      if (sent >= limit) {
        awaitCredit();
      }
      rig.send(order[position++ & (ManyMachinesCompare.ORDER - 1)], slot);
      sent++;
      rig.sent.lazySet(slot * STRIDE, sent);
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

  /** Stator, two producers. */
  @Benchmark
  @Group("stator2Producers")
  @GroupThreads(2)
  public void statorSend2(StatorProducer producer) throws InterruptedException {
    producer.send();
  }

  /** Baseline, one producer: {@code ArrayBlockingQueue.put}, a consumer thread, N objects. */
  @Benchmark
  @Group("queue1Producer")
  @GroupThreads(1)
  public void queuePut1(QueueProducer producer) throws InterruptedException {
    producer.send();
  }

  /** Baseline, two producers. */
  @Benchmark
  @Group("queue2Producers")
  @GroupThreads(2)
  public void queuePut2(QueueProducer producer) throws InterruptedException {
    producer.send();
  }
}
