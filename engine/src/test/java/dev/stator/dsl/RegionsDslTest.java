package dev.stator.dsl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stator.DefinitionException;
import dev.stator.Machine;
import dev.stator.MachineDefinition;
import dev.stator.StateDone;
import dev.stator.model.StateSpec;
import dev.stator.testing.TestLoop;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** Parallel regions, history, state done events, several targets and ids, written with the DSL. */
final class RegionsDslTest {

  private final TestLoop loop = TestLoop.create();

  /** A media player: a track region and a volume region, with a deep history to resume. */
  private static MachineBuilder<String, Recorder> player() {
    return Stator.<String, Recorder>machine("player")
        .initial("off")
        .state("off", s -> s
            .on("power").goTo("on")
            .on("resume").goToTargets("on/resume")
            .on("jump").goTo("paused", "muted"))
        .parallel("on", p -> p
            .on("power").goTo("off")
            .deepHistory("resume")
            .state("track", r -> r.initial("stopped")
                .state("stopped", x -> x.on("play").goTo("playing"))
                .state("playing", x -> x.on("pause").goTo("paused").on("stop").goTo("stopped"))
                .state("paused", x -> x.on("play").goTo("playing")))
            .state("volume", r -> r.id("vol").initial("normal")
                .onEntry(c -> c.add("enter volume"))
                .state("normal", x -> x.on("mute").goTo("muted"))
                .state("muted", x -> x.on("mute").goTo("normal"))));
  }

  @Test
  void parallelState_entersEveryRegionAndEachRegionTakesItsOwnEvents() {
    Machine<Recorder> machine = loop.start(player().build(), new Recorder());

    machine.send("power");
    assertThat(machine.state().activeStates()).containsExactly("on/track/stopped", "on/volume/normal");

    machine.send("play");
    machine.send("mute");
    assertThat(machine.state().activeStates()).containsExactly("on/track/playing", "on/volume/muted");
    assertThat(machine.state().matches("on/volume")).isTrue();
  }

  @Test
  void deepHistory_restoresEveryRegionAsItWasLeft_andTheDefaultEntryWhenNeverLeft() {
    Machine<Recorder> fresh = loop.start(player().build(), new Recorder());
    fresh.send("resume");
    assertThat(fresh.state().activeStates()).containsExactly("on/track/stopped", "on/volume/normal");

    Machine<Recorder> machine = loop.start(player().build(), new Recorder());
    machine.send("power");
    machine.send("play");
    machine.send("pause");
    machine.send("mute");
    machine.send("power");
    assertThat(machine.state().path()).isEqualTo("off");

    machine.send("resume");
    assertThat(machine.state().activeStates()).containsExactly("on/track/paused", "on/volume/muted");

    machine.send("power");
    machine.send("power");
    assertThat(machine.state().activeStates()).containsExactly("on/track/stopped", "on/volume/normal");
  }

  @Test
  void shallowHistory_restoresTheChildButEntersItByDefault() {
    MachineDefinition<Recorder> definition = Stator.<String, Recorder>machine("shallow")
        .initial("settings")
        .state("settings", s -> s.initial("general")
            .on("close").goTo("closed")
            .history("last")
            .state("general", g -> g.on("next").goTo("advanced"))
            .state("advanced", a -> a.initial("basic")
                .state("basic", b -> b.on("more").goTo("expert"))
                .state("expert")))
        .state("closed", c -> c.on("open").goTo("last").on("reopen").goTo("settings"))
        .build();
    Machine<Recorder> machine = loop.start(definition, new Recorder());

    machine.send("next");
    machine.send("more");
    machine.send("close");
    machine.send("open");

    // shallow: the child 'advanced' is restored, and entered by its own initial child
    assertThat(machine.state().path()).isEqualTo("settings/advanced/basic");
    machine.send("close");
    machine.send("reopen");
    assertThat(machine.state().path()).isEqualTo("settings/general");
  }

  @Test
  void historyWithADefaultTarget_entersItWhenTheParentWasNeverLeft() {
    MachineDefinition<Recorder> definition = Stator.<String, Recorder>machine("default")
        .initial("idle")
        .state("idle", s -> s.on("go").goTo("h"))
        .state("work", w -> w.initial("a")
            .history("h", "b")
            .state("a")
            .state("b"))
        .build();
    Machine<Recorder> machine = loop.start(definition, new Recorder());

    machine.send("go");

    assertThat(machine.state().path()).isEqualTo("work/b");
  }

