package dev.stator.internal.machine;

import dev.stator.MachineDefinition;
import dev.stator.MachineListener;
import dev.stator.durable.Durability;
import dev.stator.durable.MachineImage;
import dev.stator.durable.RestoreOptions;
import dev.stator.internal.definition.CompiledDefinition;
import java.util.Objects;

/**
 * Makes machines: the one way a {@link MachineRuntime} comes to be, for the loop (a machine the
 * user starts) and for {@link Children} (a machine's child). A new machine is registered with its
 * loop only when its start runs there.
 */
public final class MachineFactory {
  private MachineFactory() {
  }

  /**
   * Creates a machine and queues its start. Any thread.
   *
   * @param id the id, or null for one generated from the definition's
   * @param parent the parent, or null
   * @param listener a listener to attach before the start, or null
   * @throws IllegalStateException if the loop is closed
   */
  public static <C> MachineRuntime<C> start(LoopServices loop, MachineDefinition<C> definition,
      String id, C context, MachineRuntime<?> parent, MachineListener<? super C> listener) {
    return start(loop, definition, id, context, parent, listener, null);
  }

  /**
   * Creates a machine and queues its start. Any thread.
   *
   * @param id the id, or null for one generated from the definition's
   * @param parent the parent, or null
   * @param listener a listener to attach before the start, or null
   * @param durability the codec and sink of a durable machine, or null
   * @throws IllegalStateException if the loop is closed
   */
  public static <C> MachineRuntime<C> start(LoopServices loop, MachineDefinition<C> definition,
      String id, C context, MachineRuntime<?> parent, MachineListener<? super C> listener,
      Durability<C> durability) {
    CompiledDefinition<C> compiled = compiled(definition);
    if (loop.isClosed()) {
      throw new IllegalStateException("loop '" + loop.name() + "' is closed; cannot start a"
          + " machine of '" + definition.id() + "'");
    }
    MachineRuntime<C> machine = new MachineRuntime<>(loop, compiled, id,
        id == null ? loop.nextSerial() : 0, context, parent);
    if (listener != null) {
      machine.addListener(listener);
    }
    if (durability != null) {
      // set before the start is queued: the queue hands it to the loop thread
      machine.rare().durable = new DurableMachine(durability, 0);
    }
    if (!loop.submit(machine, Control.START)) {
      machine.endings().abandon();
    }
    return machine;
  }

  /**
   * Restores a machine from its image and queues its resume. Any thread.
   *
   * @throws dev.stator.durable.ImageRefusedException if the image does not fit the definition and
   *     the options' migration did not make it fit, or its context cannot be read
   * @throws IllegalStateException if the loop is closed
   */
  public static <C> MachineRuntime<C> restore(LoopServices loop, MachineDefinition<C> definition,
      MachineImage image, Durability<C> durability, RestoreOptions options) {
    return Restorer.restore(loop, compiled(definition), image, durability, options);
  }

  private static <C> CompiledDefinition<C> compiled(MachineDefinition<C> definition) {
    Objects.requireNonNull(definition, "definition");
    if (!(definition instanceof CompiledDefinition<C> compiled)) {
      throw new IllegalArgumentException("definitions come from MachineDefinition.compile or the"
          + " DSL; " + definition.getClass().getName() + " is not one");
    }
    return compiled;
  }
}
