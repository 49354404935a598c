package dev.stator.internal.loop;

import dev.stator.internal.machine.IoHandle;
import java.io.IOException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.ArrayList;
import java.util.Set;

/**
 * A loop's I/O: its selector, opened when a machine first registers a channel, and the delivery
 * of each ready channel's event to its machine ({@link IoHandle#ready}). Owned by {@link LoopCore};
 * loop-confined except {@link #wakeSelector}.
 */
final class LoopIo {
  private final LoopCore core;
  private Selector selector;
  private final ArrayList<SelectionKey> readyKeys = new ArrayList<>();

  LoopIo(LoopCore core) {
    this.core = core;
  }

  /** Returns whether the selector was opened (so each turn selects). */
  boolean isOpen() {
    return selector != null;
  }

  /** Closes the selector, if it was opened, as the loop ends. */
  void close() {
    if (selector != null) {
      try {
        selector.close();
      } catch (IOException e) {
        core.report("closing the selector of loop '" + core.name + "' failed", e);
      }
    }
  }

  /** Returns the selector, opened on first use. */
  Selector selector() throws IOException {
    if (selector == null) {
      selector = Selector.open();
    }
    return selector;
  }

  /** Returns whether any channel is registered (so the loop must select instead of parking). */
  boolean hasIo() {
    return selector != null && !selector.keys().isEmpty();
  }

  /**
   * Sleeps in the selector until a channel is ready, the loop is woken, or {@code timeoutMillis}
   * pass (negative: no limit). Delivers nothing: the next turn does.
   */
  void awaitIo(long timeoutMillis) {
    try {
      if (timeoutMillis < 0) {
        selector.select();
      } else {
        selector.select(timeoutMillis);
      }
    } catch (IOException e) {
      core.report("the selector of loop '" + core.name + "' failed; I/O waits for the next turn",
          e);
    }
  }

  /**
   * Delivers the event of each ready channel to its machine, without waiting.
   *
   * @return how many events it delivered
   */
  int selectIo() {
    try {
      selector.selectNow();
    } catch (IOException e) {
      core.report("the selector of loop '" + core.name + "' failed; I/O waits for the next turn",
          e);
      return 0;
    }
    // copy first: a handler may register a channel, and flushing a cancelled key selects again
    Set<SelectionKey> selected = selector.selectedKeys();
    if (selected.isEmpty()) {
      return 0;
    }
    readyKeys.addAll(selected);
    selected.clear();
    int delivered = 0;
    try {
      for (int i = 0; i < readyKeys.size(); i++) {
        SelectionKey key = readyKeys.get(i);
        if (key.isValid()) {
          core.countProgress();
          IoHandle handle = (IoHandle) key.attachment();
          handle.ready(key.readyOps());
          delivered++;
        }
      }
    } finally {
      readyKeys.clear();
    }
    return delivered;
  }

  /**
   * Makes the selector drop cancelled keys now rather than at its next selection: a channel closed
   * by a machine is only really closed (its port released) once its key is gone, and a user who
   * stopped a server expects its port free when the lifecycle future completes.
   */
  void flushCancelledKeys() {
    try {
      selector.selectNow();
    } catch (IOException e) {
      core.report("the selector of loop '" + core.name + "' failed to drop cancelled keys", e);
    }
  }

  /** Wakes a loop blocked in {@link #selectIo}. Any thread. */
  void wakeSelector() {
    Selector s = selector;
    if (s != null) {
      s.wakeup();
    }
  }
}
