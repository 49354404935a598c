package dev.stator.micrometer;

import dev.stator.DeadLetter;
import dev.stator.EventLoop;
import dev.stator.Failure;
import dev.stator.LoopObserver;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One loop's observer: counts its steps per definition in cells only it writes, times one step
 * in {@link StatorMetrics#timedStepInterval()}, counts faults, restarts and dead letters, and
 * owns the loop's gauges, which it removes as the loop ends. Loop-confined, but for
 * {@link #deadLetter}, which only increments a thread-safe counter.
 */
final class LoopMeters implements LoopObserver {

  private final StatorMetrics owner;
  private final EventLoop loop;
  private final Counter deadLetters;
  private final List<Meter> gauges;
  private final Map<String, Local> byDefinition = new HashMap<>();
  private final int interval;
  private int untilTimed;
  /** The definition of the last step and its meters: a loop often steps one definition. */
  private String lastDefinition;
  private Local last;

  /** A definition's meters as this loop uses them: its own cell, the shared timer. */
  private static final class Local {
    final AtomicLong steps;
    final Timer latency;
    final StatorMetrics.DefinitionMeters meters;

    Local(StatorMetrics.DefinitionMeters meters) {
      this.meters = meters;
      this.steps = meters.newCell();
      this.latency = meters.latency;
    }
  }

  LoopMeters(StatorMetrics owner, EventLoop loop) {
    this.owner = owner;
    this.loop = loop;
    this.interval = owner.timedStepInterval();
    Tags loopTags = owner.tags().and("loop", loop.name());
    this.deadLetters = Counter.builder(StatorMetrics.DEAD_LETTERS)
        .description("Events no machine would take")
        .baseUnit("events")
        .tags(loopTags)
        .register(owner.registry());
    this.gauges = List.of(
        Gauge.builder(StatorMetrics.LIVE_MACHINES, loop, EventLoop::liveMachines)
            .description("Machines started and not ended")
            .baseUnit("machines")
            .tags(loopTags)
            .register(owner.registry()),
        Gauge.builder(StatorMetrics.QUEUED_EVENTS, loop, EventLoop::queuedEvents)
            .description("Events and tasks waiting to be taken by the loop")
            .baseUnit("events")
            .tags(loopTags)
            .register(owner.registry()),
        Gauge.builder(StatorMetrics.PENDING_TIMERS, loop, EventLoop::pendingTimers)
            .description("Timers scheduled and not yet fired or cancelled")
            .baseUnit("timers")
            .tags(loopTags)
            .register(owner.registry()));
  }

  @Override
  public boolean timesNextStep() {
    if (--untilTimed > 0) {
      return false;
    }
    untilTimed = interval;
    return true;
  }

  @Override
  public void stepEnded(String definitionId, long nanos) {
    Local local;
    // a definition's id is one string, asked of it again and again: the same reference
    if (definitionId == lastDefinition) {
      local = last;
    } else {
      local = byDefinition.get(definitionId);
      if (local == null) {
        local = new Local(owner.definition(definitionId));
        byDefinition.put(definitionId, local);
      }
      lastDefinition = definitionId;
      last = local;
    }
    // only this thread writes the cell; the counter reads it opaquely
    local.steps.setOpaque(local.steps.getPlain() + 1);
    if (nanos >= 0) {
      local.latency.record(nanos, TimeUnit.NANOSECONDS);
    }
  }

  @Override
  public void faulted(String definitionId, Failure failure) {
    Counter.builder(StatorMetrics.FAULTS)
        .description("Faults: a callback threw, or a machine broke a rule, and its recovery policy"
            + " ran")
        .baseUnit("faults")
        .tags(owner.tags())
        .tag("definition", definitionId)
        .tag("state", failure.state())
        .tag("phase", failure.phase().name())
        .register(owner.registry())
        .increment();
  }

  @Override
  public void restarted(String definitionId, Failure failure) {
    Counter.builder(StatorMetrics.RESTARTS)
        .description("Restarts recovery policies decided after a fault, by the fault's state")
        .baseUnit("restarts")
        .tags(owner.tags())
        .tag("definition", definitionId)
        .tag("state", failure.state())
        .register(owner.registry())
        .increment();
  }

  @Override
  public void deadLetter(DeadLetter letter) {
    deadLetters.increment();
  }

  @Override
  public void loopEnded() {
    for (Meter gauge : gauges) {
      owner.registry().remove(gauge);
    }
    for (Local local : byDefinition.values()) {
      local.meters.retire(local.steps);
    }
    byDefinition.clear();
    lastDefinition = null;
    last = null;
    owner.ended(loop);
  }
}
