package dev.stator.dsl.json;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stator.DefinitionException;
import dev.stator.Failure;
import dev.stator.LoopOptions;
import dev.stator.Machine;
import dev.stator.MachineDefinition;
import dev.stator.MachineListener;
import dev.stator.RecoveryPolicy;
import dev.stator.StateSnapshot;
import dev.stator.UnhandledEventPolicy;
import dev.stator.model.Action;
import dev.stator.model.Invocation;
import dev.stator.model.MachineSpec;
import dev.stator.model.StateSpec;
import dev.stator.model.TransitionSpec;
import dev.stator.model.Trigger;
import dev.stator.testing.TestLoop;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.statistics.Statistics;

/**
 * A definition written to JSON and read back behaves identically: over random machines (nesting,
 * parallel regions, history states, state done events, several targets, ids, names repeated in
 * different parents, guards, actions that throw, delayed and eventless transitions, calls,
 * expected errors, every recovery policy) and random inputs, both give the same trace, and writing
 * the read-back definition gives the same document again.
 */
final class JsonRoundTripProperties {

  static final List<String> EVENTS = List.of("E0", "E1", "E2", "E3");
  static final List<String> ERRORS = List.of("java.lang.IllegalStateException",
      "java.lang.RuntimeException", "java.lang.Exception");

  /** The context: a counter the guards read, and a log of what ran. */
  static final class Box {
    final List<String> log = new ArrayList<>();
    int counter;
  }

  static final Bindings<Box> BINDINGS = Bindings.<Box>builder()
      .action("note", (b, step) -> b.log.add("note " + label(step.event())))
      .action("count", b -> b.counter++)
      .action("failOnOdd", b -> {
        if (b.counter % 2 == 1) {
          throw new IllegalStateException("odd " + b.counter);
        }
      })
      .action("raiseE0", (b, step) -> {
        if (b.counter < 3) {
          step.raise("E0");
        }
      })
      .guard("even", b -> b.counter % 2 == 0)
      .guard("small", b -> b.counter < 4)
      .guard("explodes", b -> {
        if (b.counter > 5) {
          throw new UnsupportedOperationException("guard " + b.counter);
        }
        return true;
      })
      .call("sum", (b, step) -> b.counter + 40)
      .context("fresh", Box::new)
      .hook("tidy", (b, failure) -> b.log.add("tidy"))
      .build();

  static final List<String> ACTIONS = List.of("note", "count", "failOnOdd", "raiseE0");
  static final List<String> GUARDS = List.of("even", "small", "explodes");

  @Property(tries = 1000)
  void aDefinitionWrittenToJsonAndReadBack_behavesIdentically(@ForAll long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    MachineSpec<Box> spec = new Generator(random).machine();
    MachineDefinition<Box> original;
    try {
      original = MachineDefinition.compile(spec);
    } catch (DefinitionException invalid) {
      Statistics.label("generated").collect("refused by validation");
      Assume.that(false);
      return;
    }
    Statistics.label("generated").collect("valid");

    String json = JsonMachineWriter.write(original, BINDINGS);
    JsonMachine<Box> readBack = JsonMachineReader.of(BINDINGS).read("round-trip.json", json);
    List<String> inputs = inputs(random);

    assertThat(JsonMachineWriter.write(readBack.definition(), BINDINGS)).isEqualTo(json);
    assertThat(readBack.definition().statePaths()).isEqualTo(original.statePaths());
    List<String> trace = run(readBack.definition(), inputs);
    assertThat(trace).as(json).isEqualTo(run(original, inputs));
    Statistics.label("trace length").collect(trace.size() < 10 ? "<10" : trace.size() < 30 ? "<30" : "30+");
  }

  static List<String> inputs(SplittableRandom random) {
    List<String> inputs = new ArrayList<>();
    int count = random.nextInt(1, 25);
    for (int i = 0; i < count; i++) {
      inputs.add(random.nextInt(5) == 0 ? "wait " + random.nextInt(1, 40) : EVENTS.get(random.nextInt(EVENTS.size())));
    }
    return inputs;
  }

  static List<String> run(MachineDefinition<Box> definition, List<String> inputs) {
    List<String> trace = new ArrayList<>();
    Box box = new Box();
    LoopOptions options = LoopOptions.DEFAULTS
        .withDeadLetterHandler(letter -> trace.add("dead letter " + letter.event()))
        .withUnobservedFailureHandler(failure -> trace.add("unobserved " + failure.summary()));
    try (TestLoop loop = TestLoop.create(options, 7L)) {
      Machine<Box> machine = loop.start(definition, "m", box, new MachineListener<>() {
        @Override
        public void onTransition(Machine<Box> m, String from, Object event, String to) {
          trace.add(loop.elapsed().toMillis() + " " + from + " -" + label(event) + "-> " + to);
        }

        @Override
        public void onReset(Machine<Box> m, Failure failure) {
          trace.add("reset after " + failure.summary());
        }

        @Override
        public void onTerminated(Machine<Box> m, StateSnapshot last) {
          trace.add("terminated " + last);
        }
      });
      for (String input : inputs) {
        if (input.startsWith("wait ")) {
          loop.advance(Duration.ofMillis(Long.parseLong(input.substring(5))));
        } else {
          machine.send(input);
        }
      }
      loop.runUntilIdle();
      trace.add("log " + box.log + " counter " + box.counter);
      trace.add("state " + machine.state() + " tags " + machine.state().tags());
    }
    return trace;
  }

