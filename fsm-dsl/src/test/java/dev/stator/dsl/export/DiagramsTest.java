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
}