  @Test
  void severalTargets_enterTheirRegionsTogether() {
    Machine<Recorder> machine = loop.start(player().build(), new Recorder());

    machine.send("jump");

    assertThat(machine.state().activeStates()).containsExactly("on/track/paused", "on/volume/muted");
  }

  private static MachineBuilder<String, Recorder> upload(Consumer<StateBuilder<String, Recorder>> extra) {
    return Stator.<String, Recorder>machine("upload")
        .initial("upload")
        .parallel("upload", p -> {
          p.onDone().then((c, step) -> c.add("all done: " + step.event())).goTo("finished")
              .on("done.state.upload/files").then(c -> c.add("files done")).stay()
              .state("files", r -> r.initial("sending")
                  .onDone().then((c, step) -> c.add("files output " + step.event().output())).stay()
                  .state("sending", x -> x.on("sent").goTo("sent"))
                  .finalState("sent", f -> f.output(c -> c.log.size())))
              .state("meta", r -> r.initial("writing")
                  .state("writing", x -> x.on("written").goTo("written"))
                  .finalState("written"));
          extra.accept(p);
        })
        .finalState("finished");
  }

  @Test
  void parallelState_isDoneWhenEveryRegionIsInAFinalState() {
    Recorder recorder = new Recorder();
    Machine<Recorder> machine = loop.start(upload(p -> { }).build(), recorder);

    machine.send("sent");
    // the region takes its own done event, so upload's transition on it is not tried (XState v5)
    assertThat(recorder.log).containsExactly("files output 0");
    assertThat(machine.state().activeStates()).containsExactly("upload/files/sent", "upload/meta/writing");

    machine.send("written");
    assertThat(recorder.log).last().isEqualTo("all done: done.state.upload");
    assertThat(machine.lifecycle()).isCompleted();
  }

  @Test
  void aStateWithAnId_namesItsDoneEventByTheId() {
    MachineDefinition<Recorder> definition = Stator.<String, Recorder>machine("ids")
        .initial("task")
        .state("task", t -> t.id("job").initial("running")
            .state("running", r -> r.on("finish").goTo("ok"))
            .finalState("ok", f -> f.output((c, step) -> "from " + step.event()))
            .on("done.state.job").when((c, step) -> step.event() instanceof StateDone done
                && "from finish".equals(done.output())).goToTargets("#end"))
        .state("end", e -> e.id("end"))
        .build();
    Machine<Recorder> machine = loop.start(definition, new Recorder());

    machine.send("finish");

    assertThat(machine.state().path()).isEqualTo("end");
  }

  @Test
  void goToTargets_reachesAStateByPathWhenItsNameIsNotTheNearest() {
    MachineDefinition<Recorder> definition = Stator.<String, Recorder>machine("paths")
        .initial("a")
        .state("a", a -> a.initial("x")
            .state("x", x -> x.on("near").goTo("y").on("far").goToTargets("b/y"))
            .state("y"))
        .state("b", b -> b.initial("y").state("y"))
        .build();

    Machine<Recorder> near = loop.start(definition, new Recorder());
    near.send("near");
    assertThat(near.state().path()).isEqualTo("a/y");

    Machine<Recorder> far = loop.start(definition, new Recorder());
    far.send("far");
    assertThat(far.state().path()).isEqualTo("b/y");
  }

  @Test
  void theDslWritesTheModelsNewKindsOfState() {
    StateSpec<Recorder> on = player().spec().states().get(1);

    assertThat(on.type()).isEqualTo(StateSpec.Type.PARALLEL);
    assertThat(on.children()).extracting(StateSpec::type).containsExactly(
        StateSpec.Type.DEEP_HISTORY, StateSpec.Type.NORMAL, StateSpec.Type.NORMAL);
    assertThat(on.children().get(2).id()).isEqualTo("vol");
    assertThat(player().spec().states().get(0).transitions().get(2).targets())
        .containsExactly("paused", "muted");
  }

  private static void refused(MachineBuilder<String, Recorder> builder, String... problems) {
    assertThatThrownBy(builder::build).isInstanceOfSatisfying(DefinitionException.class,
        e -> assertThat(e.problems()).containsExactly(problems));
  }

