package dev.stator.micrometer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stator.EventLoop;
import dev.stator.LoopOptions;
import dev.stator.Machine;
import dev.stator.MachineDefinition;
import dev.stator.RecoveryPolicy;
import dev.stator.dsl.Stator;
import dev.stator.testing.TestLoop;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Each meter of {@link StatorMetrics} counts what it says, on real loops. */
final class StatorMetricsTest {

  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private TestLoop loop;

  @AfterEach
  void closeLoop() {
    if (loop != null) {
      loop.close();
    }
  }

  /** A context that can be told to fail. */
  static final class Job {
    boolean failing;
  }

  /** idle --go--> busy --done--> idle; busy times out after 10 s; entering broken always throws. */
  private static final MachineDefinition<Job> JOB = Stator.<String, Job>machine("job")
      .initial("idle")
      .state("idle", s -> s
          .on("go").goTo("busy")
          .on("break").goTo("broken")
          .on("finish").goTo("done"))
      .state("busy", s -> s
          .on("done").goTo("idle")
          .after(Duration.ofSeconds(10)).goTo("idle"))
      .state("broken", s -> s.onEntry(job -> {
        throw new IllegalStateException("broken on purpose");
      }))
      .finalState("done")
      .build();

  private static final MachineDefinition<Job> RESTARTING_JOB = Stator.<String, Job>machine("restarting")
      .initial("idle")
      .state("idle", s -> s.on("break").goTo("broken"))
      .state("broken", s -> s.onEntry(job -> {
        throw new IllegalStateException("broken on purpose");
      }))
      .recovery(RecoveryPolicy.<Job>reset(Job::new).atMost(5, Duration.ofMinutes(1)))
      .build();

  private TestLoop observedLoop(StatorMetrics metrics) {
    loop = TestLoop.create(metrics.attachTo(LoopOptions.DEFAULTS), 0L);
    return loop;
  }

  private double events(String definition) {
    return registry.get(StatorMetrics.EVENTS).tag("definition", definition).functionCounter()
        .count();
  }

  private double gauge(String name) {
    return registry.get(name).tag("loop", loop.name()).gauge().value();
  }

  @Test
  void eventsProcessed_countsOneStepPerStartAndEventByDefinition() {
    StatorMetrics metrics = StatorMetrics.create();
    metrics.bindTo(registry);
    TestLoop loop = observedLoop(metrics);

    Machine<Job> machine = loop.start(JOB, new Job());
    loop.start(RESTARTING_JOB, new Job());
    machine.send("go");
    machine.send("done");
    machine.send("go");

    assertThat(events("job")).isEqualTo(4.0);
    assertThat(events("restarting")).isEqualTo(1.0);
  }

  @Test
  void eventsProcessed_countsATimerFiringAsAStep() {
    StatorMetrics metrics = StatorMetrics.create();
    metrics.bindTo(registry);
    TestLoop loop = observedLoop(metrics);
    Machine<Job> machine = loop.start(JOB, new Job());
    machine.send("go");

    loop.advance(Duration.ofSeconds(10));

    assertThat(machine.state().path()).isEqualTo("idle");
    assertThat(events("job")).isEqualTo(3.0);
  }

  @Test
  void bindTo_afterStepsWereTaken_reportsTheStepsAndTheMetersFromThen() {
    StatorMetrics metrics = StatorMetrics.create();
    TestLoop loop = observedLoop(metrics);
    Machine<Job> machine = loop.start(JOB, new Job());
    machine.send("go");

    metrics.bindTo(registry);
    machine.send("done");

    assertThat(events("job")).isEqualTo(3.0);
    assertThat(gauge(StatorMetrics.LIVE_MACHINES)).isEqualTo(1.0);
  }

  @Test
  void stepLatency_timesOneStepInTheInterval() {
    StatorMetrics metrics = StatorMetrics.builder().timeOneStepIn(3).build();
    metrics.bindTo(registry);
    TestLoop loop = observedLoop(metrics);
    Machine<Job> machine = loop.start(JOB, new Job());
    for (int i = 0; i < 3; i++) {
      machine.send("go");
      machine.send("done");
    }

    // seven steps: the first, the fourth and the seventh are timed
    assertThat(events("job")).isEqualTo(7.0);
    Timer latency = registry.get(StatorMetrics.STEP_LATENCY).tag("definition", "job").timer();
    assertThat(latency.count()).isEqualTo(3);
  }

