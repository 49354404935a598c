package dev.stator.dsl.internal;

import dev.stator.model.StateSpec;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The states of a {@link dev.stator.model.MachineSpec} as a tree, with the engine's rule for
 * resolving a transition's target, for the front ends that must know which state a target names
 * before (or without) compiling: the JSON reader and writer, and the diagram exporters. Names are
 * unique only among siblings, so a name alone does not say which state is meant.
 *
 * <p>Not API: this package is not exported. Paths are built only when asked for and then kept,
 * because a path repeats its ancestors' names and building every one would cost memory quadratic
 * in the depth of the tree.
 *
 * <p><b>Thread-safety:</b> not thread-safe; each reader, writer or exporter builds its own.
 */
public final class SpecTree {

  /** One state in the tree. */
  public static final class Node {
    private final StateSpec<?> spec;
    private final Node parent;
    private final int index;
    private final Map<String, Node> children = new LinkedHashMap<>();
    private String path;

    private Node(StateSpec<?> spec, Node parent, int index) {
      this.spec = spec;
      this.parent = parent;
      this.index = index;
    }

    /** Returns the state as written. */
    public StateSpec<?> spec() {
      return spec;
    }

    /** Returns the state's name. */
    public String name() {
      return spec.name();
    }

    /** Returns the parent, or null for a top-level state. */
    public Node parent() {
      return parent;
    }

    /** Returns the position of the state in document order (parents before children). */
    public int index() {
      return index;
    }

    /** Returns the child of this name, or null. */
    public Node child(String name) {
      return children.get(name);
    }

    /** Returns the path from the top, names joined with {@code /}; built once, on demand. */
    public String path() {
      if (path == null) {
        path = parent == null ? spec.name() : parent.path() + "/" + spec.name();
      }
      return path;
    }

    /** Returns the id of the state's done event: its explicit id, else its path. */
    public String doneId() {
      return spec.id() != null ? spec.id() : path();
    }

    /** Returns whether this state is {@code ancestor} or lies inside it. */
    public boolean isWithin(Node ancestor) {
      for (Node s = this; s != null; s = s.parent) {
        if (s == ancestor) {
          return true;
        }
      }
      return false;
    }

    @Override
    public String toString() {
      return path();
    }
  }

  private final Map<String, Node> top = new LinkedHashMap<>();
  private final List<Node> nodes = new ArrayList<>();
  /** Every state of each name: one entry per name, most names being used once. */
  private final Map<String, List<Node>> byName = new LinkedHashMap<>();
  private final Map<String, Node> byId = new HashMap<>();

  private SpecTree() {}

  /**
   * Builds the tree of top-level states and their descendants. A name repeated among siblings, or
   * an id repeated, keeps its first state (the compiler reports the repetition).
   *
   * @param states the top-level states
   * @return the tree
   */
  public static SpecTree of(List<? extends StateSpec<?>> states) {
    SpecTree tree = new SpecTree();
    tree.add(states, null);
    return tree;
  }

  private void add(List<? extends StateSpec<?>> states, Node parent) {
    for (StateSpec<?> state : states) {
      Node node = new Node(state, parent, nodes.size());
      nodes.add(node);
      (parent == null ? top : parent.children).putIfAbsent(state.name(), node);
      byName.computeIfAbsent(state.name(), n -> new ArrayList<>(1)).add(node);
      if (state.id() != null) {
        byId.putIfAbsent(state.id(), node);
      }
      add(state.children(), node);
    }
  }

  /** Returns every state, parents before children, in document order. */
  public List<Node> nodes() {
    return nodes;
  }

  /** Returns the top-level state of this name, or null. */
  public Node topLevel(String name) {
    return top.get(name);
  }

  /** Returns the state with this explicit id, or null. */
  public Node byId(String id) {
    return byId.get(id);
  }

  /** Returns every state of this name, in document order; empty for none. */
  public List<Node> named(String name) {
    return byName.getOrDefault(name, List.of());
  }

  /** Returns the names of all states, for suggestions. */
  public Collection<String> names() {
    return byName.keySet();
  }

  /** Returns the explicit ids of all states, for suggestions. */
  public Collection<String> ids() {
    return byId.keySet();
  }

  /**
   * Resolves a target as the engine does: {@code #id}; a path from the top ({@code a/b/c}); or a
   * name: the only state of that name, else the nearest to {@code from} (a sibling, else a child
   * of its parent's parent, and so on outwards).
   *
   * @param target the target as written in the model
   * @param from the transition's source (or the history state whose default it is)
   * @return the state, or null when the target names none, or several with none near
   */
  public Node resolve(String target, Node from) {
    if (target.startsWith("#")) {
      // an explicit id, else a path: a state without an id of its own has its path as id
      Node found = byId.get(target.substring(1));
      return found != null ? found : atPath(target.substring(1));
    }
    if (target.indexOf('/') >= 0) {
      return atPath(target);
    }
    return resolveName(target, from);
  }

  private Node atPath(String path) {
    Node at = null;
    for (String segment : path.split("/", -1)) {
      at = at == null ? top.get(segment) : at.child(segment);
      if (at == null) {
        return null;
      }
    }
    return at;
  }

  /**
   * Resolves a bare name as the engine does: the only state of that name, else the nearest to
   * {@code from}, searching its siblings and then outwards.
   *
   * @param name the name
   * @param from where the search starts
   * @return the state, or null
   */
  public Node resolveName(String name, Node from) {
    List<Node> named = byName.get(name);
    if (named == null) {
      return null;
    }
    if (named.size() == 1) {
      return named.get(0);
    }
    for (Node scope = from == null ? null : from.parent; ; scope = scope.parent) {
      Node found = scope == null ? top.get(name) : scope.child(name);
      if (found != null || scope == null) {
        return found;
      }
    }
  }
}
