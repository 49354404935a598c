package dev.stator.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stator.MachineDefinition;
import dev.stator.dsl.Stator;
import dev.stator.testing.ExplorationReport.Finding;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * Rules of an exploration its documentation states beyond the basics: waits of a fixed length
 * are inputs and read {@code wait PT10S} in a script; a payload generator makes the events of its
 * input and may not make null; a fingerprint tells situations apart that the configuration does
 * not; what a history state remembers is part of a situation; every distinct ending is a finding
 * of its own, with the first of the shortest scripts; the single-fault sites include guards,
 * calls and nested states, and each script counts runs afresh; the random walks' bounds; and the
 * summary, for people.
 */
final class ExplorationRulesTest {

  /** A counter the guards read. */
  static final class Count {
    int n;
  }

  /** A payload type. */
  record Request(int key) {}

  private static final MachineDefinition<Object> ALARM = Stator.<String, Object>machine("alarm")
      .initial("armed")
      .state("armed", s -> s
          .after(Duration.ofSeconds(10)).goTo("ringing")
          .on("boom").then(c -> {
            throw new IllegalStateException("boom");
          }).stay())
      .state("ringing", s -> s.onEntry(c -> {
        throw new IllegalStateException("the bell breaks");
      }))
      .build();

  @Test
  void eachDistinctEnding_isAFinding_withTheFirstOfItsShortestScripts() {
    ExplorationReport report = Exploration.of(ALARM, Object::new)
        .events("boom")
        .advance(Duration.ofSeconds(10))
        .depth(2)
        .explore();

    assertThat(report.ownFindings()).extracting(Finding::script).containsExactly(
        List.of("wait for the next timer"), List.of("send boom"));
    assertThat(report.unhandledEvents()).isEmpty();
  }

