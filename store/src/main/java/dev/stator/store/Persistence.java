package dev.stator.store;

import dev.stator.EventLoop;
import dev.stator.Machine;
import dev.stator.MachineDefinition;
import dev.stator.durable.ContextCodec;
import dev.stator.durable.Durability;
import dev.stator.durable.MachineImage;
import dev.stator.durable.RestoreOptions;
import dev.stator.durable.StepCommit;
import dev.stator.durable.StepSink;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * Makes machines durable: the image of every step of every machine it starts or restores is
 * written to a {@link MachineStore}, with group commit, and {@code Machine.sendDurably} completes
 * once the step that consumed its event is committed.
 *
 * <h2>Group commit</h2>
 *
 * The loops hand each step's image to this sink, which queues it and returns at once (a step
 * never waits for the database). One writer thread takes everything queued, at most
 * {@code maxBatch} images, keeps the newest image of each machine, and writes them in one
 * transaction; then it tells each step's commit. While a transaction runs, the next batch gathers,
 * so batches grow with the load and no timer delays a write: an image is committed after at most
 * the transaction in progress and its own. A transaction that fails fails every step in it: their
 * durable sends complete exceptionally, and each machine still running faults in phase
 * {@code COMMIT}, so its recovery policy decides what follows.
 *
 * <p>Machines not started through a persistence are not touched: they take no image and keep the
 * engine's speed.
 *
 * <p><b>Thread-safety:</b> safe for any number of loops and threads. {@link #close()} writes what
 * is queued, then stops the writer; it does not close the store.
 */
public final class Persistence implements StepSink, AutoCloseable {
  /** The default bound of one transaction: images of this many machines at most. */
  public static final int DEFAULT_MAX_BATCH = 1000;

  private static final Pending STOP = new Pending(null, null);

  private record Pending(MachineImage image, StepCommit commit) {}

  /** A {@link #sync} waiting for a machine's step count to be committed. */
  private record Waiter(String machineId, long steps, CompletableFuture<Void> done) {}

  /** Writes nothing: {@link #sync} needs an image's step count, not its context. */
  private static final ContextCodec<Object> NO_CONTEXT = new ContextCodec<>() {
    @Override
    public byte[] encode(Object context) {
      return new byte[0];
    }

    @Override
    public Object decode(byte[] bytes) {
      return null;
    }
  };

  private final MachineStore store;
  private final int maxBatch;
  private final LinkedBlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
  private final Thread writer;
  private volatile boolean closed;
  /** The most steps committed per machine, and the syncs waiting; guarded by {@code waiters}. */
  private final Map<String, Long> committedSteps = new java.util.HashMap<>();
  private final List<Waiter> waiters = new ArrayList<>();

  private Persistence(MachineStore store, int maxBatch, String name) {
    this.store = store;
    this.maxBatch = maxBatch;
    this.writer = new Thread(this::write, name);
    writer.setDaemon(true);
  }

  /**
   * Starts a persistence with the default batch bound.
   *
   * @param store where the images go
   * @return the running persistence
   */
  public static Persistence start(MachineStore store) {
    return start(store, DEFAULT_MAX_BATCH);
  }

  /**
   * Starts a persistence.
   *
   * @param store where the images go
   * @param maxBatch the most images one transaction writes, at least 1
   * @return the running persistence
   * @throws IllegalArgumentException if {@code maxBatch} is less than 1
   */
  public static Persistence start(MachineStore store, int maxBatch) {
    Objects.requireNonNull(store, "store");
    if (maxBatch < 1) {
      throw new IllegalArgumentException("maxBatch must be at least 1, not " + maxBatch);
    }
    Persistence persistence = new Persistence(store, maxBatch, "stator-persistence " + store);
    persistence.writer.start();
    return persistence;
  }

  /**
   * {@return the durability of machines whose steps this persistence writes}
   *
   * @param codec writes the machines' context
   * @param <C> the context type
   */
  public <C> Durability<C> durability(ContextCodec<C> codec) {
    return new Durability<>(codec, this);
  }

  /**
   * Starts a durable machine, stored under its id.
   *
   * @param loop the loop to run it on
   * @param definition what to run
   * @param machineId its id and key in the store
   * @param context its context
   * @param codec writes its context
   * @param <C> the context type
   * @return the machine
   */
  public <C> Machine<C> start(EventLoop loop, MachineDefinition<C> definition, String machineId,
      C context, ContextCodec<C> codec) {
    return loop.startDurable(definition, machineId, context, durability(codec));
  }

  /**
   * Restores every stored machine of a definition on a loop, and goes on storing their steps.
   * An image that cannot be restored is left in the store untouched and listed in the report.
   *
   * @param loop the loop to run them on
   * @param definition the definition whose machines to restore
   * @param codec reads and writes their context
   * @param options how timers resume, and what to do with images that do not fit
   * @param <C> the context type
   * @return the machines restored, and the images refused with the reason
   * @throws StoreException if the store could not be read
   */
  public <C> Restored<C> restoreAll(EventLoop loop, MachineDefinition<C> definition,
      ContextCodec<C> codec, RestoreOptions options) {
    List<Machine<C>> machines = new ArrayList<>();
    Map<String, RuntimeException> refused = new LinkedHashMap<>();
    for (MachineImage image : store.loadAll(definition.id())) {
      try {
        machines.add(loop.restore(definition, image, durability(codec), options));
      } catch (IllegalArgumentException notRestored) {
        refused.put(image.machineId(), notRestored);
      }
    }
    return new Restored<>(machines, refused);
  }

  /**
   * What {@link #restoreAll} did.
   *
   * @param machines the machines restored, by machine id
   * @param refused the images not restored, by machine id, with the reason
   * @param <C> the context type
   */
  public record Restored<C>(List<Machine<C>> machines, Map<String, RuntimeException> refused) {

    /**
     * Copies both.
     *
     * @param machines the machines restored
     * @param refused the images not restored, with the reason
     */
    public Restored {
      machines = List.copyOf(machines);
      refused = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(refused));
    }
  }

  @Override
  public void stepEnded(MachineImage image, StepCommit commit) {
    if (closed) {
      commit.failed(new StoreException("persistence of " + store + " is closed; the step of"
          + " machine '" + image.machineId() + "' was not stored", null));
      return;
    }
    queue.add(new Pending(image, commit));
  }

  private void write() {
    List<Pending> batch = new ArrayList<>(maxBatch);
    boolean stopping = false;
    while (!stopping || !queue.isEmpty()) {
      batch.clear();
      try {
        batch.add(queue.take());
      } catch (InterruptedException interrupted) {
        // only close() stops the writer: what is queued is still written
        continue;
      }
      queue.drainTo(batch, maxBatch - 1);
      if (batch.remove(STOP)) {
        stopping = true;
      }
      if (!batch.isEmpty()) {
        commit(batch);
      }
    }
  }

  private void commit(List<Pending> batch) {
    Map<String, MachineImage> newest = new LinkedHashMap<>();
    for (Pending pending : batch) {
      newest.merge(pending.image.machineId(), pending.image,
          (a, b) -> a.steps() >= b.steps() ? a : b);
    }
    Collection<MachineImage> images = newest.values();
    try {
      store.saveAll(images);
    } catch (RuntimeException failed) {
      for (Pending pending : batch) {
        pending.commit.failed(failed);
      }
      synchronized (waiters) {
        waiters.removeIf(waiter -> newest.containsKey(waiter.machineId)
            && waiter.done.completeExceptionally(failed));
      }
      return;
    }
    for (Pending pending : batch) {
      pending.commit.committed();
    }
    synchronized (waiters) {
      for (MachineImage image : images) {
        committedSteps.merge(image.machineId(), image.steps(), Math::max);
      }
      waiters.removeIf(this::released);
    }
  }

  /** Completes a waiting sync whose steps are committed; returns whether it did. */
  private boolean released(Waiter waiter) {
    if (committedSteps.getOrDefault(waiter.machineId, 0L) >= waiter.steps) {
      waiter.done.complete(null);
      return true;
    }
    return false;
  }

  /**
   * Returns a future that completes once every step the machine took before this call is
   * committed: for a step no durable send caused (a timer's, a call's), what
   * {@code Machine.sendDurably} is for an event.
   *
   * @param machine a machine this persistence makes durable
   * @return the future; it fails with the store's error if a step of the machine could not be
   *     stored, or if the machine's image cannot be taken
   */
  public CompletableFuture<Void> sync(Machine<?> machine) {
    return machine.snapshot(NO_CONTEXT).thenCompose(image -> {
      Waiter waiter = new Waiter(image.machineId(), image.steps(), new CompletableFuture<>());
      synchronized (waiters) {
        if (!released(waiter)) {
          waiters.add(waiter);
        }
      }
      return waiter.done;
    });
  }

  /**
   * Deletes machines from the store, typically ended ones whose outcome is no longer needed.
   *
   * @param machineIds the machines
   * @throws StoreException if the store failed
   */
  public void forget(Collection<String> machineIds) {
    store.deleteAll(machineIds);
  }

  /**
   * Writes what is queued, then stops the writer; later steps of its machines fail to commit.
   * Does not close the store.
   */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    queue.add(STOP);
    boolean interrupted = false;
    while (writer.isAlive()) {
      try {
        writer.join();
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }
}
