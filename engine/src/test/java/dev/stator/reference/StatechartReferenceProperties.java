package dev.stator.reference;

import dev.stator.LoopOptions;
import dev.stator.Machine;
import dev.stator.MachineDefinition;
import dev.stator.StateSnapshot;
import dev.stator.Status;
import dev.stator.StepLimitException;
import dev.stator.model.MachineSpec;
import dev.stator.testing.TestLoop;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AddLifecycleHook;
import net.jqwik.api.lifecycle.AfterContainer;

/**
 * The proof of the statechart semantics: random statecharts ({@link RandomChart}) run on the
 * engine and on {@link ReferenceInterpreter}, a second implementation written from the SCXML
 * recommendation's Appendix D, must agree after the start and after every event on the action log
 * (entries, exits and transition actions, in order), the active atomic states and the status. A
 * step that passes the step limit must fail in both; what follows it is not compared.
 */
@AddLifecycleHook(PropertyTries.class)
final class StatechartReferenceProperties {

  static final int MAX_MICROSTEPS = 50;
  private static final LoopOptions OPTIONS = LoopOptions.DEFAULTS
      .withMaxMicrosteps(MAX_MICROSTEPS)
      .withUnobservedFailureHandler(failure -> { })
      .withDeadLetterHandler(letter -> { });

  private static long charts;
  private static long events;
  private static long withParallel;
  private static long withHistory;
  private static long withMultiTarget;
  private static long withOnDone;
  private static long withDoneEvents;
  private static long withParallelDoneEvents;
  private static long withFinalInRegion;
  private static long withInternal;
  private static long withReusedNames;
  private static long withParallelRoot;
  private static long completed;
  private static long stepLimits;
  private static long startNanos;

  /** What one side shows after the start or after one event. */
  record Observation(String event, List<String> log, List<String> active, String status) {
    @Override
    public String toString() {
      return String.format("%-7s %-10s %s%n          log %s", event, status, active, log);
    }
  }

  @Provide
  Arbitrary<Long> seeds() {
    return Arbitraries.longs().withoutEdgeCases();
  }

  @Provide
  Arbitrary<List<String>> events() {
    return Arbitraries.of("a", "b", "c").list().ofMinSize(0).ofMaxSize(30);
  }

  @Property
  void randomStatecharts_engineAgreesWithTheScxmlReference(@ForAll("seeds") long seed,
      @ForAll("events") List<String> events) {
    if (startNanos == 0) {
      startNanos = System.nanoTime();
    }
    RandomChart chart = RandomChart.generate(seed);
    MachineSpec<Ctx> spec = chart.spec();
    MachineDefinition<Ctx> definition;
    try {
      definition = MachineDefinition.compile(spec);
    } catch (RuntimeException refused) {
      throw new AssertionError("the generator made a chart the compiler refuses (seed " + seed
          + "):\n" + chart + refused.getMessage(), refused);
    }
    List<Observation> expected = reference(spec, events);
    List<Observation> actual = engine(definition, events);
    count(chart, expected);
    for (int i = 0; i < Math.max(expected.size(), actual.size()); i++) {
      Observation e = i < expected.size() ? expected.get(i) : null;
      Observation a = i < actual.size() ? actual.get(i) : null;
      if (!Objects.equals(e, a)) {
        throw new AssertionError(report(seed, chart, events, expected, actual, i));
      }
    }
  }

  static List<Observation> reference(MachineSpec<Ctx> spec, List<String> events) {
    Ctx context = new Ctx();
    ReferenceInterpreter<Ctx> reference = new ReferenceInterpreter<>(spec, MAX_MICROSTEPS);
    List<Observation> trace = new ArrayList<>();
    int logged = 0;
    String event = "(start)";
    int next = 0;
    while (true) {
      try {
        if (next == 0) {
          reference.start(context);
        } else {
          reference.send(events.get(next - 1));
        }
      } catch (RuntimeException e) {
        trace.add(new Observation(event, List.of(), List.of(), "REFERENCE THREW " + e));
        return trace;
      }
      ReferenceInterpreter.Status status = reference.status();
      if (status == ReferenceInterpreter.Status.STEP_LIMIT) {
        trace.add(new Observation(event, List.of(), List.of(), "STEP_LIMIT"));
        return trace;
      }
      trace.add(new Observation(event, List.copyOf(context.log.subList(logged, context.log.size())),
          reference.activeStates(), status.name()));
      logged = context.log.size();
      if (status != ReferenceInterpreter.Status.RUNNING || next == events.size()) {
        lastReference = reference;
        return trace;
      }
      event = events.get(next++);
    }
  }

