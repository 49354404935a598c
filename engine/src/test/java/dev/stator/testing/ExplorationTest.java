package dev.stator.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stator.MachineDefinition;
import dev.stator.RecoveryPolicy;
import dev.stator.dsl.Stator;
import dev.stator.testing.ExplorationReport.Finding;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Exploration reaches what inputs can reach, reports what they never reach or handle, and gives
 * each bad ending with its shortest script, with and without injected faults.
 */
final class ExplorationTest {

  private static final MachineDefinition<Object> DOOR = Stator.<String, Object>machine("door")
      .initial("closed")
      .state("closed", s -> s
          .onEntry(c -> { })
          .on("open").goTo("open")
          .on("lock").goTo("locked"))
      .state("open", s -> s
          .on("close").goTo("closed")
          .after(Duration.ofSeconds(30)).goTo("alarm"))
      .state("locked", s -> s
          .on("unlock").then(c -> { }).goTo("closed")
          .on("kick").then(c -> {
            throw new IllegalStateException("the lock breaks");
          }).stay())
      .state("alarm", s -> s.onExit(c -> { }).on("close").goTo("closed"))
      .state("attic")
      .build();

  @Test
  void explore_findsTheShortestScriptToAFailure_andWhatIsNeverReachedOrHandled() {
    ExplorationReport report = Exploration.of(DOOR, Object::new)
        .events("open", "close", "lock", "unlock", "kick", "ring")
        .depth(4)
        .explore();

    assertThat(report.ownFindings()).singleElement().satisfies(finding -> {
      assertThat(finding.ending()).isEqualTo("FAILED");
      assertThat(finding.script()).containsExactly("send lock", "send kick");
      assertThat(finding.detail()).contains("the lock breaks").contains("during ACTION");
    });
    assertThat(report.configurations()).containsExactly("alarm", "closed", "locked", "open");
    assertThat(report.unhandledEvents()).containsExactly("ring");
    assertThat(report.unreachedStates()).containsExactly("attic");
    assertThat(report.runs()).isPositive();
  }

  @Test
  void explore_reachesTimersOnlyThroughWaiting() {
    ExplorationReport report = Exploration.of(DOOR, Object::new)
        .events("open")
        .depth(2)
        .explore();

    assertThat(report.configurations()).contains("alarm");
    assertThat(report.unreachedStates()).containsExactly("locked", "attic");
  }

  @Test
  void explore_toDepthZero_seesOnlyTheStart() {
    ExplorationReport report = Exploration.of(DOOR, Object::new).events("open").depth(0).explore();

    assertThat(report.configurations()).containsExactly("closed");
    assertThat(report.unhandledEvents()).containsExactly("open");
  }

  @Test
  void singleFaults_injectAtEverySite_andSayWhichNeverRan() {
    ExplorationReport report = Exploration.of(DOOR, Object::new)
        .events("open", "close", "lock", "unlock")
        .depth(2)
        .singleFaults()
        .explore();

    assertThat(report.faultSites()).containsExactly("entry of state closed",
        "action of state locked on unlock", "action of state locked on kick",
        "exit of state alarm");
    // kick is not in the alphabet, and the alarm is left only at depth 3
    assertThat(report.faultSitesNeverRun()).containsExactly("action of state locked on kick",
        "exit of state alarm");
    assertThat(report.findings()).extracting(Finding::fault, Finding::script)
        .contains(org.assertj.core.groups.Tuple.tuple("entry of state closed",
                java.util.List.of()),
            org.assertj.core.groups.Tuple.tuple("action of state locked on unlock",
                java.util.List.of("send lock", "send unlock")));
    assertThat(report.ownFindings()).isEmpty();
  }

