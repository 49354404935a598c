package dev.stator.reference;

import dev.stator.LoopOptions;
import dev.stator.Machine;
import dev.stator.MachineDefinition;
import dev.stator.StateSnapshot;
import dev.stator.Status;
import dev.stator.durable.ContextCodec;
import dev.stator.durable.Durability;
import dev.stator.durable.MachineImage;
import dev.stator.durable.RestoreOptions;
import dev.stator.testing.TestLoop;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.lifecycle.AddLifecycleHook;

/**
 * Saving and restoring a machine changes nothing it does: random statecharts ({@link RandomChart}:
 * nesting, regions, shallow and deep history, done events) are driven by random events, once
 * straight through, and once saved after a random number of events and restored on another loop
 * (from the image's binary form) before the rest. Both must show the same action log, active
 * states and status after every event, and the restore itself must run no action.
 */
@AddLifecycleHook(PropertyTries.class)
final class RestoreTransparencyProperties {

  private static final LoopOptions OPTIONS = LoopOptions.DEFAULTS
      .withMaxMicrosteps(StatechartReferenceProperties.MAX_MICROSTEPS)
      .withUnobservedFailureHandler(failure -> { })
      .withDeadLetterHandler(letter -> { });

  /** The context as text: the counter, then one log entry a line. */
  static final ContextCodec<Ctx> CODEC = new ContextCodec<>() {
    @Override
    public byte[] encode(Ctx context) {
      return (context.n + "\n" + String.join("\n", context.log)).getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public Ctx decode(byte[] bytes) {
      List<String> lines = Arrays.asList(new String(bytes, StandardCharsets.UTF_8).split("\n", -1));
      Ctx context = new Ctx();
      context.n = Integer.parseInt(lines.get(0));
      context.log.addAll(lines.subList(1, lines.size()).stream()
          .filter(line -> !line.isEmpty()).toList());
      return context;
    }
  };

  @Provide
  Arbitrary<Long> seeds() {
    return Arbitraries.longs().withoutEdgeCases();
  }

  @Provide
  Arbitrary<List<String>> events() {
    return Arbitraries.of("a", "b", "c").list().ofMinSize(1).ofMaxSize(20);
  }

  @Property
  void aRestoredMachine_goesOnExactlyAsOneThatWasNeverSaved(@ForAll("seeds") long seed,
      @ForAll("events") List<String> events, @ForAll @IntRange(min = 0, max = 20) int cut)
      throws Exception {
    RandomChart chart = RandomChart.generate(seed);
    MachineDefinition<Ctx> definition = MachineDefinition.compile(chart.spec());
    int at = Math.min(cut, events.size());
    List<String> straight = run(definition, events, at, false);
    List<String> restored = run(definition, events, at, true);
    if (!straight.equals(restored)) {
      throw new AssertionError("seed " + seed + ", events " + events + ", saved after " + at
          + " of them:\n" + chart + "\nstraight:\n  " + String.join("\n  ", straight)
          + "\nsaved and restored:\n  " + String.join("\n  ", restored));
    }
  }

  /**
   * Runs the events; before event {@code at} (or after the last, for {@code at} equal to their
   * number), notes the machine's state, and saves and restores it when {@code restore} holds.
   */
  private static List<String> run(MachineDefinition<Ctx> definition, List<String> events,
      int at, boolean restore) throws Exception {
    List<String> trace = new ArrayList<>();
    Ctx context = new Ctx();
    TestLoop loop = TestLoop.create(OPTIONS, 0L);
    Machine<Ctx> machine = loop.start(definition, "m", context);
    trace.add("start: " + observe(machine, context, 0));
    int logged = context.log.size();
    for (int i = 0; i <= events.size(); i++) {
      if (i == at) {
        if (restore) {
          MachineImage image = MachineImage.fromBytes(
              machine.snapshot(CODEC).get(5, TimeUnit.SECONDS).toBytes());
          loop.close();
          loop = TestLoop.create(OPTIONS, 0L);
          machine = loop.restore(definition, image, new Durability<>(CODEC, Durability.NO_SINK),
              RestoreOptions.DEFAULTS);
          context = contextOf(machine);
        }
        // the restore ran no action: the log is what the image held
        trace.add("saved at " + at + ": log of " + context.log.size() + " entries, "
            + status(machine));
        logged = context.log.size();
      }
      if (i == events.size() || machine.state().isTerminal()) {
        break;
      }
      machine.send(events.get(i));
      trace.add(events.get(i) + ": " + observe(machine, context, logged));
      logged = context.log.size();
    }
    loop.close();
    return trace;
  }

  /** The live context of a restored machine, read through a codec that keeps the object. */
  private static Ctx contextOf(Machine<Ctx> machine) throws Exception {
    Ctx[] live = new Ctx[1];
    machine.snapshot(new ContextCodec<Ctx>() {
      @Override
      public byte[] encode(Ctx context) {
        live[0] = context;
        return new byte[0];
      }

      @Override
      public Ctx decode(byte[] bytes) {
        return null;
      }
    }).get(5, TimeUnit.SECONDS);
    return live[0];
  }

  private static String observe(Machine<Ctx> machine, Ctx context, int logged) {
    return status(machine) + " log " + context.log.subList(logged, context.log.size());
  }

  private static String status(Machine<Ctx> machine) {
    StateSnapshot state = machine.state();
    if (state.status() != Status.FAILED) {
      return state.status() + " " + state.activeStates();
    }
    Throwable cause = state.failure().cause();
    String type = cause instanceof dev.stator.durable.RestoredCause restored
        ? restored.originalType() : cause.getClass().getName();
    return "FAILED in " + state.failure().state() + " during " + state.failure().phase() + ": "
        + type;
  }
}
