package dev.stator.dsl.export;

import dev.stator.MachineDefinition;
import dev.stator.dsl.internal.SpecTree;
import dev.stator.internal.text.Printable;
import dev.stator.model.MachineSpec;
import dev.stator.model.StateSpec;
import dev.stator.model.TransitionSpec;
import dev.stator.model.Trigger;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Draws a machine as a diagram: Mermaid {@code stateDiagram-v2} or Graphviz DOT, nested states
 * included, for any definition (from the DSL or any other front end). Transitions are labelled with
 * their trigger ({@code FLIP}, {@code after PT2S}, {@code always}, {@code error IOException},
 * {@code done dial}, {@code done} for a state's own done event), a guard as {@code [guarded]}, and
 * a targetless transition as a loop marked {@code (stay)}; a transition with several targets is one
 * edge per target. Parallel states show their regions (Mermaid's {@code --} separators, dashed DOT
 * clusters) and history states are a node labelled {@code H} (shallow) or {@code H*} (deep).
 * A state is drawn under its name when no other state has it, else under its path. Stateless and
 * thread-safe.
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
    SpecTree tree = SpecTree.of(spec.states());
    Ids ids = new Ids(tree);
    StringBuilder out = new StringBuilder("stateDiagram-v2\n");
    mermaidLevel(out, "    ", tree.topLevel(nonNull(spec.initial())), top(tree), ids, tree);
    return out.toString();
  }

  private static void mermaidLevel(StringBuilder out, String indent, SpecTree.Node initial,
      List<SpecTree.Node> states, Ids ids, SpecTree tree) {
    for (SpecTree.Node state : states) {
      String label = label(state);
      if (!ids.isPlain(state)) {
        out.append(indent).append("state \"").append(escape(label)).append("\" as ")
            .append(ids.of(state)).append('\n');
      }
    }
    if (initial != null) {
      out.append(indent).append("[*] --> ").append(ids.of(initial)).append('\n');
    }
    for (SpecTree.Node state : states) {
      String id = ids.of(state);
      StateSpec<?> spec = state.spec();
      if (spec.isCompound()) {
        out.append(indent).append("state ").append(id).append(" {\n");
        mermaidLevel(out, indent + "    ", state.child(nonNull(spec.initial())), children(state),
            ids, tree);
        out.append(indent).append("}\n");
      } else if (spec.type() == StateSpec.Type.PARALLEL) {
        // each region is a concurrent section, separated by "--"; history nodes join the first
        out.append(indent).append("state ").append(id).append(" {\n");
        boolean first = true;
        List<SpecTree.Node> pseudo = new ArrayList<>();
        for (SpecTree.Node child : children(state)) {
          if (child.spec().isHistory()) {
            pseudo.add(child);
          }
        }
        for (SpecTree.Node region : children(state)) {
          if (region.spec().isHistory()) {
            continue;
          }
          if (!first) {
            out.append(indent).append("    --\n");
          }
          List<SpecTree.Node> section = new ArrayList<>(List.of(region));
          if (first) {
            section.addAll(pseudo);
          }
          mermaidLevel(out, indent + "    ", region, section, ids, tree);
          first = false;
        }
        out.append(indent).append("}\n");
      }
      if (spec.finalState()) {
        out.append(indent).append(id).append(" --> [*]\n");
      }
      if (spec.isHistory() && spec.initial() != null) {
        SpecTree.Node target = tree.resolve(spec.initial(), state);
        out.append(indent).append(id).append(" --> ")
            .append(target == null ? ids.raw(spec.initial()) : ids.of(target)).append(": default\n");
      }
      for (TransitionSpec<?> t : spec.transitions()) {
        String text = Printable.escape(label(t).replace(":", "#58;"));
        for (String target : targetsOf(t, state, tree, ids)) {
          out.append(indent).append(id).append(" --> ").append(target == null ? id : target)
              .append(": ").append(text).append('\n');
        }
      }
    }
  }

  /**
   * Returns the machine as a Graphviz DOT digraph; compound and parallel states are clusters, the
   * regions of a parallel state dashed clusters.
   *
   * @param definition the machine
   * @return the graph's text
   */
  public static String dot(MachineDefinition<?> definition) {
    return dot(Objects.requireNonNull(definition, "definition").spec());
  }

  /**
   * Returns the machine as a Graphviz DOT digraph; compound and parallel states are clusters, the
   * regions of a parallel state dashed clusters.
   *
   * @param spec the machine as written
   * @return the graph's text
   */
  public static String dot(MachineSpec<?> spec) {
    Objects.requireNonNull(spec, "spec");
    SpecTree tree = SpecTree.of(spec.states());
    DotIds ids = new DotIds(tree);
    StringBuilder out = new StringBuilder("digraph ").append(quote(spec.id())).append(" {\n")
        .append("  compound=true;\n  rankdir=LR;\n")
        .append("  node [shape=box, style=rounded, fontname=\"Helvetica\"];\n")
        .append("  edge [fontname=\"Helvetica\", fontsize=10];\n")
        .append("  \"__start\" [shape=point, width=0.15];\n");
    dotLevel(out, "  ", top(tree), false, ids);
    SpecTree.Node initial = spec.initial() == null ? null : tree.topLevel(spec.initial());
    out.append("  \"__start\" -> ").append(quote(initial != null ? ids.of(initial)
            : tree.nodes().isEmpty() ? "__none" : ids.of(tree.nodes().get(0))))
        .append(";\n");
    dotEdges(out, tree, ids);
    return out.append("}\n").toString();
  }

  private static void dotLevel(StringBuilder out, String indent, List<SpecTree.Node> states,
      boolean regions, DotIds ids) {
    for (SpecTree.Node state : states) {
      StateSpec<?> spec = state.spec();
      String id = ids.of(state);
      boolean region = regions && !spec.isHistory();
      if (!spec.children().isEmpty() || region) {
        out.append(indent).append("subgraph ").append(quote("cluster_" + id))
            .append(" {\n").append(indent).append("  label=").append(quote(state.name()))
            .append(";\n").append(indent).append(region ? "  style=dashed;\n" : "  style=rounded;\n");
        if (spec.children().isEmpty()) {
          // an atomic region: the state itself, inside its dashed frame
          out.append(indent).append("  ").append(quote(id)).append(nodeAttributes(state, id));
        } else {
          out.append(indent).append("  ").append(quote(id))
              .append(" [shape=point, width=0.1, label=\"\"];\n");
          dotLevel(out, indent + "  ", children(state), spec.type() == StateSpec.Type.PARALLEL, ids);
        }
        out.append(indent).append("}\n");
      } else {
        out.append(indent).append(quote(id)).append(nodeAttributes(state, id));
      }
    }
  }

  private static String nodeAttributes(SpecTree.Node state, String id) {
    StateSpec<?> spec = state.spec();
    if (spec.isHistory()) {
      return " [shape=circle, label=" + quote(label(state)) + "];\n";
    }
    String name = id.equals(state.name()) ? "" : "label=" + quote(state.name());
    String fin = spec.finalState() ? "peripheries=2" : "";
    String attributes = name.isEmpty() ? fin : fin.isEmpty() ? name : fin + ", " + name;
    return attributes.isEmpty() ? ";\n" : " [" + attributes + "];\n";
  }

  private static void dotEdges(StringBuilder out, SpecTree tree, DotIds ids) {
    for (SpecTree.Node state : tree.nodes()) {
      StateSpec<?> spec = state.spec();
      String id = ids.of(state);
      if (spec.isCompound()) {
        SpecTree.Node initial = state.child(nonNull(spec.initial()));
        out.append("  ").append(quote(id)).append(" -> ")
            .append(quote(initial == null ? ids.of(children(state).get(0)) : ids.of(initial)))
            .append(" [style=dashed, label=\"initial\"];\n");
      }
      if (spec.isHistory() && spec.initial() != null) {
        SpecTree.Node target = tree.resolve(spec.initial(), state);
        out.append("  ").append(quote(id)).append(" -> ")
            .append(quote(target == null ? spec.initial() : ids.of(target)))
            .append(" [style=dashed, label=\"default\"];\n");
      }
      for (TransitionSpec<?> t : spec.transitions()) {
        for (String target : targetsOf(t, state, tree, ids)) {
          out.append("  ").append(quote(id)).append(" -> ").append(quote(target == null ? id : target))
              .append(" [label=").append(quote(label(t))).append("];\n");
        }
      }
    }
  }

  /** The drawn ids of a transition's targets; one null for a targetless transition. */
  private static List<String> targetsOf(TransitionSpec<?> t, SpecTree.Node source, SpecTree tree,
      Ids ids) {
    List<String> out = new ArrayList<>();
    if (t.targets().isEmpty()) {
      out.add(null);
    }
    for (String target : t.targets()) {
      SpecTree.Node resolved = tree.resolve(target, source);
      // an unknown target (a spec not yet validated) is drawn under its own text
      out.add(resolved == null ? ids.raw(target) : ids.of(resolved));
    }
    return out;
  }

  private static List<SpecTree.Node> top(SpecTree tree) {
    List<SpecTree.Node> out = new ArrayList<>();
    for (SpecTree.Node node : tree.nodes()) {
      if (node.parent() == null) {
        out.add(node);
      }
    }
    return out;
  }

  private static List<SpecTree.Node> children(SpecTree.Node node) {
    List<SpecTree.Node> out = new ArrayList<>();
    for (StateSpec<?> child : node.spec().children()) {
      SpecTree.Node found = node.child(child.name());
      if (found != null && !out.contains(found)) {
        out.add(found);
      }
    }
    return out;
  }

  /** A history state is drawn as H (shallow) or H* (deep); any other state under its name. */
  private static String label(SpecTree.Node state) {
    return switch (state.spec().type()) {
      case SHALLOW_HISTORY -> "H";
      case DEEP_HISTORY -> "H*";
      default -> state.name();
    };
  }

  private static String nonNull(String name) {
    return name == null ? "" : name;
  }

  /** The label of a transition: its trigger, [guarded] when it has a guard, (stay) if targetless. */
  static String label(TransitionSpec<?> t) {
    String trigger;
    if (t.trigger() instanceof Trigger.OnEvent onEvent) {
      trigger = String.valueOf(onEvent.event());
    } else if (t.trigger() instanceof Trigger.OnType onType) {
      trigger = onType.type().getSimpleName();
    } else if (t.trigger() instanceof Trigger.OnEventMatching matching) {
      trigger = matching.descriptor();
    } else if (t.trigger() instanceof Trigger.OnError onError) {
      trigger = "error " + simpleName(onError.errorType());
    } else if (t.trigger() instanceof Trigger.OnDone onDone) {
      trigger = "done " + onDone.callId();
    } else if (t.trigger() instanceof Trigger.OnStateDone) {
      trigger = "done";
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

  /**
   * Mermaid identifiers: a state's name when it is an identifier no other state has, else a
   * generated one (history states always, as their label is H or H*).
   */
  private static class Ids {
    final SpecTree tree;
    private final Map<Object, String> ids = new HashMap<>();
    private int generated;

    Ids(SpecTree tree) {
      this.tree = tree;
    }

    boolean isPlain(SpecTree.Node state) {
      String name = state.name();
      return !state.spec().isHistory() && tree.named(name).size() == 1
          && name.matches("[A-Za-z_][A-Za-z0-9_]*") && !name.equals("state") && !name.equals("end");
    }

    String of(SpecTree.Node state) {
      return ids.computeIfAbsent(state, n -> isPlain(state) ? state.name() : "s" + ++generated);
    }

    /** The id of a target that names no state: its text, made an identifier. */
    String raw(String target) {
      return ids.computeIfAbsent(target, n -> "s" + ++generated);
    }
  }

  /** DOT identifiers: a state's name when no other state has it, else its path. */
  private static final class DotIds extends Ids {
    DotIds(SpecTree tree) {
      super(tree);
    }

    @Override
    String of(SpecTree.Node state) {
      return tree.named(state.name()).size() == 1 ? state.name() : state.path();
    }

    @Override
    String raw(String target) {
      return target;
    }
  }

  private static String simpleName(String binaryName) {
    return binaryName.substring(Math.max(binaryName.lastIndexOf('.'), binaryName.lastIndexOf('$')) + 1);
  }
}
