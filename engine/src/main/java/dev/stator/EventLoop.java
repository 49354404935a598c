package dev.stator;

import dev.stator.internal.loop.ThreadEventLoop;
import java.time.Duration;
import java.util.Optional;

/**
 * One thread that runs many machines: it delivers their events, fires their timers and runs every
 * callback, one at a time, to completion.
 *
 * <p><b>Thread-safety:</b> every method may be called from any thread. {@link #close()} called on
 * the loop thread itself only begins the close.
 *
 * <h2>A turn of the loop</h2>
 *
 * Wait until an event arrives or the next timer is due (parking, and woken by a sender only while
 * it sleeps); fire the due timers; take at most a batch of events from the loop's own queue and
 * from the cross-thread inbox. Each event is processed entirely (exits, actions, entries,
 * eventless transitions, then the events the machine raised) before the next.
 *
 * @see dev.stator.testing.TestLoop the same loop on the calling thread with virtual time, for tests
 */
public interface EventLoop extends AutoCloseable {

  /**
   * Starts a loop with the default options on a new platform thread named {@code name}.
   *
   * @param name the thread's name
   * @return the running loop
   */
  static EventLoop start(String name) {
    return start(name, LoopOptions.DEFAULTS);
  }

  /**
   * Starts a loop on a new platform thread named {@code name}.
   *
   * @param name the thread's name
   * @param options its handlers and bounds
   * @return the running loop
   */
  static EventLoop start(String name, LoopOptions options) {
    return ThreadEventLoop.start(name, options);
  }

  /** {@return the loop's name} */
  String name();

  /**
   * Starts a machine on this loop with a generated id ({@code "<definition id>-<n>"}). The initial
   * state is entered on the loop thread, before any event sent to the machine.
   *
   * @param definition what to run
   * @param context the instance's context, confined to the loop thread from now on
   * @param <C> the context type
   * @return the machine
   * @throws IllegalStateException if the loop is closed
   */
  <C> Machine<C> start(MachineDefinition<C> definition, C context);

  /**
   * Starts a machine on this loop with the given id.
   *
   * @param definition what to run
   * @param machineId the id used in reports; need not be unique, but should be
   * @param context the instance's context
   * @param <C> the context type
   * @return the machine
   * @throws IllegalStateException if the loop is closed
   */
  <C> Machine<C> start(MachineDefinition<C> definition, String machineId, C context);

  /**
   * Starts a machine with a listener attached before its initial entry, so that the listener sees
   * every step from the first. The listener hears {@code onTerminated} (STOPPED) even when the loop
   * closes before the machine's start runs; when the loop had already ended as the start was
   * submitted, that call runs on the thread that found the loop closed.
   *
   * @param definition what to run
   * @param machineId the id used in reports
   * @param context the instance's context
   * @param listener the listener
   * @param <C> the context type
   * @return the machine
   * @throws IllegalStateException if the loop is closed
   */
  <C> Machine<C> start(MachineDefinition<C> definition, String machineId, C context,
      MachineListener<? super C> listener);

  /**
   * Starts a durable machine: after each of its steps, its image goes to the durability's sink,
   * which stores it, and {@link Machine#sendDurably} waits for that. Otherwise as
   * {@link #start(MachineDefinition, String, Object)}.
   *
   * @param definition what to run
   * @param machineId the id, the key a store keeps the machine under: unique among the machines
   *     of a store
   * @param context the instance's context
   * @param durability the context's codec and the sink of the images
   * @param <C> the context type
   * @return the machine
   * @throws IllegalStateException if the loop is closed
   */
  <C> Machine<C> startDurable(MachineDefinition<C> definition, String machineId, C context,
      dev.stator.durable.Durability<C> durability);