  @Test
  void stepLatency_onARealLoop_recordsTheStepsDuration() throws Exception {
    StatorMetrics metrics = StatorMetrics.builder().timeOneStepIn(1).build();
    metrics.bindTo(registry);
    MachineDefinition<Job> slow = Stator.<String, Job>machine("slow")
        .initial("idle")
        .state("idle", s -> s.on("work").goTo("worked"))
        .state("worked", s -> s.onEntry(job -> {
          // a step that takes at least a millisecond of the loop's (system) clock
          long start = System.nanoTime();
          while (System.nanoTime() - start < 1_000_000) {
            Thread.onSpinWait();
          }
        }).on("finish").goTo("done"))
        .finalState("done")
        .build();
    try (EventLoop real = EventLoop.start("metrics-latency", metrics.attachTo(LoopOptions.DEFAULTS))) {
      Machine<Job> machine = real.start(slow, new Job());
      machine.send("work");
      machine.send("finish");
      machine.lifecycle().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    Timer latency = registry.get(StatorMetrics.STEP_LATENCY).tag("definition", "slow").timer();
    assertThat(latency.count()).isEqualTo(3);
    assertThat(latency.max(TimeUnit.NANOSECONDS)).isGreaterThanOrEqualTo(1_000_000.0);
    assertThat(latency.totalTime(TimeUnit.NANOSECONDS)).isGreaterThanOrEqualTo(1_000_000.0);
  }

  @Test
  void faults_areCountedByDefinitionStateAndPhase() {
    StatorMetrics metrics = StatorMetrics.create();
    metrics.bindTo(registry);
    TestLoop loop = observedLoop(metrics);
    Machine<Job> first = loop.start(JOB, new Job());
    Machine<Job> second = loop.start(JOB, new Job());

    first.send("break");
    second.send("break");

    Counter faults = registry.get(StatorMetrics.FAULTS)
        .tags("definition", "job", "state", "broken", "phase", "ENTRY").counter();
    assertThat(faults.count()).isEqualTo(2.0);
    assertThat(registry.find(StatorMetrics.RESTARTS).counters()).isEmpty();
  }

  @Test
  void faults_inAMachineWithRegions_areTaggedWithItsConfiguration() {
    MachineDefinition<Job> player = Stator.<String, Job>machine("player")
        .initial("on")
        .parallel("on", p -> p
            .state("track", r -> r.initial("stopped")
                .state("stopped", x -> x.on("play").goTo("playing"))
                .state("playing", x -> x.onEntry(job -> {
                  throw new IllegalStateException("no disc");
                })))
            .state("volume", r -> r.initial("normal")
                .state("normal", x -> x.on("mute").goTo("muted"))
                .state("muted", x -> x.on("mute").goTo("normal"))))
        .build();
    StatorMetrics metrics = StatorMetrics.create();
    metrics.bindTo(registry);
    TestLoop loop = observedLoop(metrics);
    Machine<Job> machine = loop.start(player, new Job());
    machine.send("mute");

    machine.send("play");

    Counter faults = registry.get(StatorMetrics.FAULTS).tag("definition", "player").counter();
    assertThat(faults.count()).isEqualTo(1.0);
    assertThat(faults.getId().getTag("state")).isEqualTo("on/track/playing, on/volume/muted");
  }

  @Test
  void bindTo_twoRegistries_bothSeeEveryMeter() {
    SimpleMeterRegistry other = new SimpleMeterRegistry();
    StatorMetrics metrics = StatorMetrics.create();
    metrics.bindTo(registry);
    metrics.bindTo(other);
    metrics.bindTo(other);
    TestLoop loop = observedLoop(metrics);

    loop.start(JOB, new Job()).send("break");

    for (SimpleMeterRegistry each : java.util.List.of(registry, other)) {
      assertThat(each.get(StatorMetrics.EVENTS).functionCounter().count()).isEqualTo(2.0);
      assertThat(each.get(StatorMetrics.FAULTS).counter().count()).isEqualTo(1.0);
      assertThat(each.get(StatorMetrics.LIVE_MACHINES).gauge().value()).isZero();
    }
  }

  @Test
  void restarts_areCountedByDefinitionAndTheStateOfTheFault() {
    StatorMetrics metrics = StatorMetrics.create();
    metrics.bindTo(registry);
    TestLoop loop = observedLoop(metrics);
    Machine<Job> machine = loop.start(RESTARTING_JOB, new Job());

    machine.send("break");
    machine.send("break");

    Counter restarts = registry.get(StatorMetrics.RESTARTS)
        .tags("definition", "restarting", "state", "broken").counter();
    assertThat(restarts.count()).isEqualTo(2.0);
    assertThat(registry.get(StatorMetrics.FAULTS).tag("definition", "restarting").counter().count())
        .isEqualTo(2.0);
  }

  @Test
  void deadLetters_areCountedByLoop() {
    StatorMetrics metrics = StatorMetrics.create();
    metrics.bindTo(registry);
    TestLoop loop = observedLoop(metrics);
    Machine<Job> machine = loop.start(JOB, new Job());
    machine.send("finish");

    machine.send("go");
    machine.send("go");

    Counter letters = registry.get(StatorMetrics.DEAD_LETTERS).tag("loop", loop.name()).counter();
    assertThat(letters.count()).isEqualTo(2.0);
  }

  @Test
  void liveMachines_followsStartsAndEnds() {
    StatorMetrics metrics = StatorMetrics.create();
    metrics.bindTo(registry);
    TestLoop loop = observedLoop(metrics);
    Machine<Job> first = loop.start(JOB, new Job());
    loop.start(JOB, new Job());
    assertThat(gauge(StatorMetrics.LIVE_MACHINES)).isEqualTo(2.0);

    first.send("finish");

    assertThat(gauge(StatorMetrics.LIVE_MACHINES)).isEqualTo(1.0);
  }

  @Test
  void pendingTimers_followsTimersScheduledFiredAndCancelled() {
    StatorMetrics metrics = StatorMetrics.create();
    metrics.bindTo(registry);
    TestLoop loop = observedLoop(metrics);
    Machine<Job> first = loop.start(JOB, new Job());
    Machine<Job> second = loop.start(JOB, new Job());
    first.send("go");
    second.send("go");
    assertThat(gauge(StatorMetrics.PENDING_TIMERS)).isEqualTo(2.0);

    second.send("done");
    assertThat(gauge(StatorMetrics.PENDING_TIMERS)).isEqualTo(1.0);
    loop.advance(Duration.ofSeconds(10));

    assertThat(gauge(StatorMetrics.PENDING_TIMERS)).isZero();
  }

  @Test
  void queuedEvents_countsEventsWaitingWhileTheLoopIsBusy() throws Exception {
    StatorMetrics metrics = StatorMetrics.create();
    metrics.bindTo(registry);
    try (EventLoop real = EventLoop.start("metrics-queue", metrics.attachTo(LoopOptions.DEFAULTS))) {
      Machine<Job> machine = real.start(JOB, new Job());
      CountDownLatch holding = new CountDownLatch(1);
      CountDownLatch release = new CountDownLatch(1);
      real.execute(() -> {
        holding.countDown();
        try {
          release.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      });
      assertThat(holding.await(10, TimeUnit.SECONDS)).isTrue();
      machine.send("go");
      machine.send("done");
      machine.send("go");
      Gauge queued = registry.get(StatorMetrics.QUEUED_EVENTS).tag("loop", "metrics-queue").gauge();

      assertThat(queued.value()).isEqualTo(3.0);

      release.countDown();
      CompletableFuture<Double> afterwards = new CompletableFuture<>();
      real.execute(() -> afterwards.complete(queued.value()));
      assertThat(afterwards.get(10, TimeUnit.SECONDS)).isZero();
    }
  }

  @Test
  void loopEnd_removesItsGaugesAndKeepsItsCounts() {
    StatorMetrics metrics = StatorMetrics.create();
    metrics.bindTo(registry);
    TestLoop loop = observedLoop(metrics);
    Machine<Job> machine = loop.start(JOB, new Job());
    machine.send("go");

    loop.close();

    assertThat(registry.find(StatorMetrics.LIVE_MACHINES).gauges()).isEmpty();
    assertThat(registry.find(StatorMetrics.QUEUED_EVENTS).gauges()).isEmpty();
    assertThat(registry.find(StatorMetrics.PENDING_TIMERS).gauges()).isEmpty();
    // the start, the event, and the stop the loop's close makes (a step, as the start is)
    assertThat(events("job")).isEqualTo(3.0);
  }

  @Test
  void observe_aSecondLiveLoopOfTheSameName_isRefusedAndTheNameIsFreedAtTheEnd() {
    StatorMetrics metrics = StatorMetrics.create();
    TestLoop first = observedLoop(metrics);

    assertThatThrownBy(() -> TestLoop.create(metrics.attachTo(LoopOptions.DEFAULTS), 0L))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("loop 'test-loop' is observed already");

    first.close();
    loop = TestLoop.create(metrics.attachTo(LoopOptions.DEFAULTS), 0L);
    assertThat(loop.liveMachines()).isZero();
  }

  @Test
  void commonTags_areOnEveryMeter() {
    StatorMetrics metrics = StatorMetrics.builder()
        .tags(io.micrometer.core.instrument.Tags.of("app", "billing")).build();
    metrics.bindTo(registry);
    TestLoop loop = observedLoop(metrics);
    loop.start(JOB, new Job()).send("break");

    assertThat(registry.getMeters()).isNotEmpty().allSatisfy(meter ->
        assertThat(meter.getId().getTag("app")).isEqualTo("billing"));
    FunctionCounter events = registry.get(StatorMetrics.EVENTS).tag("app", "billing")
        .functionCounter();
    assertThat(events.count()).isEqualTo(2.0);
  }

  @Test
  void timeOneStepIn_aNonPositiveInterval_isRefusedWithTheValue() {
    assertThatThrownBy(() -> StatorMetrics.builder().timeOneStepIn(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("timeOneStepIn")
        .hasMessageContaining("not 0");
  }
}