  private static ReferenceInterpreter<Ctx> lastReference;

  static List<Observation> engine(MachineDefinition<Ctx> definition, List<String> events) {
    Ctx context = new Ctx();
    List<Observation> trace = new ArrayList<>();
    try (TestLoop loop = TestLoop.create(OPTIONS, 0L)) {
      int logged = 0;
      String event = "(start)";
      int next = 0;
      Machine<Ctx> machine = null;
      while (true) {
        try {
          if (next == 0) {
            machine = loop.start(definition, context);
          } else {
            machine.send(events.get(next - 1));
          }
        } catch (RuntimeException e) {
          trace.add(new Observation(event, List.of(), List.of(), "ENGINE THREW " + e));
          return trace;
        }
        StateSnapshot state = machine.state();
        if (state.status() == Status.FAILED) {
          Throwable cause = state.failure().cause();
          if (cause instanceof StepLimitException) {
            trace.add(new Observation(event, List.of(), List.of(), "STEP_LIMIT"));
          } else {
            trace.add(new Observation(event, List.copyOf(context.log.subList(logged,
                context.log.size())), state.activeStates(), "FAILED " + cause));
          }
          return trace;
        }
        trace.add(new Observation(event, List.copyOf(context.log.subList(logged,
            context.log.size())), state.activeStates(), state.status().name()));
        logged = context.log.size();
        if (state.status() != Status.RUNNING || next == events.size()) {
          return trace;
        }
        event = events.get(next++);
      }
    }
  }

  private static void count(RandomChart chart, List<Observation> expected) {
    charts++;
    events += expected.size() - 1;
    withParallel += chart.hasParallel ? 1 : 0;
    withHistory += chart.hasHistory ? 1 : 0;
    withMultiTarget += chart.hasMultiTarget ? 1 : 0;
    withOnDone += chart.hasOnDone ? 1 : 0;
    withFinalInRegion += chart.hasFinalInRegion ? 1 : 0;
    withInternal += chart.hasInternal ? 1 : 0;
    withReusedNames += chart.hasReusedNames ? 1 : 0;
    withParallelRoot += chart.parallelRoot ? 1 : 0;
    String last = expected.get(expected.size() - 1).status();
    completed += last.equals("COMPLETED") ? 1 : 0;
    stepLimits += last.equals("STEP_LIMIT") ? 1 : 0;
    if (lastReference != null) {
      withDoneEvents += lastReference.doneEvents() > 0 ? 1 : 0;
      withParallelDoneEvents += lastReference.parallelDoneEvents() > 0 ? 1 : 0;
      lastReference = null;
    }
  }

  static String report(long seed, RandomChart chart, List<String> events,
      List<Observation> expected, List<Observation> actual, int difference) {
    StringBuilder out = new StringBuilder("the engine disagrees with the SCXML reference (seed "
        + seed + ") at observation " + difference + "\n" + chart + "events " + events + "\n");
    out.append("reference (expected):\n");
    for (int i = 0; i <= difference && i < expected.size(); i++) {
      out.append("  ").append(expected.get(i)).append('\n');
    }
    out.append("engine (actual):\n");
    for (int i = 0; i <= difference && i < actual.size(); i++) {
      out.append("  ").append(actual.get(i)).append('\n');
    }
    return out.toString();
  }

  @AfterContainer
  static void reportCounts() {
    System.out.println("[stator statechart reference] charts: " + charts + ", events: " + events
        + ", with parallel states: " + withParallel + ", with finals in regions: "
        + withFinalInRegion + ", with history: " + withHistory + ", with two-target transitions: "
        + withMultiTarget + ", with onDone transitions: " + withOnDone
        + ", where done events were raised: " + withDoneEvents + " (of parallel states: "
        + withParallelDoneEvents + "), with internal transitions: " + withInternal
        + ", with names reused: " + withReusedNames
        + ", with a parallel root: " + withParallelRoot
        + ", completed: " + completed + ", step limit: " + stepLimits + ", seconds: "
        + (System.nanoTime() - startNanos) / 1_000_000_000.0);
  }
}
