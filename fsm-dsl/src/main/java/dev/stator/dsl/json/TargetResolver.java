package dev.stator.dsl.json;

import dev.stator.dsl.internal.SpecTree;
import dev.stator.model.StateSpec;
import dev.stator.model.TransitionSpec;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Resolves the targets of transitions and history states once the whole document is read, so that
 * targets may point forward: it keeps the targets as each spec was written with them, checks that
 * each names a state, and rewrites them into a form the engine resolves to the same state. Made for
 * one {@link SpecReader} and used by it on one thread; not thread-safe.
 */
final class TargetResolver<C> {

  /** A target as written, resolved once every state is known, so that targets may point forward. */
  record TargetRef(String written, Node at) {}

  /** Whether a transition whose targets lie in its source exits and re-enters the source. */
  enum Reentry {
    /** Always exits and re-enters ({@code "reenter": true}, {@code "internal": false}, errors). */
    ALWAYS,
    /** XState v5's default: a target in the source (or the source itself) keeps it active. */
    V5_DEFAULT,
    /** {@code "internal": true}: as the default, and its targets must lie in the source. */
    NEVER_REQUIRED
  }

  /**
   * The targets a transition or a history state was written with; {@code internal} is where an
   * internal transition says so (its targets must lie inside its source), else null.
   */
  private record Written(List<TargetRef> targets, Node internal, Reentry reentry) {}

  /** A transition's targets in the engine's form, and whether it is internal. */
  private record Resolved(List<String> targets, boolean internal) {}

  private final ReadContext context;
  /** The targets of each transition (and history state) read, by identity of its spec. */
  private final Map<Object, Written> written = new IdentityHashMap<>();
  /** The specs resolved so far. */
  private final java.util.Set<Object> resolved =
      java.util.Collections.newSetFromMap(new IdentityHashMap<>());

  TargetResolver(ReadContext context) {
    this.context = context;
  }

  /**
   * Keeps the targets {@code spec} was written with; {@code internal} is where an internal
   * transition says so, else null.
   */
  void record(Object spec, List<TargetRef> targets, Node internal, Reentry reentry) {
    written.put(spec, new Written(targets, internal, reentry));
  }

  /**
   * Resolves every target now that all states are known, and returns the states with each target
   * in a form the engine resolves to the same state (a name, {@code #id} or a path from the top).
   */
  List<StateSpec<C>> resolveTargets(List<StateSpec<C>> topLevel, String machineId) {
    SpecTree tree = SpecTree.of(topLevel);
    Map<Object, Resolved> changed = new IdentityHashMap<>();
    for (SpecTree.Node node : tree.nodes()) {
      resolveWritten(node.spec(), node, tree, machineId, changed);
      for (TransitionSpec<?> t : node.spec().transitions()) {
        resolveWritten(t, node, tree, machineId, changed);
      }
    }
    return changed.isEmpty() || context.hasProblems() ? topLevel : rewrite(topLevel, changed);
  }

  private void resolveWritten(Object spec, SpecTree.Node source, SpecTree tree, String machineId,
      Map<Object, Resolved> changed) {
    Written w = written.get(spec);
    if (w == null || w.targets().isEmpty() || changed.containsKey(spec) || !resolved.add(spec)) {
      // the root's transitions are shared by the top-level states: resolved (and reported) once
      return;
    }
    List<String> engine = new ArrayList<>(w.targets().size());
    List<SpecTree.Node> states = new ArrayList<>(w.targets().size());
    boolean same = true;
    for (TargetRef ref : w.targets()) {
      SpecTree.Node target = resolve(ref, source, tree, machineId);
      if (target == null) {
        return;
      }
      if (w.internal() != null && !target.isWithin(source)) {
        problem(w.internal(), "an internal transition keeps its source active, so its target must be"
            + " inside state \"" + source.name() + "\" (or be that state); \"" + ref.written()
            + "\" is not");
      }
      String form = engineForm(ref, target, source, tree);
      if (form == null) {
        return;
      }
      same &= form.equals(ref.written());
      engine.add(form);
      states.add(target);
    }
    if (w.reentry() != Reentry.ALWAYS && spec instanceof TransitionSpec<?>
        && states.stream().allMatch(target -> target.isWithin(source))) {
      changed.put(spec, withoutReentry(source, states, engine));
    } else if (!same) {
      changed.put(spec, new Resolved(engine, false));
    }
  }