  /**
   * Restores a machine from an image taken on this or another loop, in this or another process.
   * No entry action runs again; its pending timers are scheduled as {@code options} say (those
   * whose deadline passed fire at once, in deadline order, before any event sent after this call);
   * a call that was in flight is started again when declared idempotent, and otherwise completes
   * with a {@link dev.stator.durable.CallLostException}, an error the state may expect. A machine
   * imaged as FAILED is restored FAILED: its lifecycle future fails with its report (whose cause
   * is a {@link dev.stator.durable.RestoredCause}), without telling the unobserved-failure handler
   * again; one whose reset waited for its backoff restarts at the backoff's end. A COMPLETED or
   * STOPPED one completes its future at once.
   *
   * <p>The check of the image and the reading of its context run on the calling thread; the
   * resume runs on the loop.
   *
   * @param definition the definition the image was taken from, or a later version of it
   * @param image the image
   * @param durability the context's codec, and the sink of the restored machine's next images
   *     ({@link dev.stator.durable.Durability#NO_SINK} for none)
   * @param options how timers resume, and what to do with an image that does not fit
   * @param <C> the context type
   * @return the machine, with the image's machine id
   * @throws dev.stator.durable.ImageRefusedException if the image was taken from another
   *     definition, names states, timers or calls the definition does not have (and the
   *     migration did not fix it), or its context cannot be read
   * @throws IllegalStateException if the loop is closed
   */
  <C> Machine<C> restore(MachineDefinition<C> definition, dev.stator.durable.MachineImage image,
      dev.stator.durable.Durability<C> durability, dev.stator.durable.RestoreOptions options);

  /**
   * Runs a task on the loop thread, after the current step. A task that throws is logged and does
   * not affect the loop, except that a {@link VirtualMachineError} other than
   * {@link StackOverflowError} begins the loop's fatal path. A task that leaves the thread's
   * interrupt flag set fails no machine: the loop clears the flag and logs a warning.
   *
   * @param task the task
   * @throws IllegalStateException if the loop is closed and this is not the loop thread (on the
   *     loop thread, a task submitted while the loop closes is logged and dropped)
   */
  void execute(Runnable task);

  /** {@return whether the calling thread is this loop's thread} */
  boolean inLoop();

  /**
   * Returns the loop's time source: {@link LoopClock#system()} on a loop started by
   * {@link #start(String)}, virtual time on a {@link dev.stator.testing.TestLoop}.
   *
   * @return the loop's clock
   */
  LoopClock clock();

  /** {@return how many machines on this loop have not terminated} Exact on the loop thread. */
  int liveMachines();

  /**
   * Returns how many events and tasks wait to be taken: those sent from other threads (the
   * inbox) and those sent from the loop thread itself. Read without a lock from any thread, it is
   * a recent value, exact on the loop thread: a gauge of how far the loop lags behind its senders.
   *
   * @return the number of queued events and tasks
   */
  int queuedEvents();

  /**
   * Returns how many timers are scheduled on this loop and have not fired or been cancelled
   * (state timeouts, {@code after} transitions, call timeouts, backoffs). Read without a lock from
   * any thread, it is a recent value, exact on the loop thread.
   *
   * @return the number of pending timers
   */
  int pendingTimers();

  /** {@return whether {@link #close()} has begun} */
  boolean isClosed();

  /**
   * Stops every live machine (their exit actions run and their lifecycle futures complete), then
   * ends the loop thread and waits for it, unless called on the loop thread. Events sent afterwards
   * are refused and handed to the dead-letter handler. Idempotent.
   */
  @Override
  void close();

  /**
   * Closes like {@link #close()}, but waits at most {@code timeout} for the loop thread to end,
   * and says what it waited for when the thread did not end in time: a callback that never
   * returns would make {@link #close()} wait forever. The close goes on in the background; the
   * loop thread ends once that callback returns.
   *
   * <p>Called on the loop thread itself, it only begins the close and returns an empty result, as
   * {@link #close()} does.
   *
   * @param timeout how long to wait for the loop thread; zero or more
   * @return empty when the loop ended within {@code timeout} (or the call came from the loop
   *     thread); otherwise what the loop thread was running when the wait ended: the machine and
   *     phase of the step in progress (none for a task), how long the close waited, and the
   *     thread's stack
   * @throws IllegalArgumentException if {@code timeout} is negative
   */
  Optional<Stall> close(Duration timeout);
}
