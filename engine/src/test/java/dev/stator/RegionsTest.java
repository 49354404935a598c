package dev.stator;

import static dev.stator.Charts.machine;
import static dev.stator.Charts.state;
import static org.assertj.core.api.Assertions.assertThat;

import dev.stator.testing.TestLoop;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Machines with parallel regions and history, on the test loop: the shapes users write. */
final class RegionsTest {

  private final List<String> log = new ArrayList<>();

  private Charts.S<Object> logged(String name) {
    return Charts.<Object>state(name)
        .entry(Charts.run(() -> log.add("enter " + name)))
        .exit(Charts.run(() -> log.add("exit " + name)));
  }

  /** A player: playback and volume are independent regions; "off" remembers the playback. */
  private MachineDefinition<Object> player() {
    return machine("player",
        logged("on").parallel().on("power", "off").children(
            logged("playback").children(
                logged("paused").on("play", "playing"),
                logged("playing").on("pause", "paused"),
                Charts.<Object>state("hist").history(false, null)),
            logged("volume").children(
                logged("quiet").on("louder", "loud"),
                logged("loud").on("softer", "quiet"))),
        logged("off").on("power", "on/playback/hist"));
  }

  @Test
  void start_entersEveryRegionInDocumentOrder() {
    TestLoop loop = TestLoop.create();
    Machine<Object> machine = loop.start(player(), new Object());

    assertThat(machine.state().activeStates())
        .containsExactly("on/playback/paused", "on/volume/quiet");
    assertThat(machine.state().matches("on/volume")).isTrue();
    assertThat(log).containsExactly("enter on", "enter playback", "enter paused", "enter volume",
        "enter quiet");
  }

  @Test
  void anEventOneRegionHandles_leavesTheOtherAlone() {
    TestLoop loop = TestLoop.create();
    Machine<Object> machine = loop.start(player(), new Object());
    log.clear();

    machine.send("louder");

    assertThat(machine.state().activeStates())
        .containsExactly("on/playback/paused", "on/volume/loud");
    assertThat(log).containsExactly("exit quiet", "enter loud");
  }

  @Test
  void leavingTheParallelState_exitsRegionsInReverseDocumentOrder_andHistoryRestores() {
    TestLoop loop = TestLoop.create();
    Machine<Object> machine = loop.start(player(), new Object());
    machine.send("play");
    machine.send("louder");
    log.clear();

    machine.send("power");
    assertThat(log).containsExactly("exit loud", "exit volume", "exit playing", "exit playback",
        "exit on", "enter off");
    log.clear();
    machine.send("power");

    // the playback comes back as it was; the volume, without history, starts over
    assertThat(machine.state().activeStates())
        .containsExactly("on/playback/playing", "on/volume/quiet");
    assertThat(log).containsExactly("exit off", "enter on", "enter playback", "enter playing",
        "enter volume", "enter quiet");
  }

  @Test
  void parallelState_isDone_whenEveryRegionReachesAFinalState() {
    MachineDefinition<Object> definition = machine("both",
        Charts.<Object>state("work").parallel().onDone("finished").children(
            Charts.<Object>state("a").children(
                Charts.<Object>state("a1").on("x", "a2"), Charts.<Object>state("a2").asFinal()),
            Charts.<Object>state("b").children(
                Charts.<Object>state("b1").on("y", "b2"), Charts.<Object>state("b2").asFinal())),
        Charts.<Object>state("finished"));
    TestLoop loop = TestLoop.create();
    Machine<Object> machine = loop.start(definition, new Object());

    machine.send("x");
    assertThat(machine.state().activeStates()).containsExactly("work/a/a2", "work/b/b1");
    machine.send("y");

    assertThat(machine.state().path()).isEqualTo("finished");
  }

  @Test
  void aTransitionWithTwoTargets_entersBothRegionsThere() {
    MachineDefinition<Object> definition = machine("jump",
        Charts.<Object>state("idle").onTo("go", "p/r1/late", "p/r2/late"),
        Charts.<Object>state("p").parallel().children(
            Charts.<Object>state("r1").children(Charts.<Object>state("early"),
                Charts.<Object>state("late")),
            Charts.<Object>state("r2").children(Charts.<Object>state("early"),
                Charts.<Object>state("late"))));
    TestLoop loop = TestLoop.create();
    Machine<Object> machine = loop.start(definition, new Object());

    machine.send("go");

    assertThat(machine.state().activeStates()).containsExactly("p/r1/late", "p/r2/late");
  }

