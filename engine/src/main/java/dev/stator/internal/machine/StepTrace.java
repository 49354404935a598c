package dev.stator.internal.machine;

import dev.stator.TraceEntry;
import dev.stator.internal.definition.CompiledDefinition;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The format of a machine's step trace, a ring of the last steps kept for failure reports, and
 * the code that writes its cold parts and reads it.
 *
 * <p>The ring itself stays in fields of {@link MachineRuntime}: recording runs on every
 * transition, and reaching the array through an object of its own would add a dependent load
 * (and, for every machine that ever stepped, an object) to each step. Recording stores only
 * primitives, so that it costs no GC write barrier: two longs per step, its time and then its
 * transition, source and target packed by {@link #pack}. The ring starts with room for one step
 * and doubles up to {@code LoopOptions.traceLength()}, so an idle machine pays for one step only.
 *
 * <p>Stateless; a machine's ring is read and written on its loop thread only.
 */
final class StepTrace {
  /** The mask of one 21-bit field of a packed step. */
  private static final long FIELD = (1L << 21) - 1;

  private StepTrace() {}

  /** Packs a step into a long: transition, source and target, each plus one so that -1 is 0. */
  static long pack(int transition, int from, int to) {
    return ((long) (transition + 1) << 42) | ((long) (from + 1) << 21) | (to + 1);
  }

  /**
   * The ring grown for one more step: room for one at first (an idle machine keeps only its
   * start), then all {@code length} steps at its second step. Until the ring is full no step has
   * wrapped, so the steps stay in order from slot 0 and the next one goes after them.
   */
  static long[] grow(long[] ring, int length) {
    if (ring == null) {
      return new long[2];
    }
    // straight to its full length: a ring that doubled would allocate at each of a machine's
    // first steps, and store a young array into an old machine each time
    return Arrays.copyOf(ring, 2 * length);
  }

  /**
   * The {@code count} steps before slot {@code next} of {@code ring} (null: none yet), oldest
   * first, named after the states and transitions of {@code definition}.
   */
  static List<TraceEntry> entries(CompiledDefinition<?> definition, long[] ring, int next,
      int count) {
    List<TraceEntry> entries = new ArrayList<>(count);
    int capacity = ring == null ? 1 : ring.length >> 1;
    for (int i = 0; i < count; i++) {
      int at = Math.floorMod(next - count + i, capacity);
      long step = ring[2 * at + 1];
      int transition = (int) (step >>> 42) - 1;
      int from = (int) ((step >>> 21) & FIELD) - 1;
      int to = (int) (step & FIELD) - 1;
      entries.add(new TraceEntry(ring[2 * at],
          transition < 0 ? "START" : definition.transitions[transition].traceLabel(),
          from < 0 ? "(start)" : definition.states[from].path(), definition.states[to].path()));
    }
    return entries;
  }
}
