package dev.stator.internal.machine;

import dev.stator.internal.definition.StateNode;
import java.io.IOException;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The channels one machine registered with its loop's selector: it registers them and cancels
 * them, one at a time, when the state that registered one is left, or all as the machine ends.
 *
 * <p>Loop-confined. Made at the machine's first registration (most machines never make one). It
 * holds its machine only to hand it to the handles it makes, which check the calling thread and
 * name the machine; readiness from the loop's selector becomes a step of the machine
 * ({@link #ready}).
 */
final class MachineIo {
  private final LoopServices core;
  private final MachineRuntime<?> machine;
  private final List<IoHandle> handles = new ArrayList<>();

  MachineIo(LoopServices core, MachineRuntime<?> machine) {
    this.core = core;
    this.machine = machine;
  }

  /** Whether any registration is active. */
  boolean active() {
    return !handles.isEmpty();
  }

  /**
   * Registers {@code channel} for {@code ops}, to be cancelled when {@code owner} is left (null:
   * when the machine ends).
   */
  IoHandle register(String name, SelectableChannel channel, int ops, StateNode owner,
      int incarnation) throws IOException {
    Selector selector = core.selector();
    SelectionKey existing = channel.keyFor(selector);
    if (existing != null) {
      if (existing.isValid()) {
        throw new IllegalStateException("channel '" + name + "' is registered already, as "
            + existing.attachment() + "; cancel that registration first");
      }
      // a key cancelled in this step stays in the selector until its next selection: flush it
      selector.selectNow();
    }
    SelectionKey key = channel.register(selector, ops);
    IoHandle handle = new IoHandle(machine, name, key, owner, incarnation);
    key.attach(handle);
    handles.add(handle);
    return handle;
  }

  /** Cancels one registration, as its owner asked. */
  void cancel(IoHandle handle) {
    handle.key.cancel();
    handles.remove(handle);
    core.flushCancelledKeys();
  }

  /** Cancels the registrations of {@code state}, or every one for null. */
  void cancel(StateNode state) {
    boolean cancelled = false;
    for (int i = handles.size() - 1; i >= 0; i--) {
      IoHandle handle = handles.get(i);
      if (state == null || handle.owner == state) {
        handles.remove(i);
        handle.key.cancel();
        cancelled = true;
      }
    }
    if (cancelled) {
      core.flushCancelledKeys();
    }
  }

  /** Registers a channel for {@code m} ({@link dev.stator.Step#registerIo}). */
  static dev.stator.IoRegistration register(MachineRuntime<?> m, String name,
      SelectableChannel channel, int ops, boolean machineScoped) throws IOException {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(channel, "channel");
    m.checkInLoop("register a channel");
    if (m.status != dev.stator.Status.RUNNING) {
      throw new IllegalStateException("machine '" + m.id() + "' is " + m.status
          + "; cannot register channel '" + name + "'");
    }
    if (m.rare.io == null) {
      m.rare().io = new MachineIo(m.core, m);
    }
    return m.rare.io.register(name, channel, ops, machineScoped ? null : m.leaf(), m.incarnation);
  }

  /** Delivers readiness from the loop's selector as a step with an {@link dev.stator.IoReady}. */
  static void ready(IoHandle handle, int readyOps) {
    MachineRuntime<?> m = handle.machine;
    if (handle.incarnation != m.incarnation || m.status != dev.stator.Status.RUNNING) {
      handle.key.cancel();
      return;
    }
    m.step(new dev.stator.IoReady(handle, readyOps), null);
  }
}
