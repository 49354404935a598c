package dev.stator.dsl.export;

import dev.stator.MachineDefinition;
import dev.stator.internal.Printable;
import dev.stator.model.MachineSpec;
import dev.stator.model.StateSpec;
import dev.stator.model.TransitionSpec;
import dev.stator.model.Trigger;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Draws a machine as a diagram: Mermaid {@code stateDiagram-v2} or Graphviz DOT, nested states
 * included, for any definition (from the DSL or any other front end). Transitions are labelled with
 * their trigger ({@code FLIP}, {@code after PT2S}, {@code always}, {@code error IOException},
 * {@code done dial}), a guard as {@code [guarded]}, and a targetless transition as a loop marked
 * {@code (stay)}. Stateless and thread-safe.
 */
public final class Diagrams {

  private Diagrams() {}

  /**
   * Returns the machine as a Mermaid {@code stateDiagram-v2}.
   *
   * @param definition the machine
   * @return the diagram's text
   */
  public static String mermaid(MachineDefinition<?> definition) {
    return mermaid(Objects.requireNonNull(definition, "definition").spec());
  }

  /**
   * Returns the machine as a Mermaid {@code stateDiagram-v2}.
   *
   * @param spec the machine as written
   * @return the diagram's text
   */
  public static String mermaid(MachineSpec<?> spec) {
    Objects.requireNonNull(spec, "spec");
    Ids ids = new Ids();
    StringBuilder out = new StringBuilder("stateDiagram-v2\n");
    mermaidLevel(out, "    ", spec.initial(), spec.states(), ids);
    return out.toString();
  }

  private static void mermaidLevel(StringBuilder out, String indent, String initial,
      List<? extends StateSpec<?>> states, Ids ids) {
    for (StateSpec<?> state : states) {
      if (!ids.isPlain(state.name())) {
        out.append(indent).append("state \"").append(escape(state.name())).append("\" as ")
            .append(ids.of(state.name())).append('\n');
      }
    }
    if (initial != null) {
      out.append(indent).append("[*] --> ").append(ids.of(initial)).append('\n');
    }
    for (StateSpec<?> state : states) {
      String id = ids.of(state.name());
      if (state.isCompound()) {
        out.append(indent).append("state ").append(id).append(" {\n");
        mermaidLevel(out, indent + "    ", state.initial(), state.children(), ids);
        out.append(indent).append("}\n");
      }
      if (state.finalState()) {
        out.append(indent).append(id).append(" --> [*]\n");
      }
      for (TransitionSpec<?> t : state.transitions()) {
        String target = t.target() == null ? id : ids.of(t.target());
        out.append(indent).append(id).append(" --> ").append(target).append(": ")
            .append(Printable.escape(label(t).replace(":", "#58;"))).append('\n');
      }
    }
  }

  /**
   * Returns the machine as a Graphviz DOT digraph; compound states are clusters.
   *
   * @param definition the machine
   * @return the graph's text
   */
  public static String dot(MachineDefinition<?> definition) {
    return dot(Objects.requireNonNull(definition, "definition").spec());
  }

  /**
   * Returns the machine as a Graphviz DOT digraph; compound states are clusters.
   *
   * @param spec the machine as written
   * @return the graph's text
   */
  public static String dot(MachineSpec<?> spec) {
    Objects.requireNonNull(spec, "spec");
    StringBuilder out = new StringBuilder("digraph ").append(quote(spec.id())).append(" {\n")
        .append("  compound=true;\n  rankdir=LR;\n")
        .append("  node [shape=box, style=rounded, fontname=\"Helvetica\"];\n")
        .append("  edge [fontname=\"Helvetica\", fontsize=10];\n")
        .append("  \"__start\" [shape=point, width=0.15];\n");
    dotLevel(out, "  ", spec.states());
    out.append("  \"__start\" -> ").append(quote(anchor(spec.states(), spec.initial())))
        .append(";\n");
    dotEdges(out, spec.states());
    return out.append("}\n").toString();
  }

  private static void dotLevel(StringBuilder out, String indent, List<? extends StateSpec<?>> states) {
    for (StateSpec<?> state : states) {
      if (state.isCompound()) {
        out.append(indent).append("subgraph ").append(quote("cluster_" + state.name()))
            .append(" {\n").append(indent).append("  label=").append(quote(state.name()))
            .append(";\n").append(indent).append("  style=rounded;\n");
        out.append(indent).append("  ").append(quote(state.name()))
            .append(" [shape=point, width=0.1, label=\"\"];\n");
        dotLevel(out, indent + "  ", state.children());
        out.append(indent).append("}\n");
      } else {
        out.append(indent).append(quote(state.name()))
            .append(state.finalState() ? " [peripheries=2];\n" : ";\n");
      }
    }
  }

  private static void dotEdges(StringBuilder out, List<? extends StateSpec<?>> states) {
    for (StateSpec<?> state : states) {
      if (state.isCompound()) {
        out.append("  ").append(quote(state.name())).append(" -> ")
            .append(quote(anchor(state.children(), state.initial())))
            .append(" [style=dashed, label=\"initial\"];\n");
      }
      for (TransitionSpec<?> t : state.transitions()) {
        String target = t.target() == null ? state.name() : t.target();
        out.append("  ").append(quote(state.name())).append(" -> ").append(quote(target))
            .append(" [label=").append(quote(label(t))).append("];\n");
      }
      dotEdges(out, state.children());
    }
  }

  private static String anchor(List<? extends StateSpec<?>> states, String name) {
    return name == null ? (states.isEmpty() ? "__none" : states.get(0).name()) : name;
  }

  /** The label of a transition: its trigger, [guarded] when it has a guard, (stay) if targetless. */
  static String label(TransitionSpec<?> t) {
    String trigger;
    if (t.trigger() instanceof Trigger.OnEvent onEvent) {
      trigger = String.valueOf(onEvent.event());
    } else if (t.trigger() instanceof Trigger.OnType onType) {
      trigger = onType.type().getSimpleName();
    } else if (t.trigger() instanceof Trigger.OnError onError) {
      trigger = "error " + simpleName(onError.errorType());
    } else if (t.trigger() instanceof Trigger.OnDone onDone) {
      trigger = "done " + onDone.callId();
    } else {
      trigger = t.trigger().toString();
    }
    return trigger + (t.guard() == null ? "" : " [guarded]")
        + (t.target() == null ? " (stay)" : "");
  }

  private static String quote(String text) {
    return "\"" + escape(text) + "\"";
  }

  private static String escape(String text) {
    // a newline would end a Mermaid line early and ESC would reach the terminal: control
    // characters are written escaped, after the backslashes of the text itself are doubled
    return Printable.escape(text.replace("\\", "\\\\").replace("\"", "\\\""));
  }

  /** Mermaid identifiers: a state's name when it is one, else a generated one. */
  private static final class Ids {
    private final Map<String, String> ids = new HashMap<>();

    boolean isPlain(String name) {
      return name.matches("[A-Za-z_][A-Za-z0-9_]*") && !name.equals("state")
          && !name.equals("end");
    }

    String of(String name) {
      return ids.computeIfAbsent(name, n -> isPlain(n) ? n : "s" + (ids.size() + 1));
    }
  }

  private static String simpleName(String binaryName) {
    return binaryName.substring(Math.max(binaryName.lastIndexOf('.'), binaryName.lastIndexOf('$')) + 1);
  }
}
