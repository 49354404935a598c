package dev.stator;

import static dev.stator.StatechartSemanticsTest.atomic;
import static dev.stator.StatechartSemanticsTest.compound;
import static dev.stator.StatechartSemanticsTest.fin;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stator.StatechartSemanticsTest.Run;
import dev.stator.StatechartSemanticsTest.St;
import dev.stator.durable.ContextCodec;
import dev.stator.durable.Durability;
import dev.stator.durable.MachineImage;
import dev.stator.durable.RestoreOptions;
import dev.stator.model.MachineSpec;
import dev.stator.reference.Ctx;
import dev.stator.testing.TestLoop;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A machine whose root is parallel: every top-level state is a region, all active from the start;
 * the machine completes when every region is in a final state. Each run is checked step by step
 * against the reference interpreter.
 */
class ParallelRootTest {

  private TestLoop loop;
  private final List<DeadLetter> deadLetters = new java.util.ArrayList<>();

  @AfterEach
  void close() {
    if (loop != null) {
      loop.close();
    }
  }

  @Test
  void start_entersEveryRegionByDefault() {
    Run run = run(
        compound("a", atomic("a1"), atomic("a2")),
        compound("b", atomic("b1")));

    assertThat(run.started).containsExactly("enter:a", "enter:a1", "enter:b", "enter:b1");
    assertThat(run.machine.state().activeStates()).containsExactly("a/a1", "b/b1");
  }

  @Test
  void anEvent_isOfferedToEveryRegion_andEachTakesItsOwnTransition() {
    Run run = run(
        compound("a", atomic("a1").on("go", "ta", "a2"), atomic("a2")),
        compound("b", atomic("b1").on("go", "tb", "b2"), atomic("b2")));

    assertThat(run.send("go")).containsExactly("exit:b1", "exit:a1", "ta", "tb", "enter:a2",
        "enter:b2");
    assertThat(run.machine.state().activeStates()).containsExactly("a/a2", "b/b2");
  }

  @Test
  void aTransitionIntoAnotherRegion_exitsEveryRegion_andEntersTheOthersByDefault() {
    Run run = run(
        compound("a", atomic("a1").on("move", "tm", "a2"), atomic("a2").on("e", "t", "b/b2")),
        compound("b", atomic("b1"), atomic("b2")));
    run.send("move");

    assertThat(run.send("e")).containsExactly("exit:b1", "exit:b", "exit:a2", "exit:a", "t",
        "enter:a", "enter:a1", "enter:b", "enter:b2");
  }

  @Test
  void everyRegionFinal_completesTheMachine_exitingItsStates_thenTheRoot_withItsOutput()
      throws Exception {
    Run run = run(
        compound("a", atomic("a1").on("done", "ta", "end"), fin("end")),
        compound("b", atomic("b1").on("finish", "tb", "over"), fin("over")));

    assertThat(run.send("done")).containsExactly("exit:a1", "ta", "enter:end");
    assertThat(run.machine.state().status()).isEqualTo(Status.RUNNING);

    assertThat(run.send("finish")).containsExactly("exit:b1", "tb", "enter:over", "exit:over",
        "exit:b", "exit:end", "exit:a", "exit:(root)", "output");
    Termination<Ctx> end = run.machine.lifecycle().toCompletableFuture().get(1, TimeUnit.SECONDS);
    assertThat(end.status()).isEqualTo(Status.COMPLETED);
    assertThat(end.finalPath()).isEqualTo("a/end, b/over");
    assertThat(end.output()).isEqualTo("out");
    assertThat(run.machine.state().activeStates()).containsExactly("a/end", "b/over");
    // the regions' done events, raised as the machine completed, are not dead letters
    assertThat(deadLetters).isEmpty();
  }

  @Test
  void aTransitionGivenToEveryRegion_isTheRoots_takenOnce_andOnlyWhenNoRegionTakesTheEvent() {
    // the JSON reader gives the root's transitions to every top-level state, as one written spec
    dev.stator.model.TransitionSpec<Ctx> rootLog = new dev.stator.model.TransitionSpec<>(
        new dev.stator.model.Trigger.OnEvent("x"), null, List.of(), false,
        List.of((c, step) -> c.log.add("root")));
    MachineSpec<Ctx> spec = spec();
    MachineSpec<Ctx> aTakesIt = spec.withStates(List.of(
        withTransition(compound("a", atomic("a1").on("x", "region")).spec(), rootLog),
        withTransition(compound("b", atomic("b1")).spec(), rootLog)));
    loop = TestLoop.create();
    Ctx context = new Ctx();
    Machine<Ctx> machine = loop.start(MachineDefinition.compile(aTakesIt), context);
    context.log.clear();

    machine.send("x");
    assertThat(context.log).containsExactly("region");

    MachineSpec<Ctx> noRegionTakesIt = spec.withStates(List.of(
        withTransition(compound("a", atomic("a1")).spec(), rootLog),
        withTransition(compound("b", atomic("b1")).spec(), rootLog)));
    Ctx other = new Ctx();
    Machine<Ctx> second = loop.start(MachineDefinition.compile(noRegionTakesIt), other);
    other.log.clear();
    second.send("x");
    assertThat(other.log).containsExactly("root");
  }

