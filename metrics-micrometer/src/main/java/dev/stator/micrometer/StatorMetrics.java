package dev.stator.micrometer;

import dev.stator.EventLoop;
import dev.stator.LoopObserver;
import dev.stator.LoopOptions;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Micrometer meters for the loops it observes: a {@link MeterBinder} that is also the factory of
 * each loop's {@link LoopObserver}. Attach it to a loop's options, bind it to a registry, in
 * either order:
 *
 * <pre>{@code
 * StatorMetrics metrics = StatorMetrics.create();
 * metrics.bindTo(registry);
 * EventLoop loop = EventLoop.start("net", metrics.attachTo(LoopOptions.DEFAULTS));
 * }</pre>
 *
 * <h2>Meters</h2>
 *
 * <table>
 *   <caption>The meters and their tags</caption>
 *   <tr><th>Name</th><th>Type</th><th>Tags</th><th>What</th></tr>
 *   <tr><td>{@value #EVENTS}</td><td>function counter</td><td>{@code definition}</td>
 *       <td>steps machines took: one per event, timer, call completion or start processed</td></tr>
 *   <tr><td>{@value #STEP_LATENCY}</td><td>timer</td><td>{@code definition}</td>
 *       <td>how long a step took, its listeners' calls included, for one step in
 *       {@link Builder#timeOneStepIn(int)} (16 by default)</td></tr>
 *   <tr><td>{@value #FAULTS}</td><td>counter</td><td>{@code definition}, {@code state},
 *       {@code phase}</td><td>faults: a callback threw, or a machine broke a rule</td></tr>
 *   <tr><td>{@value #RESTARTS}</td><td>counter</td><td>{@code definition}, {@code state}</td>
 *       <td>restarts the recovery policies decided, tagged with the state of the fault</td></tr>
 *   <tr><td>{@value #DEAD_LETTERS}</td><td>counter</td><td>{@code loop}</td>
 *       <td>events no machine would take</td></tr>
 *   <tr><td>{@value #LIVE_MACHINES}</td><td>gauge</td><td>{@code loop}</td>
 *       <td>machines started and not ended ({@link EventLoop#liveMachines()})</td></tr>
 *   <tr><td>{@value #QUEUED_EVENTS}</td><td>gauge</td><td>{@code loop}</td>
 *       <td>events and tasks waiting to be taken ({@link EventLoop#queuedEvents()})</td></tr>
 *   <tr><td>{@value #PENDING_TIMERS}</td><td>gauge</td><td>{@code loop}</td>
 *       <td>timers scheduled and not yet fired or cancelled
 *       ({@link EventLoop#pendingTimers()})</td></tr>
 * </table>
 *
 * <p>Every meter also carries the builder's common tags. The tags' values are bounded: a
 * {@code definition} is a definition's id, a {@code state} is a state path of that definition
 * (for a machine with regions, its configuration: the active leaves, so at most the product of
 * the regions' leaves), a {@code phase} is one of {@link dev.stator.Phase}'s constants and a
 * {@code loop} is a loop's name; machine ids, events and exception messages, which are unbounded,
 * are never tags. The number of series is therefore bounded by the definitions and loops the
 * application has, not by the machines it runs. The loop's gauges are removed as the loop ends;
 * counters and timers stay.
 *
 * <h2>Cost</h2>
 *
 * Each step of an observed loop adds a look-up of its definition (skipped when the same definition
 * steps again), a count in a loop-confined cell that the counter sums when read, and a countdown
 * to the next timed step; a timed step reads the loop's clock twice and records in the timer.
 * Faults, restarts and dead letters are counted as they happen, on their cold paths. A loop
 * without this binder pays nothing (see {@link LoopObserver}).
 *
 * <p><b>Thread-safety:</b> thread-safe: it may observe loops on many threads and be bound to
 * registries from any thread. The observer it makes for a loop is confined to that loop, as
 * {@link LoopObserver} says.
 */
public final class StatorMetrics implements MeterBinder {

  /** The counter of steps (events processed), tagged {@code definition}. */
  public static final String EVENTS = "stator.events.processed";
  /** The timer of sampled steps, tagged {@code definition}. */
  public static final String STEP_LATENCY = "stator.step.latency";
  /** The counter of faults, tagged {@code definition}, {@code state} and {@code phase}. */
  public static final String FAULTS = "stator.faults";
  /** The counter of restarts, tagged {@code definition} and {@code state}. */
  public static final String RESTARTS = "stator.restarts";
  /** The counter of dead letters, tagged {@code loop}. */
  public static final String DEAD_LETTERS = "stator.dead.letters";
  /** The gauge of live machines, tagged {@code loop}. */
  public static final String LIVE_MACHINES = "stator.machines.live";
  /** The gauge of queued events and tasks, tagged {@code loop}. */
  public static final String QUEUED_EVENTS = "stator.events.queued";
  /** The gauge of pending timers, tagged {@code loop}. */
  public static final String PENDING_TIMERS = "stator.timers.pending";

  /*
   * Design: the meters are made in a composite registry of the binder's own, to which bindTo adds
   * the application's registries. A meter made before any registry is bound records nothing and
   * appears in each registry as it is added, so the binder may observe loops before or after it
   * is bound. The per-step count is not a Counter (an adder behind a composite, per step) but a
   * plain cell per loop and definition, written only by its loop thread with an opaque store and
   * summed by a FunctionCounter when a registry reads it.
   */

  private final CompositeMeterRegistry registry = new CompositeMeterRegistry();
  private final Tags tags;
  private final int timedStepInterval;
  private final ConcurrentHashMap<String, DefinitionMeters> definitions = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, EventLoop> loops = new ConcurrentHashMap<>();

  private StatorMetrics(Builder builder) {
    this.tags = builder.tags;
    this.timedStepInterval = builder.timedStepInterval;
  }

  /** {@return a binder with no common tags that times one step in 16} */
  public static StatorMetrics create() {
    return builder().build();
  }

  /** {@return a builder of a binder, with no common tags, timing one step in 16} */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Adds {@code registry} to the registries the meters appear in: those made so far and those to
   * come. Binding the same registry again does nothing.
   *
   * @param registry the registry
   */
  @Override
  public void bindTo(MeterRegistry registry) {
    this.registry.add(Objects.requireNonNull(registry, "registry"));
  }

  /**
   * Returns {@code options} with this binder as the observer of each loop started with them:
   * {@code options.withObserver(this::observe)}.
   *
   * @param options the loop's options
   * @return the copy that observes the loop
   */
  public LoopOptions attachTo(LoopOptions options) {
    return Objects.requireNonNull(options, "options").withObserver(this::observe);
  }

  /**
   * Makes the observer of {@code loop} and registers its gauges, as {@link LoopOptions#withObserver}
   * asks of its factory: called once per loop, as it starts.
   *
   * @param loop the loop
   * @return the loop's observer, confined to the loop
   * @throws IllegalArgumentException if a loop of the same name is observed by this binder and
   *     has not ended: the gauges of a loop are told apart by its name
   */
  public LoopObserver observe(EventLoop loop) {
    Objects.requireNonNull(loop, "loop");
    EventLoop before = loops.putIfAbsent(loop.name(), loop);
    if (before != null) {
      throw new IllegalArgumentException("StatorMetrics.observe: loop '" + loop.name()
          + "' is observed already and has not ended; expected each observed loop to have its own"
          + " name, which tags its gauges");
    }
    try {
      return new LoopMeters(this, loop);
    } catch (RuntimeException | Error e) {
      loops.remove(loop.name(), loop);
      throw e;
    }
  }

  /** The binder's registry, where every meter is made. */
  CompositeMeterRegistry registry() {
    return registry;
  }

  /** The common tags. */
  Tags tags() {
    return tags;
  }

  /** One step in how many is timed. */
  int timedStepInterval() {
    return timedStepInterval;
  }

  /** Forgets an ended loop's name, so that a loop of that name may be observed again. */
  void ended(EventLoop loop) {
    loops.remove(loop.name(), loop);
  }

  /** The meters of a definition, made at its first step on any observed loop. */
  DefinitionMeters definition(String definitionId) {
    return definitions.computeIfAbsent(definitionId, id -> new DefinitionMeters(this, id));
  }

  /**
   * A definition's step count and latency timer. The count sums one cell per loop the definition
   * stepped on; an ended loop's cell is folded into {@code retired}.
   */
  static final class DefinitionMeters {
    final Timer latency;
    private final List<AtomicLong> cells = new ArrayList<>();
    private long retired;

    DefinitionMeters(StatorMetrics owner, String definitionId) {
      Tags definitionTags = owner.tags.and(Tag.of("definition", definitionId));
      FunctionCounter.builder(EVENTS, this, DefinitionMeters::total)
          .description("Steps machines took: one per event, timer, call completion or start"
              + " processed")
          .baseUnit("events")
          .tags(definitionTags)
          .register(owner.registry);
      this.latency = Timer.builder(STEP_LATENCY)
          .description("How long a sampled step took, its listeners' calls included")
          .tags(definitionTags)
          .register(owner.registry);
    }

    /** A new cell for a loop. */
    synchronized AtomicLong newCell() {
      AtomicLong cell = new AtomicLong();
      cells.add(cell);
      return cell;
    }

    /** Folds the cell of an ended loop into the retired count. */
    synchronized void retire(AtomicLong cell) {
      cells.remove(cell);
      retired += cell.get();
    }

    synchronized double total() {
      long total = retired;
      for (AtomicLong cell : cells) {
        total += cell.getOpaque();
      }
      return total;
    }
  }

  /**
   * Builds a {@link StatorMetrics}. Not thread-safe: build it on one thread.
   */
  public static final class Builder {
    private Tags tags = Tags.empty();
    private int timedStepInterval = 16;

    private Builder() {}

    /**
     * Adds tags every meter carries (an application's name, say); their values should be few.
     *
     * @param tags the tags
     * @return this builder
     */
    public Builder tags(Iterable<Tag> tags) {
      this.tags = this.tags.and(Objects.requireNonNull(tags, "tags"));
      return this;
    }

    /**
     * Sets how often a step is timed: one in {@code interval} of each loop's steps (1 times every
     * step). A timed step costs two readings of the loop's clock and a record in the timer, on
     * the loop thread. Default 16.
     *
     * @param interval positive
     * @return this builder
     * @throws IllegalArgumentException if {@code interval} is not positive
     */
    public Builder timeOneStepIn(int interval) {
      if (interval <= 0) {
        throw new IllegalArgumentException("StatorMetrics.Builder.timeOneStepIn: the interval must"
            + " be positive (1 times every step), not " + interval);
      }
      this.timedStepInterval = interval;
      return this;
    }

    /** {@return the binder} */
    public StatorMetrics build() {
      return new StatorMetrics(this);
    }
  }
}