  /**
   * XState v5's transition to targets inside its source without {@code reenter}: the source stays
   * active, which is the engine's internal transition when every target is a proper descendant.
   * A target that is the source itself means its default entry below it: nothing for an atomic
   * source (the transition only runs its actions), the initial child for a compound one, every
   * region for a parallel one; beside other targets it adds nothing.
   */
  private static Resolved withoutReentry(SpecTree.Node source, List<SpecTree.Node> states,
      List<String> engine) {
    List<String> targets = new ArrayList<>();
    for (int i = 0; i < states.size(); i++) {
      if (states.get(i) != source) {
        targets.add(engine.get(i));
      }
    }
    if (targets.isEmpty()) {
      StateSpec<?> spec = source.spec();
      if (spec.type() == StateSpec.Type.PARALLEL) {
        for (StateSpec<?> region : spec.children()) {
          targets.add(source.child(region.name()).path());
        }
      } else if (spec.isCompound() && spec.initial() != null
          && source.child(spec.initial()) != null) {
        targets.add(source.child(spec.initial()).path());
      }
    }
    return new Resolved(targets, !targets.isEmpty());
  }

  /**
   * Finds the state a target names, from its source: a name is resolved from the source outwards
   * (a sibling first; a name only one state has is that state); {@code ".a.b"} starts at the
   * source's child {@code a}; {@code "a.b"} at the state the name {@code a} resolves to;
   * {@code "#id.a"} at the state with that id, or at the top when {@code id} is the machine's id
   * and no state has it. {@code "#name"} of a state without ids, whose name is unique, still names
   * it, as it did before states had ids.
   */
  private SpecTree.Node resolve(TargetRef ref, SpecTree.Node source, SpecTree tree,
      String machineId) {
    String text = ref.written();
    String[] segments;
    SpecTree.Node at;
    int next = 1;
    if (text.startsWith("#")) {
      segments = text.substring(1).split("\\.");
      at = tree.byId(segments[0]);
      if (at == null && tree.named(segments[0]).size() == 1) {
        at = tree.named(segments[0]).get(0);
      }
      if (at == null && segments[0].equals(machineId)) {
        if (segments.length == 1) {
          problem(ref.at(), "target \"" + text + "\" is the machine itself; target one of its states");
          return null;
        }
        at = tree.topLevel(segments[1]);
        next = 2;
        if (at == null) {
          problem(ref.at(), "target \"" + text + "\" is not a state: the machine has no top-level"
              + " state \"" + segments[1] + "\"" + suggest(segments[1], topNames(tree)));
          return null;
        }
      }
      if (at == null) {
        problem(ref.at(), "target \"" + text + "\": no state has id \"" + segments[0] + "\""
            + suggest(segments[0], tree.ids()));
        return null;
      }
    } else if (text.startsWith(".")) {
      segments = text.substring(1).split("\\.");
      at = source;
      next = 0;
    } else {
      segments = text.split("\\.");
      at = tree.resolveName(segments[0], source);
      if (at == null) {
        List<SpecTree.Node> named = tree.named(segments[0]);
        if (named.isEmpty()) {
          problem(ref.at(), "target \"" + text + "\" is not a state"
              + suggest(segments[0], tree.names()));
        } else {
          problem(ref.at(), "target \"" + text + "\": " + named.size() + " states are named \""
              + segments[0] + "\", none a sibling of \"" + source.name() + "\" or of its ancestors;"
              + " give the one meant an \"id\" and write \"#id\", or write its path from the top"
              + " (\"#" + machineId + "." + named.get(0).path().replace('/', '.') + "\")");
        }
        return null;
      }
    }
    for (int i = next; i < segments.length; i++) {
      SpecTree.Node child = at.child(segments[i]);
      if (child == null) {
        problem(ref.at(), "target \"" + text + "\" is not a state: \"" + at.path() + "\" has no child \""
            + segments[i] + "\"" + suggest(segments[i], childNames(at)));
        return null;
      }
      at = child;
    }
    return at;
  }