  static String label(Object event) {
    return event instanceof Throwable t ? t.getClass().getSimpleName() + ": " + t.getMessage()
        : String.valueOf(event);
  }

  /** Builds random machine specifications from the names in {@link #BINDINGS}. */
  static final class Generator {
    final SplittableRandom random;
    /** Every target the transitions may take, as the model writes them; some are several. */
    final List<List<String>> targets = new ArrayList<>();
    int ids;

    Generator(SplittableRandom random) {
      this.random = random;
    }

    /** The shape of one top-level state, decided before any transition is made. */
    record Shape(String name, int children, boolean parallel, StateSpec.Type history,
        boolean finalState, boolean[] finalChildren, String[] childIds) {}

    MachineSpec<Box> machine() {
      List<StateSpec<Box>> top = new ArrayList<>();
      int count = random.nextInt(1, 5);
      // names first, so that transitions can target any state; children are named c0, c1, ... in
      // every parent, so that the same name in several parents is written and read back too
      List<Shape> shapes = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        String name = "s" + i;
        int children = random.nextInt(4) == 0 ? random.nextInt(1, 4) : 0;
        boolean parallel = children >= 2 && random.nextInt(3) == 0;
        StateSpec.Type history = children == 0 || random.nextInt(3) != 0 ? null
            : random.nextBoolean() ? StateSpec.Type.SHALLOW_HISTORY : StateSpec.Type.DEEP_HISTORY;
        boolean[] finalChildren = new boolean[children];
        String[] childIds = new String[children];
        targets.add(List.of(name));
        for (int c = 0; c < children; c++) {
          // a final state cannot be a region
          finalChildren[c] = !parallel && c > 0 && random.nextInt(5) == 0;
          childIds[c] = random.nextInt(6) == 0 ? "id" + ids++ : null;
          targets.add(List.of(childIds[c] != null && random.nextBoolean() ? "#" + childIds[c]
              : name + "/c" + c));
        }
        if (history != null) {
          targets.add(List.of(name + "/h"));
        }
        if (parallel) {
          targets.add(List.of(name + "/c0", name + "/c1"));
        }
        shapes.add(new Shape(name, children, parallel, history,
            children == 0 && i > 0 && random.nextInt(6) == 0, finalChildren, childIds));
      }
      for (Shape shape : shapes) {
        List<StateSpec<Box>> children = new ArrayList<>();
        for (int c = 0; c < shape.children(); c++) {
          children.add(state("c" + c, shape.childIds()[c], StateSpec.Type.NORMAL, List.of(),
              shape.finalChildren()[c]));
        }
        if (shape.history() != null) {
          // its default target, when it has one, is a child: a descendant for deep history too
          String defaultTarget = random.nextBoolean() ? null : "c" + random.nextInt(shape.children());
          children.add(new StateSpec<>("h", null, shape.history(), defaultTarget, List.of(), List.of(),
              List.of(), List.of(), List.of(), null, null));
        }
        StateSpec<Box> state = state(shape.name(), null, shape.parallel() ? StateSpec.Type.PARALLEL
            : StateSpec.Type.NORMAL, children, shape.finalState());
        if (state.finalState()) {
          // the engine never runs a top-level final state's exit actions; JSON runs them as the
          // machine completes (XState's meaning), so the writer refuses them
          state = new StateSpec<>(state.name(), state.id(), state.type(), state.initial(),
              state.children(), state.entry(), List.of(), state.transitions(), state.invocations(),
              state.output(), state.description(), state.tags());
        }
        top.add(state);
      }
      // LOG differs from IGNORE only in what it logs, which no trace sees; FAULT and IGNORE do
      UnhandledEventPolicy unhandled = random.nextBoolean() ? UnhandledEventPolicy.IGNORE
          : UnhandledEventPolicy.FAULT;
      return new MachineSpec<>("random", top.get(0).name(), top, unhandled, policy(2));
    }