  @Test
  void aFaultInOneRegion_failsTheWholeMachineOnce_andCancelsEveryRegionsTimers() {
    MachineDefinition<Object> definition = machine("fragile",
        Charts.<Object>state("p").parallel().children(
            Charts.<Object>state("ticking").children(
                Charts.<Object>state("t1").after(Duration.ofSeconds(5), "t2"),
                Charts.<Object>state("t2")),
            Charts.<Object>state("breaking").children(
                Charts.<Object>state("b1").on("break", "b2"),
                Charts.<Object>state("b2").entry(Charts.run(() -> {
                  throw new IllegalStateException("boom in a region");
                })))));
    TestLoop loop = TestLoop.create();
    Machine<Object> machine = loop.start(definition, new Object());
    assertThat(loop.pendingTimers()).isEqualTo(1);

    machine.send("break");

    assertThat(machine.state().status()).isEqualTo(Status.FAILED);
    assertThat(loop.failures()).hasSize(1);
    Failure failure = loop.failures().get(0);
    assertThat(failure.phase()).isEqualTo(Phase.ENTRY);
    assertThat(failure.state()).isEqualTo("p/ticking/t1, p/breaking/b2");
    assertThat(failure.callbackState()).isEqualTo("p/breaking/b2");
    assertThat(failure.summary()).startsWith("machine 'fragile-1' failed in state p/ticking/t1,"
        + " p/breaking/b2 (a callback of p/breaking/b2) on event break during ENTRY: ");
    assertThat(loop.pendingTimers()).isZero();
  }

  @Test
  void listeners_hearTheStatesEachTransitionExitedAndEntered() {
    TestLoop loop = TestLoop.create();
    List<Transition> heard = new ArrayList<>();
    Machine<Object> machine = loop.start(player(), "p", new Object(), new MachineListener<>() {
      @Override
      public void onTransition(Machine<Object> m, Transition transition) {
        heard.add(transition);
      }
    });

    machine.send("power");

    assertThat(heard).hasSize(2);
    assertThat(heard.get(0).entered()).containsExactly("on", "on/playback",
        "on/playback/paused", "on/volume", "on/volume/quiet");
    assertThat(heard.get(1).exited()).containsExactly("on/volume/quiet", "on/volume",
        "on/playback/paused", "on/playback", "on");
    assertThat(heard.get(1).entered()).containsExactly("off");
  }

  @Test
  void listeners_ofAMachineWithoutRegions_hearExitsUpToTheDomainAndTheEntryPath() {
    MachineDefinition<Object> definition = machine("nested",
        Charts.<Object>state("a").children(Charts.<Object>state("a1").on("go", "b")),
        Charts.<Object>state("b").children(Charts.<Object>state("b1")));
    TestLoop loop = TestLoop.create();
    List<Transition> heard = new ArrayList<>();
    Machine<Object> machine = loop.start(definition, "n", new Object(), new MachineListener<>() {
      @Override
      public void onTransition(Machine<Object> m, Transition transition) {
        heard.add(transition);
      }
    });

    machine.send("go");

    assertThat(heard.get(1).from()).isEqualTo("a/a1");
    assertThat(heard.get(1).to()).isEqualTo("b/b1");
    assertThat(heard.get(1).exited()).containsExactly("a/a1", "a");
    assertThat(heard.get(1).entered()).containsExactly("b", "b/b1");
  }

  @Test
  void historyAsItsParentsInitialState_withoutADefault_isRefused() {
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> machine("h",
        Charts.<Object>state("a").initial("h").children(
            Charts.<Object>state("h").history(false, null), Charts.<Object>state("x"))))
        .isInstanceOf(DefinitionException.class)
        .hasMessageContaining("history state 'a/h' is the initial state of 'a', so it needs a"
            + " default target");
  }

  @Test
  void deepHistory_restoresTheLeafItRemembers_andShallowOnlyTheChild() {
    MachineDefinition<Object> definition = machine("deep",
        Charts.<Object>state("work").on("out", "away").children(
            Charts.<Object>state("step").children(
                Charts.<Object>state("one").on("next", "two"),
                Charts.<Object>state("two")),
            Charts.<Object>state("deep").history(true, null),
            Charts.<Object>state("shallow").history(false, null)),
        Charts.<Object>state("away").on("deep", "work/deep").on("shallow", "work/shallow"));
    TestLoop loop = TestLoop.create();
    Machine<Object> machine = loop.start(definition, new Object());
    machine.send("next");
    machine.send("out");

    machine.send("deep");
    assertThat(machine.state().path()).isEqualTo("work/step/two");
    machine.send("out");
    machine.send("shallow");
    assertThat(machine.state().path()).isEqualTo("work/step/one");
  }
}