  @Test
  void aParallelStateWithOneRegion_isRefused() {
    refused(Stator.<String, Recorder>machine("one")
            .initial("p")
            .parallel("p", p -> p.state("only")),
        "parallel state 'p' has 1 region; it needs two or more");
  }

  @Test
  void onDoneOfAnAtomicState_isRefused() {
    refused(Stator.<String, Recorder>machine("atomic")
            .initial("a")
            .state("a", a -> a.onDone().goTo("b"))
            .state("b"),
        "state 'a', transition done: state 'a' has no children, so it is never done; onDone"
            + " belongs on a compound or parallel state");
  }

  @Test
  void targetsInTheSameRegion_areRefused() {
    refused(player().state("extra", e -> e.on("both").goTo("playing", "paused")),
        "state 'extra', transition on both: targets 'on/track/playing' and 'on/track/paused' cannot"
            + " be active together; the targets of one transition must lie in different regions of a"
            + " parallel state");
  }

  @Test
  void outputOnAStateThatIsNotFinal_andADuplicateId_areRefused() {
    refused(Stator.<String, Recorder>machine("bad")
            .initial("a")
            .state("a", a -> a.id("same").output(c -> 1).on("go").goTo("b"))
            .state("b", b -> b.id("same")),
        "state 'a' has done data (output) but is not final; only a final state's output is carried"
            + " by its parent's done event",
        "duplicate state id 'same': states 'a' and 'b'");
  }

  @Test
  void aHistoryDefaultOutsideItsParent_isRefused() {
    refused(Stator.<String, Recorder>machine("hist")
            .initial("w")
            .state("w", w -> w.initial("a").history("h", "elsewhere").state("a"))
            .state("elsewhere"),
        "history state 'w/h': its default target 'elsewhere' must be a child of 'w' (and not a"
            + " history state)");
  }

  @Test
  void anAmbiguousName_isRefusedWithAHintToWriteAPathOrAnId() {
    refused(Stator.<String, Recorder>machine("ambiguous")
            .initial("a")
            .state("a", a -> a.initial("x").state("x", x -> x.on("go").goTo("z")))
            .state("b", b -> b.initial("z").state("z"))
            .state("c", c -> c.initial("z").state("z")),
        "state 'a/x', transition on go: target 'z' names 2 states, none a sibling of 'a/x' or of"
            + " its ancestors; write its path (such as 'b/z') or give it an id and write '#id'");
  }

  @Test
  void aTopLevelStateShadowedByANearerName_isReachedByItsPathId() {
    MachineDefinition<Recorder> definition = Stator.<String, Recorder>machine("shadowed")
        .initial("p")
        .state("p", p -> p.initial("a")
            .state("a", a -> a.on("near").goTo("x").on("far").goTo("#x"))
            .state("x"))
        .state("x")
        .build();

    Machine<Recorder> near = loop.start(definition, new Recorder());
    near.send("near");
    Machine<Recorder> far = loop.start(definition, new Recorder());
    far.send("far");

    // a name is looked up from the source outwards; '#' with a path reaches the state it names
    assertThat(near.state().path()).isEqualTo("p/x");
    assertThat(far.state().path()).isEqualTo("x");
  }

  /** The player of README's statechart section, as written there. */
  private static final class Player {}

  @Test
  void readmesPlayer_resumesTheTrackThroughHistory_andStartsTheVolumeOver() {
    MachineDefinition<Player> definition = Stator.<String, Player>machine("player")
        .initial("off")
        .state("off", s -> s.on("power").goTo("on/track/resume"))
        .parallel("on", p -> p
            .on("power").goTo("off")
            .state("track", r -> r.initial("stopped")
                .state("stopped", x -> x.on("play").goTo("playing"))
                .state("playing", x -> x.on("stop").goTo("stopped"))
                .history("resume"))
            .state("volume", r -> r.initial("normal")
                .state("normal", x -> x.on("mute").goTo("muted"))
                .state("muted", x -> x.on("mute").goTo("normal"))))
        .build();
    Machine<Player> machine = loop.start(definition, new Player());

    machine.send("power");
    machine.send("play");
    machine.send("mute");
    machine.send("power");
    machine.send("power");

    assertThat(machine.state().activeStates())
        .containsExactly("on/track/playing", "on/volume/normal");
  }
}