  private static dev.stator.model.StateSpec<Ctx> withTransition(
      dev.stator.model.StateSpec<Ctx> state, dev.stator.model.TransitionSpec<Ctx> t) {
    List<dev.stator.model.TransitionSpec<Ctx>> with = new java.util.ArrayList<>(state.transitions());
    with.add(t);
    return new dev.stator.model.StateSpec<>(state.name(), state.id(), state.type(), state.initial(),
        state.children(), state.entry(), state.exit(), with, state.invocations(), state.output(),
        state.description(), state.tags());
  }

  @Test
  void theImageOfACompletedParallelMachine_restoresCompleted_withEveryRegionsLeaf() {
    MachineDefinition<Ctx> definition = MachineDefinition.compile(spec(
        compound("a", atomic("a1").on("done", "ta", "end"), fin("end")),
        compound("b", atomic("b1").on("done", "tb", "over"), fin("over"))));
    loop = TestLoop.create();
    Machine<Ctx> machine = loop.start(definition, new Ctx());
    machine.send("done");
    assertThat(machine.state().status()).isEqualTo(Status.COMPLETED);
    Durability<Ctx> durability = new Durability<>(emptyCodec(), Durability.NO_SINK);
    MachineImage image = machine.snapshot(durability.codec()).join();

    Machine<Ctx> restored = loop.restore(definition, image, durability, RestoreOptions.DEFAULTS);

    assertThat(restored.state().status()).isEqualTo(Status.COMPLETED);
    assertThat(restored.state().activeStates()).containsExactly("a/end", "b/over");
  }

  private static ContextCodec<Ctx> emptyCodec() {
    return new ContextCodec<>() {
      @Override
      public byte[] encode(Ctx context) {
        return new byte[0];
      }

      @Override
      public Ctx decode(byte[] bytes) {
        return new Ctx();
      }
    };
  }

  @Test
  void aParallelRoot_namingAnInitialState_isRefused() {
    MachineSpec<Ctx> spec = new MachineSpec<>("m", "a", List.of(atomic("a").spec(),
        atomic("b").spec()), UnhandledEventPolicy.IGNORE, RecoveryPolicy.exit(), true, List.of(),
        null, List.of());

    assertThatThrownBy(() -> MachineDefinition.compile(spec))
        .isInstanceOf(DefinitionException.class)
        .hasMessageContaining("the machine's root is parallel and names initial state 'a'");
  }

  @Test
  void aFinalState_asARegionOfTheParallelRoot_isRefused() {
    MachineSpec<Ctx> spec = new MachineSpec<>("m", null, List.of(atomic("a").spec(),
        fin("end").spec()), UnhandledEventPolicy.IGNORE, RecoveryPolicy.exit(), true, List.of(),
        null, List.of());

    assertThatThrownBy(() -> MachineDefinition.compile(spec))
        .isInstanceOf(DefinitionException.class)
        .hasMessageContaining("final state 'end' is a region of the machine's parallel root");
  }

  @Test
  void anImage_ofAParallelRoot_restoresEveryRegion_andOneMissingARegion_isRefused() {
    MachineSpec<Ctx> spec = spec(
        compound("a", atomic("a1").on("go", "ta", "a2"), atomic("a2")),
        compound("b", atomic("b1")));
    MachineDefinition<Ctx> definition = MachineDefinition.compile(spec);
    loop = TestLoop.create();
    Machine<Ctx> machine = loop.start(definition, new Ctx());
    machine.send("go");
    ContextCodec<Ctx> codec = emptyCodec();
    Durability<Ctx> durability = new Durability<>(codec, Durability.NO_SINK);
    MachineImage image = machine.snapshot(codec).toCompletableFuture().join();
    assertThat(image.activeStates()).containsExactly("a/a2", "b/b1");

    Machine<Ctx> restored = loop.restore(definition, image, durability,
        RestoreOptions.DEFAULTS);
    assertThat(restored.state().activeStates()).containsExactly("a/a2", "b/b1");

    MachineImage halfOfIt = new MachineImage(image.definitionId(), image.fingerprint(),
        "other", image.status(), List.of("a/a2"), image.history(), image.context(),
        image.timers(), image.calls(), image.restartCount(), image.restarts(), image.failure(),
        image.steps(), image.takenAt());
    assertThatThrownBy(() -> loop.restore(definition, halfOfIt, durability,
        RestoreOptions.DEFAULTS))
        .hasMessageContaining("1 top-level states are active; expected all 2 regions of the"
            + " parallel root");
  }

  private static MachineSpec<Ctx> spec(St... regions) {
    return new MachineSpec<>("m", null, Arrays.stream(regions).map(St::spec).toList(),
        UnhandledEventPolicy.IGNORE, RecoveryPolicy.exit(), true,
        List.of((c, step) -> c.log.add("exit:(root)")),
        (c, step) -> {
          c.log.add("output");
          return "out";
        }, List.of());
  }

  private Run run(St... regions) {
    loop = TestLoop.create(LoopOptions.DEFAULTS.withDeadLetterHandler(deadLetters::add));
    return new Run(loop, spec(regions));
  }
}