  @Test
  void aWaitOfAFixedLength_isAnInput_andReadsAsItsDuration() {
    ExplorationReport report = Exploration.of(ALARM, Object::new)
        .advance(Duration.ofSeconds(10))
        .depth(1)
        .explore();

    assertThat(report.ownFindings()).singleElement().extracting(Finding::script)
        .isEqualTo(List.of("wait for the next timer"));
    ExplorationReport late = Exploration.of(ALARM, Object::new)
        .advance(Duration.ofSeconds(4))
        .depth(3)
        .explore();
    assertThat(late.ownFindings()).extracting(Finding::script)
        .containsExactly(List.of("wait for the next timer"));
    assertThatThrownBy(() -> Exploration.of(ALARM, Object::new).advance(Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("a wait must be positive, not PT-1S");
  }

  @Test
  void aWaitOfAFixedLength_isWalked_andTheScriptSaysHowLong() {
    MachineDefinition<Count> patient = Stator.<String, Count>machine("patient")
        .initial("waiting")
        .state("waiting", s -> s
            .after(Duration.ofSeconds(10)).goTo("late")
            .on("check").then((count, step) -> {
              if (step.nanoTime() >= Duration.ofSeconds(5).toNanos()) {
                throw new IllegalStateException("waited too long");
              }
            }).stay())
        .state("late")
        .build();

    ExplorationReport report = Exploration.of(patient, Count::new)
        .events("check")
        .advance(Duration.ofSeconds(6))
        .depth(0)
        .randomWalks(40, 4, 5L)
        .explore();

    assertThat(report.ownFindings()).singleElement().extracting(Finding::script)
        .isEqualTo(List.of("wait PT6S", "send check"));
  }

  @Test
  void aPayloadGenerator_makesTheEventsOfItsInput_andMayNotMakeNull() {
    MachineDefinition<Object> server = Stator.<String, Object>machine("server")
        .initial("idle")
        .state("idle", s -> s.on(Request.class).goTo("serving"))
        .state("serving")
        .build();

    ExplorationReport report = Exploration.of(server, Object::new)
        .event("request", random -> new Request(random.nextInt(3)))
        .depth(1)
        .explore();

    assertThat(report.configurations()).containsExactly("idle", "serving");
    assertThat(report.unhandledEvents()).isEmpty();
    assertThatThrownBy(() -> Exploration.of(server, Object::new)
        .event("nothing", random -> null).depth(1).explore())
        .isInstanceOf(NullPointerException.class)
        .hasMessage("the payload generator of 'nothing' made null");
  }

  @Test
  void aFingerprint_tellsApartSituationsThatTheConfigurationDoesNot() {
    MachineDefinition<Count> counter = Stator.<String, Count>machine("counter")
        .initial("counting")
        .state("counting", s -> s
            .on("inc").then(count -> count.n++).stay()
            .on("go").when(count -> count.n >= 2).goTo("done"))
        .state("done")
        .build();

    ExplorationReport blind = Exploration.of(counter, Count::new)
        .events("inc", "go").depth(3).explore();
    ExplorationReport seeing = Exploration.of(counter, Count::new)
        .events("inc", "go").depth(3).fingerprint(count -> count.n).explore();

    assertThat(blind.unreachedStates()).containsExactly("done");
    assertThat(seeing.unreachedStates()).isEmpty();
  }

  @Test
  void whatAHistoryStateRemembers_isPartOfASituation() {
    MachineDefinition<Count> lamp = Stator.<String, Count>machine("lamp")
        .initial("off")
        .state("off", s -> s.on("power").goTo("on/resume"))
        .state("on", s -> s
            .initial("dim")
            .on("power").goTo("off")
            .state("dim", x -> x.on("up").goTo("bright"))
            .state("bright", x -> x
                .onEntry(count -> count.n++)
                .on("glow").when(count -> count.n >= 2).goTo("glowing"))
            .state("glowing")
            .history("resume"))
        .build();

    ExplorationReport report = Exploration.of(lamp, Count::new)
        .events("power", "up", "glow").depth(5).explore();

    assertThat(report.unreachedStates()).isEmpty();
  }

  @Test
  void singleFaults_coverGuardsCallsAndNestedStates() {
    MachineDefinition<Count> nested = Stator.<String, Count>machine("nested")
        .initial("outer")
        .state("outer", s -> s
            .initial("inner")
            .state("inner", x -> x
                .onEntry(count -> { })
                .invokeAsync("dial", (count, step) -> CompletableFuture.completedFuture(1),
                    Duration.ofSeconds(1))
                .on("go").when(count -> true).goTo("inner")))
        .build();

    ExplorationReport report = Exploration.of(nested, Count::new)
        .events("go").depth(1).singleFaults().explore();

    assertThat(report.faultSites()).containsExactly("entry of state outer/inner",
        "guard of state outer/inner on go", "call dial of state outer/inner");
    assertThat(report.faultSitesNeverRun()).isEmpty();
  }

  @Test
  void singleFaults_countRunsAfreshForEachScript_soEveryScriptReachingTheSiteFailsThere() {
    MachineDefinition<Object> twoWays = Stator.<String, Object>machine("twoWays")
        .initial("a")
        .state("a", s -> s.on("x").goTo("b").on("y").goTo("b"))
        .state("b", s -> s.onEntry(c -> { }).on("z").goTo("a"))
        .build();

    long own = Exploration.of(twoWays, Object::new).events("x", "y", "z").depth(2).explore()
        .runs();
    ExplorationReport faulty = Exploration.of(twoWays, Object::new).events("x", "y", "z")
        .depth(2).singleFaults().explore();

    // the start, then x and y each failing at b's entry, and z unhandled: nothing to extend
    assertThat(faulty.runs() - own).isEqualTo(4);
    assertThat(faulty.findings()).singleElement().extracting(Finding::script)
        .isEqualTo(List.of("send x"));
  }

  @Test
  void randomWalks_takeZeroWalksAndWalksOfOneInput_andRefuseLess() {
    Exploration<Object> exploration = Exploration.of(ALARM, Object::new);

    assertThat(exploration.randomWalks(0, 1, 1L)).isSameAs(exploration);
    assertThatThrownBy(() -> exploration.randomWalks(-1, 1, 1L))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("random walks: a count of zero or more and a length of one or more, not -1"
            + " and 1");
    assertThatThrownBy(() -> exploration.randomWalks(1, 0, 1L))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageEndingWith("not 1 and 0");
  }

  @Test
  void stubbingCallbacks_keepsEverySite_makesCallsReturnAtOnce_andGuardsHold() {
    MachineDefinition<Count> worldly = Stator.<String, Count>machine("worldly")
        .initial("start")
        .state("start", s -> s
            .onEntry(count -> count.n++)
            .on("go").when(count -> false).goTo("calling")
            .on("poke").stay())
        .state("calling", s -> s
            .invokeAsync("dial", (count, step) -> new CompletableFuture<>(), Duration.ofHours(1))
            .onDone("dial").goTo("loading"))
        .state("loading", s -> s
            .invokeBlocking("load", count -> () -> {
              throw new IllegalStateException("no disk here");
            }, Duration.ofHours(1))
            .onDone("load").goTo("done"))
        .finalState("done")
        .build();

    ExplorationReport report = Exploration.of(worldly, Count::new)
        .events("go", "poke").depth(2).stubbingCallbacks().singleFaults().explore();

    assertThat(report.unreachedStates()).isEmpty();
    assertThat(report.ownFindings()).isEmpty();
    assertThat(report.faultSites()).containsExactly("entry of state start",
        "guard of state start on go", "call dial of state calling", "call load of state loading");
  }

  @Test
  void aRandomWalk_isExactlyItsLength_andEachWalkIsOneRun() {
    MachineDefinition<Object> twoSteps = Stator.<String, Object>machine("twoSteps")
        .initial("s0")
        .state("s0", s -> s.on("next").goTo("s1"))
        .state("s1", s -> s.on("boom").then(c -> {
          throw new IllegalStateException("boom");
        }).stay())
        .build();

    ExplorationReport none = Exploration.of(twoSteps, Object::new)
        .events("next", "boom").depth(0).explore();
    ExplorationReport short1 = Exploration.of(twoSteps, Object::new)
        .events("next", "boom").depth(0).randomWalks(60, 1, 11L).explore();
    ExplorationReport long2 = Exploration.of(twoSteps, Object::new)
        .events("next", "boom").depth(0).randomWalks(60, 2, 11L).explore();

    assertThat(none.runs()).isEqualTo(1);
    assertThat(short1.runs()).isEqualTo(61);
    assertThat(short1.findings()).isEmpty();
    assertThat(long2.ownFindings()).singleElement().extracting(Finding::script)
        .isEqualTo(List.of("send next", "send boom"));
  }

  /**
   * A machine that fails on its own at "kick", beside a state it never reaches, explored one
   * event deep with every single fault.
   */
  private static ExplorationReport brittleDoorExplored() {
    MachineDefinition<Object> brittle = Stator.<String, Object>machine("brittle")
        .initial("closed")
        .state("closed", s -> s.on("kick").then(c -> {
          throw new IllegalStateException("the door breaks");
        }).stay())
        .state("attic", s -> s.onExit(c -> { }))
        .build();
    return Exploration.of(brittle, Object::new).events("kick").depth(1).singleFaults().explore();
  }

  @Test
  void aSiteWhoseFaultNeverFired_isListedAsNeverRun_evenWhenTheMachineFailedOnItsOwn() {
    ExplorationReport report = brittleDoorExplored();

    assertThat(report.faultSitesNeverRun()).containsExactly("exit of state attic");
  }

  @Test
  void aRunWhoseFaultDidNotFire_isNoFindingOfThatSite_butTheMachinesOwn() {
    ExplorationReport report = brittleDoorExplored();

    assertThat(report.findings()).extracting(Finding::fault)
        .containsExactly(null, "action of state closed on kick");
    assertThat(report.ownFindings()).singleElement().extracting(Finding::script)
        .isEqualTo(List.of("send kick"));
  }

  @Test
  void theSummary_saysWhatWasExploredReachedAndFound() {
    MachineDefinition<Object> door = Stator.<String, Object>machine("door")
        .initial("closed")
        .state("closed", s -> s
            .onEntry(c -> { })
            .on("kick").then(c -> { }).stay())
        .state("attic", s -> s.onExit(c -> { }))
        .build();
    MachineDefinition<Object> brittle = Stator.<String, Object>machine("brittle")
        .initial("closed")
        .state("closed", s -> s.on("kick").then(c -> {
          throw new IllegalStateException("the door breaks");
        }).stay())
        .build();

    ExplorationReport faulty = Exploration.of(door, Object::new)
        .events("kick", "ring").depth(1).singleFaults().explore();
    ExplorationReport own = Exploration.of(brittle, Object::new).events("kick").depth(1)
        .explore();
    ExplorationReport quiet = Exploration.of(door, Object::new).depth(0).explore();

    assertThat(faulty.summary()).isEqualTo(faulty.toString()).matches("""
        explored to depth 1: \\d+ runs, 1 configurations, 3 fault sites
          events never handled: ring
          states never reached: attic
          fault sites never run: exit of state attic
          findings: 2
            FAILED with a fault at entry of state closed after the start: .*entry of state \
        closed, run 1
            FAILED with a fault at action of state closed on kick after send kick: .*""");
    assertThat(own.summary()).endsWith("""
          findings: 1
            FAILED after send kick: machine 'brittle' failed in state closed on event kick \
        during ACTION: java.lang.IllegalStateException: the door breaks""");
    assertThat(quiet.summary()).isEqualTo("""
        explored to depth 0: 1 runs, 1 configurations
          events never handled: none
          states never reached: attic
          findings: none""");
  }
}