  /**
   * The target as the engine should read it: as written when the engine resolves that to the same
   * state (a name or {@code #id}); else {@code #id}, the bare name, or the path from the top.
   */
  private String engineForm(TargetRef ref, SpecTree.Node target, SpecTree.Node source,
      SpecTree tree) {
    String text = ref.written();
    if (tree.resolve(text, source) == target) {
      return text;
    }
    if (target.spec().id() != null) {
      return "#" + target.spec().id();
    }
    if (tree.resolveName(target.name(), source) == target) {
      return target.name();
    }
    if (target.parent() == null) {
      // the engine's paths need a '/', and its names resolve to the nearer state
      problem(ref.at(), "target \"" + text + "\" is top-level state \"" + target.name() + "\", but"
          + " from \"" + source.path() + "\" that name means \"" + tree.resolveName(target.name(),
              source).path() + "\"; give the top-level state an \"id\" and write \"#id\"");
      return null;
    }
    return target.path();
  }

  private static List<String> topNames(SpecTree tree) {
    List<String> names = new ArrayList<>();
    for (SpecTree.Node node : tree.nodes()) {
      if (node.parent() == null) {
        names.add(node.name());
      }
    }
    return names;
  }

  private static List<String> childNames(SpecTree.Node node) {
    return node.spec().children().stream().map(StateSpec::name).toList();
  }

  /** Copies the states with the targets in {@code changed} replaced; the rest is shared. */
  private List<StateSpec<C>> rewrite(List<StateSpec<C>> states, Map<Object, Resolved> changed) {
    List<StateSpec<C>> out = new ArrayList<>(states.size());
    for (StateSpec<C> s : states) {
      List<TransitionSpec<C>> transitions = new ArrayList<>(s.transitions().size());
      for (TransitionSpec<C> t : s.transitions()) {
        Resolved resolved = changed.get(t);
        transitions.add(resolved == null ? t : new TransitionSpec<>(t.trigger(), t.guard(),
            resolved.targets(), resolved.internal(), t.actions()));
      }
      Resolved historyDefault = changed.get(s);
      out.add(new StateSpec<>(s.name(), s.id(), s.type(),
          historyDefault == null ? s.initial() : historyDefault.targets().get(0),
          rewrite(s.children(), changed),
          s.entry(), s.exit(), transitions, s.invocations(), s.output(), s.description(),
          s.tags()));
    }
    return out;
  }

  private String suggest(String wrong, java.util.Collection<String> names) {
    return context.suggest(wrong, names);
  }

  private void problem(Node at, String message) {
    context.problem(at, message);
  }

  /**
   * Whether {@code written} is an optional '.' or '#', then names without '/', '.' or '#' joined by
   * single dots. Checked by hand: a regular expression's matcher costs more than the rest of
   * reading a transition.
   */
  static boolean isTarget(String written) {
    int start = written.startsWith(".") || written.startsWith("#") ? 1 : 0;
    int segment = 0;
    for (int i = start; i < written.length(); i++) {
      char c = written.charAt(i);
      if (c == '.') {
        if (segment == 0) {
          return false;
        }
        segment = 0;
      } else if (c == '/' || c == '#') {
        return false;
      } else {
        segment++;
      }
    }
    return segment > 0;
  }

}