    StateSpec<Box> state(String name, String id, StateSpec.Type kind, List<StateSpec<Box>> children,
        boolean isFinal) {
      List<TransitionSpec<Box>> transitions = new ArrayList<>();
      List<Invocation<Box>> invocations = new ArrayList<>();
      if (!isFinal) {
        int count = random.nextInt(0, 4);
        for (int i = 0; i < count; i++) {
          transitions.add(transition());
        }
        if (!children.isEmpty() && random.nextInt(3) == 0) {
          transitions.add(new TransitionSpec<>(new Trigger.OnStateDone(), maybeGuard(), target(),
              false, actions()));
        }
        if (random.nextInt(5) == 0) {
          String callId = "sum-" + name + "-" + ids++;
          Bindings.Call sum = (Bindings.Call) BINDINGS.lookup(Bindings.Kind.CALL, "sum");
          invocations.add(new Invocation<>(callId, Invocation.Kind.SYNC, sum.function(), null));
          transitions.add(new TransitionSpec<>(new Trigger.OnDone(callId), maybeGuard(), target(), false, actions()));
        }
      }
      StateSpec.Type type = isFinal ? StateSpec.Type.FINAL : kind;
      String initial = children.isEmpty() || type == StateSpec.Type.PARALLEL ? null
          : children.get(0).name();
      return new StateSpec<>(name, id, type, initial, children, actions(), actions(), transitions,
          invocations, null, random.nextBoolean() ? null : "state " + name,
          random.nextInt(4) == 0 ? List.of("t" + random.nextInt(3), "busy") : List.of());
    }

    TransitionSpec<Box> transition() {
      return switch (random.nextInt(6)) {
        case 0 -> new TransitionSpec<>(new Trigger.After(Duration.ofMillis(random.nextInt(1, 30))),
            maybeGuard(), target(), false, actions());
        case 1 -> new TransitionSpec<>(new Trigger.Always(), someGuard(), target(), false, actions());
        case 2 -> new TransitionSpec<>(new Trigger.OnError(ERRORS.get(random.nextInt(ERRORS.size()))),
            maybeGuard(), targets.get(random.nextInt(targets.size())), false, actions());
        default -> new TransitionSpec<>(new Trigger.OnEvent(EVENTS.get(random.nextInt(EVENTS.size()))),
            maybeGuard(), target(), false, actions());
      };
    }

    @SuppressWarnings("unchecked")
    dev.stator.model.Guard<Box, Object> someGuard() {
      return (dev.stator.model.Guard<Box, Object>) BINDINGS.lookup(Bindings.Kind.GUARD,
          GUARDS.get(random.nextInt(GUARDS.size())));
    }

    dev.stator.model.Guard<Box, Object> maybeGuard() {
      return random.nextInt(3) == 0 ? someGuard() : null;
    }

    List<String> target() {
      return random.nextInt(5) == 0 ? List.of() : targets.get(random.nextInt(targets.size()));
    }

    @SuppressWarnings("unchecked")
    List<Action<Box, Object>> actions() {
      List<Action<Box, Object>> actions = new ArrayList<>();
      int count = random.nextInt(3) == 0 ? random.nextInt(1, 3) : 0;
      for (int i = 0; i < count; i++) {
        actions.add((Action<Box, Object>) BINDINGS.lookup(Bindings.Kind.ACTION,
            ACTIONS.get(random.nextInt(ACTIONS.size()))));
      }
      return actions;
    }

    @SuppressWarnings("unchecked")
    RecoveryPolicy<Box> policy(int depth) {
      int choice = random.nextInt(depth > 0 ? 4 : 3);
      java.util.function.Supplier<Box> fresh =
          (java.util.function.Supplier<Box>) BINDINGS.lookup(Bindings.Kind.CONTEXT, "fresh");
      Bindings.Hook tidy = (Bindings.Hook) BINDINGS.lookup(Bindings.Kind.HOOK, "tidy");
      return switch (choice) {
        case 0 -> RecoveryPolicy.exit();
        case 1 -> {
          RecoveryPolicy.Reset<Box> reset = RecoveryPolicy.<Box>reset(fresh)
              .atMost(random.nextInt(0, 4), Duration.ofMillis(random.nextInt(10, 200)));
          if (random.nextBoolean()) {
            reset = reset.backoff(Duration.ofMillis(1), Duration.ofMillis(random.nextInt(1, 20)));
          }
          if (random.nextBoolean()) {
            reset = reset.jitter(0.25);
          }
          if (random.nextBoolean()) {
            reset = reset.onReset(tidy.synchronous());
          }
          yield depth > 0 && random.nextBoolean() ? reset.then(policy(depth - 1)) : reset;
        }
        case 2 -> RecoveryPolicy.<Box>shutdownAsync(tidy.shutdown(), Duration.ofMillis(random.nextInt(1, 50)));
        default -> RecoveryPolicy.<Box>byCause()
            .on("java.lang.IllegalStateException", policy(depth - 1))
            .on("java.lang.RuntimeException", policy(depth - 1))
            .otherwise(policy(depth - 1));
      };
    }
  }
}
