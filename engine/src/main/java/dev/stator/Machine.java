package dev.stator;

import java.util.concurrent.CompletableFuture;

/**
 * A running instance of a {@link MachineDefinition} on an {@link EventLoop}.
 *
 * <p><b>Thread-safety:</b> every method may be called from any thread. All of the machine's
 * callbacks run on its loop's thread, one at a time.
 *
 * <h2>Lifecycle</h2>
 *
 * <pre>
 *   start ──► STARTING ──► RUNNING ──┬──► COMPLETED  lifecycle() completes normally
 *                            ▲       ├──► STOPPED    lifecycle() completes normally
 *                            │       └──► FAILED ──► recovery policy:
 *                            └──────── reset ──┘      shutdown / exit: lifecycle() completes
 *                                                     exceptionally with MachineFailedException
 * </pre>
 *
 * @param <C> the context type
 */
public interface Machine<C> {

  /**
   * {@return the machine's id: generated ones ({@code "client-3"}) are unique among the first
   * 2<sup>32</sup> machines started on their loop (the counter then wraps) and are built only when
   * first asked for; one given to {@link EventLoop#start(MachineDefinition, String, Object)} is
   * used as given}
   */
  String id();

  /** {@return the definition it runs} */
  MachineDefinition<C> definition();

  /** {@return the loop it runs on} */
  EventLoop loop();

  /**
   * Sends an event to the machine. From the loop thread it is queued behind the current step; from
   * any other thread it goes through the loop's lock-free inbox. Events from one sender are
   * delivered in the order sent.
   *
   * @param event the event: an enum constant, a string, or a record; not null
   * @return true if the event was queued; false if the machine has terminated or its loop is
   *     closed, in which case the event has been handed to the dead-letter handler
   */
  boolean send(Object event);

  /**
   * Sends an event and returns a future that completes once the step that consumed it is done
   * and, for a durable machine ({@link EventLoop#startDurable}), its image is stored: a sender
   * that must not lose the event's effect in a crash waits for it. It completes exceptionally with
   * the store's error when the image could not be stored, and with an
   * {@link IllegalStateException} when the event was never consumed (the machine ended first, or
   * the loop closed; the event then goes to the dead-letter handler). A step that faulted is done
   * too: the future says the step is stored, the lifecycle future says how the machine fares.
   *
   * <p>The future completes on the loop thread or on the store's thread: do not block in its
   * dependent stages.
   *
   * @param event the event: an enum constant, a string, or a record; not null
   * @return the future of the step's commit
   */
  CompletableFuture<Void> sendDurably(Object event);

  /**
   * Takes an image of the machine between two of its steps, to save it or to restore it on
   * another loop ({@link EventLoop#restore}). Any thread; the image is taken on the loop thread,
   * after the steps queued before this call.
   *
   * @param codec writes the context into the image
   * @return the future image; it fails with an {@link IllegalStateException} for a machine that
   *     cannot be saved (it supervises running children, or an action's timer carries an event
   *     that is neither a string nor an enum constant), or with what the codec threw
   */
  CompletableFuture<dev.stator.durable.MachineImage> snapshot(
      dev.stator.durable.ContextCodec<? super C> codec);

  /** {@return the latest published snapshot of the machine's state; never blocks} */
  StateSnapshot state();

  /**
   * Returns the future that completes exactly once when the machine's life ends: normally with a
   * {@link Termination} (final state reached, or stopped), exceptionally with a
   * {@link MachineFailedException} when it failed for good. The future cannot be completed or
   * cancelled by its users. Waiting for it, or for a stage derived from it, on the machine's own
   * loop thread before it is done throws {@link BlockingOperationException}.
   *
   * @return the lifecycle future
   */
  CompletableFuture<Termination<C>> lifecycle();

  /**
   * Asks the machine to stop: after the current step, its exit actions run from the innermost
   * active state outwards, its timers are cancelled, its children are stopped, and the lifecycle
   * future completes with status STOPPED. Does nothing to a machine that has ended already.
   *
   * @return the lifecycle future
   */
  CompletableFuture<Termination<C>> stop();

  /**
   * Adds a listener; it sees the steps taken after it was added.
   *
   * @param listener the listener
   */
  void addListener(MachineListener<? super C> listener);

  /**
   * Removes a listener.
   *
   * @param listener the listener
   * @return whether it was present
   */
  boolean removeListener(MachineListener<? super C> listener);
}