  @Test
  void singleFaults_underAResetPolicy_findNothingFailing() {
    MachineDefinition<Object> resetting = Stator.<String, Object>machine("resetting")
        .initial("a")
        .state("a", s -> s.onEntry(c -> { }).on("go").then(c -> { }).goTo("b"))
        .state("b", s -> s.on("go").goTo("a"))
        .recovery(RecoveryPolicy.<Object>reset(Object::new).atMost(3, Duration.ofMinutes(1)))
        .build();

    ExplorationReport report = Exploration.of(resetting, Object::new)
        .events("go").depth(3).singleFaults().explore();

    assertThat(report.faultSites()).hasSize(2);
    assertThat(report.faultSitesNeverRun()).isEmpty();
    assertThat(report.findings()).isEmpty();
  }

  @Test
  void randomWalks_reachBeyondTheDepth_andAreShrunk() {
    MachineDefinition<Object> chain = Stator.<String, Object>machine("chain")
        .initial("s0")
        .state("s0", s -> s.on("next").goTo("s1"))
        .state("s1", s -> s.on("next").goTo("s2"))
        .state("s2", s -> s.on("next").goTo("s3"))
        .state("s3", s -> s.on("next").goTo("s4").on("back").goTo("s0"))
        .state("s4", s -> s.on("boom").then(c -> {
          throw new IllegalStateException("too far");
        }).stay())
        .build();

    ExplorationReport shallow = Exploration.of(chain, Object::new)
        .events("next", "boom", "noise").depth(2).explore();
    ExplorationReport walked = Exploration.of(chain, Object::new)
        .events("next", "boom", "noise").depth(2).randomWalks(300, 14, 7L).explore();

    assertThat(shallow.findings()).isEmpty();
    assertThat(walked.ownFindings()).singleElement().satisfies(finding ->
        assertThat(finding.script()).containsExactly("send next", "send next", "send next",
            "send next", "send boom"));
    assertThat(walked.configurations()).contains("s4");
  }

  @Test
  void regionsAndHistory_areExplored() {
    MachineDefinition<Object> player = Stator.<String, Object>machine("player")
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

    ExplorationReport report = Exploration.of(player, Object::new)
        .eventsOfTheDefinition().depth(5).explore();

    assertThat(report.configurations()).containsExactlyInAnyOrder("off",
        "on/track/stopped, on/volume/normal", "on/track/playing, on/volume/normal",
        "on/track/stopped, on/volume/muted", "on/track/playing, on/volume/muted");
    assertThat(report.unreachedStates()).isEmpty();
    assertThat(report.unhandledEvents()).isEmpty();
    assertThat(report.findings()).isEmpty();
  }

  @Test
  void stubbingCallbacks_exploresTheStructureAlone() {
    MachineDefinition<Object> needsTheWorld = Stator.<String, Object>machine("world")
        .initial("connecting")
        .state("connecting", s -> s.onEntry(c -> {
          throw new java.io.UncheckedIOException(new java.io.IOException("no network here"));
        }).on("connected").when(c -> false).goTo("ready"))
        .state("ready")
        .build();

    ExplorationReport real = Exploration.of(needsTheWorld, Object::new)
        .events("connected").depth(1).explore();
    ExplorationReport stubbed = Exploration.of(needsTheWorld, Object::new)
        .events("connected").depth(1).stubbingCallbacks().explore();

    assertThat(real.ownFindings()).singleElement()
        .satisfies(finding -> assertThat(finding.script()).isEmpty());
    assertThat(stubbed.findings()).isEmpty();
    assertThat(stubbed.configurations()).containsExactly("connecting", "ready");
  }

  @Test
  void badSettings_areRefusedNamingTheValue() {
    Exploration<Object> exploration = Exploration.of(DOOR, Object::new);

    assertThatThrownBy(() -> exploration.depth(-1)).hasMessageContaining("-1");
    assertThatThrownBy(() -> exploration.advance(Duration.ZERO)).hasMessageContaining("PT0S");
    assertThatThrownBy(() -> exploration.randomWalks(1, 0, 1L)).hasMessageContaining("0");
  }
}
