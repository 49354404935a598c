package dev.stator.dsl.export;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stator.MachineDefinition;
import dev.stator.dsl.Stator;
import java.io.IOException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

final class DiagramsTest {

  private static final MachineDefinition<Object> CONNECTION = Stator.<String, Object>machine("conn")
      .initial("CONNECTING")
      .state("CONNECTING", c -> c.initial("DIAL")
          .onError(IOException.class).goTo("BACKOFF")
          .state("DIAL", d -> d.on("connected").goTo("HANDSHAKE"))
          .state("HANDSHAKE", h -> h.on("welcome").when(x -> true).goTo("READY")))
      .state("BACKOFF", b -> b.after(Duration.ofSeconds(2)).goTo("CONNECTING"))
      .state("READY", r -> r.on("ping").stay().on("quit").goTo("CLOSED"))
      .finalState("CLOSED")
      .build();

  @Test
  void mermaid_drawsNestedStatesInitialMarkersFinalStatesAndLabelledTransitions() {
    assertThat(Diagrams.mermaid(CONNECTION)).isEqualTo("""
        stateDiagram-v2
            [*] --> CONNECTING
            state CONNECTING {
                [*] --> DIAL
                DIAL --> HANDSHAKE: connected
                HANDSHAKE --> READY: welcome [guarded]
            }
            CONNECTING --> BACKOFF: error IOException
            BACKOFF --> CONNECTING: after PT2S
            READY --> READY: ping (stay)
            READY --> CLOSED: quit
            CLOSED --> [*]
        """);
  }

  @Test
  void mermaid_givesStatesWhoseNamesAreNotIdentifiersAnAlias() {
    String diagram = Diagrams.mermaid(Stator.<String, Object>machine("spaced")
        .initial("waiting room").state("waiting room", s -> s.on("go").goTo("end"))
        .finalState("end").build());

    assertThat(diagram).contains("state \"waiting room\" as s1", "state \"end\" as s2",
        "[*] --> s1", "s1 --> s2: go", "s2 --> [*]");
  }

  @Test
  void dot_drawsCompoundStatesAsClustersAndEveryTransition() {
    String dot = Diagrams.dot(CONNECTION);

    assertThat(dot).startsWith("digraph \"conn\" {")
        .contains("subgraph \"cluster_CONNECTING\" {", "label=\"CONNECTING\";",
            "\"CLOSED\" [peripheries=2];", "\"__start\" -> \"CONNECTING\";",
            "\"CONNECTING\" -> \"DIAL\" [style=dashed, label=\"initial\"];",
            "\"HANDSHAKE\" -> \"READY\" [label=\"welcome [guarded]\"];",
            "\"BACKOFF\" -> \"CONNECTING\" [label=\"after PT2S\"];",
            "\"READY\" -> \"READY\" [label=\"ping (stay)\"];")
        .endsWith("}\n");
  }

  private static final MachineDefinition<Object> PLAYER = Stator.<String, Object>machine("player")
      .initial("off")
      .state("off", s -> s.on("power").goTo("on").on("resume").goTo("resume").on("jump")
          .goTo("paused", "muted"))
      .parallel("on", p -> p
          .on("power").goTo("off")
          .onDone().goTo("off")
          .deepHistory("resume")
          .state("track", r -> r.initial("playing")
              .state("playing", x -> x.on("pause").goTo("paused"))
              .state("paused", x -> x.on("play").goTo("playing"))
              .finalState("out"))
          .state("volume", r -> r.initial("normal")
              .history("last", "muted")
              .state("normal", x -> x.on("mute").goTo("muted"))
              .state("muted")
              .finalState("out")))
      .build();

  @Test
  void mermaid_drawsRegionsAsConcurrentSections_historyAsHNodes_andOneEdgePerTarget() {
    assertThat(Diagrams.mermaid(PLAYER)).isEqualTo("""
        stateDiagram-v2
            [*] --> off
            off --> on: power
            off --> s1: resume
            off --> paused: jump
            off --> muted: jump
            state on {
                state "H*" as s1
                [*] --> track
                state track {
                    state "out" as s2
                    [*] --> playing
                    playing --> paused: pause
                    paused --> playing: play
                    s2 --> [*]
                }
                --
                [*] --> volume
                state volume {
                    state "H" as s3
                    state "out" as s4
                    [*] --> normal
                    s3 --> muted: default
                    normal --> muted: mute
                    s4 --> [*]
                }
            }
            on --> off: power
            on --> off: done
        """);
  }

  @Test
  void dot_drawsRegionsAsDashedClusters_historyAsCircles_andRepeatedNamesByPath() {
    String dot = Diagrams.dot(PLAYER);

    assertThat(dot)
        .contains("subgraph \"cluster_on\" {", "subgraph \"cluster_track\" {",
            "label=\"track\";\n      style=dashed;", "\"resume\" [shape=circle, label=\"H*\"];",
            "\"last\" [shape=circle, label=\"H\"];",
            "\"on/track/out\" [peripheries=2, label=\"out\"];",
            "\"last\" -> \"muted\" [style=dashed, label=\"default\"];",
            "\"off\" -> \"paused\" [label=\"jump\"];", "\"off\" -> \"muted\" [label=\"jump\"];",
            "\"on\" -> \"off\" [label=\"done\"];")
        .doesNotContain("\"on\" -> \"track\" [style=dashed");
  }
}
