package dev.stator.examples.mqtt.faults;

import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Queue;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Writes one direction of a proxied connection, at once or after a delay, and always in the order
 * it was given the bytes: once anything is held back, everything after it joins one queue, due no
 * earlier than what is ahead of it, and a single scheduler thread runs the queue from its head, as
 * TCP itself never reorders. Thread-safe.
 */
final class OrderedWriter {

  interface Failure {
    void onWriteFailed(IOException e);
  }

  private record Held(long dueNanos, Runnable action) {
  }

  private final OutputStream out;
  private final String name;
  private final Failure failure;
  private final Queue<Held> held = new ArrayDeque<>();
  private volatile ScheduledExecutorService scheduler;
  private volatile boolean shut;
  private long lastDueNanos;

  OrderedWriter(OutputStream out, String name, Failure failure) {
    this.out = out;
    this.name = name;
    this.failure = failure;
  }

  /** Writes {@code length} bytes, {@code delayMillis} from now and after what was given before. */
  void write(byte[] bytes, int offset, int length, long delayMillis) {
    if (length == 0) {
      return;
    }
    synchronized (this) {
      if (delayMillis == 0 && held.isEmpty()) {
        writeNow(bytes, offset, length);
        return;
      }
      byte[] copy = Arrays.copyOfRange(bytes, offset, offset + length);
      hold(() -> writeNow(copy, 0, copy.length), delayMillis);
    }
  }

  /** Runs {@code action} once every write given so far is done. */
  synchronized void afterPending(Runnable action) {
    if (held.isEmpty()) {
      action.run();
    } else {
      hold(action, 0);
    }
  }

  /** Stops the scheduler; takes no lock, so a failing write on either side may call it. */
  void shutdown() {
    shut = true;
    ScheduledExecutorService current = scheduler;
    if (current != null) {
      current.shutdownNow();
    }
  }

  private void hold(Runnable action, long delayMillis) {
    if (shut) {
      return;
    }
    if (scheduler == null) {
      scheduler = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, name);
        thread.setDaemon(true);
        return thread;
      });
    }
    long now = System.nanoTime();
    long due = Math.max(now + TimeUnit.MILLISECONDS.toNanos(delayMillis), lastDueNanos);
    lastDueNanos = due;
    held.add(new Held(due, action));
    try {
      scheduler.schedule(this::runDue, due - now, TimeUnit.NANOSECONDS);
    } catch (RejectedExecutionException closed) {
      held.clear();
    }
  }

  /** Runs, in order, every held action that is due; on the scheduler thread only. */
  private void runDue() {
    while (true) {
      Held head;
      synchronized (this) {
        head = held.peek();
        if (head == null || head.dueNanos() - System.nanoTime() > 0) {
          return;
        }
      }
      head.action().run();
      synchronized (this) {
        held.remove();
      }
    }
  }

  private void writeNow(byte[] bytes, int offset, int length) {
    try {
      out.write(bytes, offset, length);
      out.flush();
    } catch (IOException e) {
      failure.onWriteFailed(e);
    }
  }
}
