package dev.stator.dsl.json;

import dev.stator.RecoveryPolicy;
import dev.stator.UnhandledEventPolicy;
import dev.stator.dsl.internal.SpecTree;
import dev.stator.internal.ErrorTypes;
import dev.stator.internal.Names;
import dev.stator.model.Action;
import dev.stator.model.Guard;
import dev.stator.model.Invocation;
import dev.stator.model.MachineSpec;
import dev.stator.model.StateSpec;
import dev.stator.model.TransitionSpec;
import dev.stator.model.Trigger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Turns a parsed document into the engine's {@link MachineSpec}, collecting every problem with its
 * place instead of stopping at the first. Names of code are resolved through {@link Bindings};
 * state names are checked after the whole document is read, so that targets may point forward.
 */
final class SpecReader<C> {

  private static final Set<String> ROOT_KEYS = Set.of("id", "initial", "states", "description",
      "meta", "context", "version", "$schema", "recovery", "unhandled");
  private static final Set<String> STATE_KEYS = Set.of("type", "initial", "states", "on", "entry",
      "exit", "after", "always", "invoke", "onError", "onDone", "id", "history", "target",
      "description", "meta");
  private static final Set<String> HISTORY_KEYS = Set.of("type", "history", "target", "id",
      "description", "meta");
  private static final Set<String> TRANSITION_KEYS = Set.of("target", "guard", "actions",
      "internal", "description");
  private static final Set<String> ERROR_TRANSITION_KEYS = Set.of("error", "target", "guard",
      "actions", "internal", "description");
  private static final Set<String> INVOKE_KEYS = Set.of("src", "id", "timeout", "onDone", "onError");
  private static final String DEFAULT_CALL_ERROR = "java.lang.Exception";
  private static final Pattern JAVA_NAME = Pattern.compile(
      "[A-Za-z_$][A-Za-z0-9_$]*(?:\\.[A-Za-z_$][A-Za-z0-9_$]*)*");

  /** A target as written, resolved once every state is known, so that targets may point forward. */
  private record TargetRef(String written, Node at) {}

  /**
   * The targets a transition or a history state was written with; {@code internal} is where an
   * internal transition says so (its targets must lie inside its source), else null.
   */
  private record Written(List<TargetRef> targets, Node internal) {}

  private final String source;
  private final Bindings<C> bindings;
  private final JsonLimits limits;
  private final List<JsonProblem> problems = new ArrayList<>();
  private final Map<Bindings.Kind, Set<String>> used = new HashMap<>();
  private int stateCount;
  /** The explicit ids, where each was first given. */
  private final Map<String, Node> ids = new HashMap<>();
  private final Map<String, Node> callIds = new HashMap<>();
  /** The targets of each transition (and history state) read, by identity of its spec. */
  private final Map<Object, Written> written = new IdentityHashMap<>();
  /** Suggestions for misspelt names share one budget, so that many misspellings stay cheap. */
  private final Names.Budget suggestions = Names.Budget.forDocument();
  private boolean tooManyStates;

  SpecReader(String source, Bindings<C> bindings, JsonLimits limits) {
    this.source = source;
    this.bindings = bindings;
    this.limits = limits;
  }

  /** Returns the problems found, in document order. */
  List<JsonProblem> problems() {
    List<JsonProblem> sorted = new ArrayList<>(problems);
    sorted.sort(java.util.Comparator.comparingInt(JsonProblem::line).thenComparingInt(JsonProblem::column));
    return sorted;
  }



  /** Returns the names of each kind this document used. */
  Map<Bindings.Kind, Set<String>> used() {
    return used;
  }

  /** Reads the machine; returns null when there were problems. */
  MachineSpec<C> read(Node root) {
    if (root.kind != Node.Kind.OBJECT) {
      problem(root, "expected an object describing a machine, found " + root.describe());
      return null;
    }
    checkKeys(root, ROOT_KEYS, "a machine");
    String id = requiredString(root, "id", "the machine's id");
    optionalString(root, "description");
    optionalString(root, "version");
    optionalString(root, "$schema");
    Node meta = root.get("meta");
    if (meta != null && meta.kind != Node.Kind.OBJECT) {
      problem(meta, "expected an object of metadata, found " + meta.describe());
    }
    UnhandledEventPolicy unhandled = unhandled(root.get("unhandled"));
    Node recoveryNode = root.get("recovery");
    RecoveryPolicy<C> recovery = recoveryNode == null ? RecoveryPolicy.exit() : policy(recoveryNode);
    List<StateSpec<C>> topLevel = new ArrayList<>();
    Node statesNode = root.get("states");
    if (statesNode == null) {
      problem(root, "a machine needs \"states\": an object of state name to state");
    } else {
      topLevel = children(statesNode, null);
    }
    String initial = initial(root, statesNode, "the machine");
    if (!tooManyStates) {
      topLevel = resolveTargets(topLevel, id);
    }
    if (!problems.isEmpty()) {
      return null;
    }
    return new MachineSpec<>(id, initial, topLevel, unhandled, recovery);
  }

  // ---------------------------------------------------------------- states

  private List<StateSpec<C>> children(Node statesNode, String parent) {
    List<StateSpec<C>> children = new ArrayList<>();
    if (statesNode.kind != Node.Kind.OBJECT) {
      problem(statesNode, "expected an object of state name to state, found " + statesNode.describe());
      return children;
    }
    if (statesNode.members.isEmpty()) {
      problem(statesNode, "expected at least one state");
    }
    Map<String, Node.Member> siblings = new HashMap<>();
    for (Node.Member member : statesNode.members) {
      if (tooManyStates) {
        break;
      }
      Node.Member earlier = siblings.putIfAbsent(member.name(), member);
      if (earlier != null) {
        problem(member, "duplicate state name \"" + member.name() + "\" (first at line "
            + earlier.line() + ", column " + earlier.column() + "); state names must be unique"
            + " among siblings");
      }
      StateSpec<C> child = state(member.name(), member.value(), parent);
      if (child != null) {
        children.add(child);
      }
    }
    return children;
  }

  private StateSpec<C> state(String name, Node node, String parent) {
    if (stateCount++ >= limits.maxStates()) {
      tooManyStates = true;
      problem(node, "more than " + limits.maxStates() + " states (JsonLimits.maxStates); the rest"
          + " of the document was not read");
      return null;
    }
    if (name.isBlank() || name.contains("/") || name.contains(".") || name.contains("#")) {
      problem(node, "\"" + name + "\" is not a valid state name: expected a name that is not blank"
          + " and has no '/', '.' or '#'");
    }
    if (node.kind != Node.Kind.OBJECT) {
      problem(node, "expected an object describing state \"" + name + "\", found " + node.describe());
      return null;
    }
    checkKeys(node, STATE_KEYS, "a state");
    optionalString(node, "description");
    String id = stateId(node.get("id"));
    boolean isFinal = false;
    boolean parallel = false;
    boolean history = false;
    Node type = node.get("type");
    Node childrenNode = node.get("states");
    if (type != null) {
      String kind = string(type, "a state type");
      if (kind != null) {
        switch (kind) {
          case "final" -> isFinal = true;
          case "atomic" -> {
            if (childrenNode != null) {
              problem(type, "an atomic state has no \"states\"; use \"compound\" or remove the type");
            }
          }
          case "compound" -> {
            if (childrenNode == null) {
              problem(type, "a compound state needs \"states\"");
            }
          }
          case "parallel" -> {
            parallel = true;
            if (childrenNode == null) {
              problem(type, "a parallel state needs \"states\": its regions, two or more");
            }
          }
          case "history" -> history = true;
          default -> problem(type, "unknown state type \"" + kind + "\"; expected \"atomic\","
              + " \"compound\", \"parallel\", \"history\" or \"final\"");
        }
      }
    }
    if (history) {
      return history(name, id, node);
    }
    for (String key : List.of("history", "target")) {
      if (node.get(key) != null) {
        problem(node.get(key), "\"" + key + "\" belongs to a state of \"type\": \"history\""
            + (key.equals("target") ? " (its default target); transitions go in \"on\"" : ""));
      }
    }
    if (isFinal) {
      for (String key : List.of("states", "on", "after", "always", "invoke", "onError", "onDone")) {
        Node refused = node.get(key);
        if (refused != null) {
          problem(refused, "a final state cannot have \"" + key + "\": nothing leaves it");
        }
      }
    }
    List<Action<C, Object>> entry = actions(node.get("entry"));
    List<Action<C, Object>> exit = actions(node.get("exit"));
    List<TransitionSpec<C>> transitions = new ArrayList<>();
    List<Invocation<C>> invocations = new ArrayList<>();
    Node on = node.get("on");
    if (on != null) {
      if (on.kind != Node.Kind.OBJECT) {
        problem(on, "expected an object of event name to transitions, found " + on.describe());
      } else {
        checkKeys(on, null, "an \"on\" object");
        for (Node.Member member : on.members) {
          if (member.name().isEmpty()) {
            problem(member.value(), "an event name cannot be empty");
          }
          transitions(member.value(), new Trigger.OnEvent(member.name()), false, transitions);
        }
      }
    }
    Node after = node.get("after");
    if (after != null) {
      if (after.kind != Node.Kind.OBJECT) {
        problem(after, "expected an object of delay to transitions, found " + after.describe());
      } else {
        checkKeys(after, null, "an \"after\" object");
        for (Node.Member member : after.members) {
          Duration delay = durationText(member.name(), member.value(), "a delay");
          if (delay != null) {
            transitions(member.value(), new Trigger.After(delay), false, transitions);
          }
        }
      }
    }
    Node always = node.get("always");
    if (always != null) {
      transitions(always, new Trigger.Always(), false, transitions);
    }
    Node invoke = node.get("invoke");
    if (invoke != null) {
      if (invoke.kind == Node.Kind.ARRAY) {
        if (invoke.items.isEmpty()) {
          problem(invoke, "expected at least one invoke object");
        }
        for (Node item : invoke.items) {
          invocation(item, invocations, transitions);
        }
      } else {
        invocation(invoke, invocations, transitions);
      }
    }
    Node onError = node.get("onError");
    if (onError != null) {
      transitions(onError, null, true, transitions);
    }
    Node onDone = node.get("onDone");
    if (onDone != null && !isFinal) {
      if (childrenNode == null) {
        problem(onDone, "state \"" + name + "\" has no \"states\", so it is never done; a state's"
            + " \"onDone\" belongs on a compound or parallel state (a call's goes in its \"invoke\")");
      }
      transitions(onDone, new Trigger.OnStateDone(), false, transitions);
    }
    List<StateSpec<C>> children = childrenNode == null ? List.of() : children(childrenNode, name);
    String initial = null;
    if (childrenNode != null && parallel) {
      if (node.get("initial") != null) {
        problem(node.get("initial"), "a parallel state enters all its regions together; remove"
            + " \"initial\"");
      }
    } else if (childrenNode != null) {
      initial = initial(node, childrenNode, "state \"" + name + "\"");
    } else if (node.get("initial") != null) {
      problem(node.get("initial"), "\"initial\" names a child, but state \"" + name
          + "\" has no \"states\"");
    }
    String description = node.get("description") != null && node.get("description").isString()
        ? node.get("description").text : null;
    StateSpec.Type kind = isFinal ? StateSpec.Type.FINAL
        : parallel ? StateSpec.Type.PARALLEL : StateSpec.Type.NORMAL;
    return new StateSpec<>(name, id, kind, initial, children, entry, exit, transitions, invocations,
        null, description);
  }

  /** Reads a history state: {@code "history": "shallow" | "deep"} and a default {@code target}. */
  private StateSpec<C> history(String name, String id, Node node) {
    for (Node.Member member : node.members) {
      if (!HISTORY_KEYS.contains(member.name()) && STATE_KEYS.contains(member.name())) {
        problem(member, "a history state cannot have \"" + member.name() + "\": it is only a place"
            + " to return to, with a default \"target\"");
      }
    }
    StateSpec.Type kind = StateSpec.Type.SHALLOW_HISTORY;
    Node depth = node.get("history");
    String value = depth == null ? "shallow" : string(depth, "\"shallow\" or \"deep\"");
    if ("deep".equals(value)) {
      kind = StateSpec.Type.DEEP_HISTORY;
    } else if (value != null && !value.equals("shallow")) {
      problem(depth, "unknown history \"" + value + "\"; expected \"shallow\" or \"deep\"");
    }
    Node targetNode = node.get("target");
    List<TargetRef> refs = targetNode == null ? List.of() : targets(targetNode, false);
    String description = node.get("description") != null && node.get("description").isString()
        ? node.get("description").text : null;
    StateSpec<C> spec = new StateSpec<>(name, id, kind, refs.isEmpty() ? null : refs.get(0).written(),
        List.of(), List.of(), List.of(), List.of(), List.of(), null, description);
    if (!refs.isEmpty()) {
      written.put(spec, new Written(refs, null));
    }
    return spec;
  }

  /** Reads a state's {@code id}: unique in the machine, and free of what target paths use. */
  private String stateId(Node node) {
    if (node == null) {
      return null;
    }
    String id = string(node, "a state id");
    if (id == null) {
      return null;
    }
    if (id.isBlank() || id.contains("/") || id.contains(".") || id.contains("#")) {
      problem(node, "\"" + id + "\" is not a valid state id: expected an id that is not blank and"
          + " has no '/', '.' or '#' (targets write \"#id.child\")");
      return null;
    }
    Node earlier = ids.putIfAbsent(id, node);
    if (earlier != null) {
      problem(node, "state id \"" + id + "\" is already used at " + earlier.pointer()
          + "; ids must be unique in the machine");
    }
    return id;
  }

  /** Reads {@code initial} of a machine or compound state and checks it names a child. */
  private String initial(Node owner, Node childrenNode, String what) {
    Node initial = owner.get("initial");
    if (initial == null) {
      if (childrenNode != null) {
        problem(owner, what + " needs \"initial\": the name of the child it starts in");
      }
      return null;
    }
    String name = string(initial, "the name of a child state");
    if (name == null || childrenNode == null || childrenNode.kind != Node.Kind.OBJECT) {
      return name;
    }
    if (!childrenNode.members.isEmpty() && childrenNode.get(name) == null) {
      List<String> names = childrenNode.members.stream().map(Node.Member::name).toList();
      problem(initial, "initial state \"" + name + "\" is not a child of " + what
          + suggestOrList(name, names));
    }
    return name;
  }

  // ---------------------------------------------------------------- transitions

  /**
   * Reads transitions written as a target, an object or an array of them. {@code trigger} is null
   * for expected errors, whose trigger comes from each transition's {@code error} key.
   */
  private void transitions(Node node, Trigger trigger, boolean errors, List<TransitionSpec<C>> out) {
    if (node.kind == Node.Kind.ARRAY) {
      if (node.items.isEmpty()) {
        problem(node, "expected at least one transition");
      }
      for (Node item : node.items) {
        if (item.kind == Node.Kind.ARRAY) {
          problem(item, "expected a target or a transition object, found an array");
        } else {
          transition(item, trigger, errors, out);
        }
      }
    } else {
      transition(node, trigger, errors, out);
    }
  }

  private void transition(Node node, Trigger trigger, boolean errors, List<TransitionSpec<C>> out) {
    if (node.kind == Node.Kind.STRING) {
      if (errors && trigger == null) {
        problem(node, "an expected-error transition is an object with \"error\" and \"target\"");
        return;
      }
      List<TargetRef> refs = targets(node, false);
      TransitionSpec<C> spec = new TransitionSpec<>(trigger, null, asWritten(refs), false, List.of());
      written.put(spec, new Written(refs, null));
      out.add(spec);
      return;
    }
    if (node.kind != Node.Kind.OBJECT) {
      problem(node, "expected a target state name or a transition object, found " + node.describe());
      return;
    }
    if (node.get("cond") != null) {
      problem(node.get("cond"), "\"cond\" is XState 4's name for a guard; write \"guard\"");
    }
    checkKeys(node, errors ? ERROR_TRANSITION_KEYS : TRANSITION_KEYS, "a transition", "cond");
    optionalString(node, "description");
    Trigger actual = trigger;
    Node error = node.get("error");
    if (errors) {
      String errorType = trigger instanceof Trigger.OnError given && error == null
          ? given.errorType() : errorType(error, node, trigger == null, "an expected-error transition");
      actual = errorType == null ? null : new Trigger.OnError(errorType);
    }
    Node targetNode = node.get("target");
    if (targetNode != null && targetNode.kind == Node.Kind.NULL) {
      problem(targetNode, "expected a target state name; leave \"target\" out for a targetless"
          + " transition");
    }
    List<TargetRef> refs = targetNode == null || targetNode.kind == Node.Kind.NULL ? List.of()
        : targets(targetNode, true);
    Guard<C, Object> guard = guard(node.get("guard"));
    List<Action<C, Object>> actions = actions(node.get("actions"));
    boolean internal = false;
    Node internalNode = node.get("internal");
    if (internalNode != null) {
      if (internalNode.kind != Node.Kind.BOOLEAN) {
        problem(internalNode, "expected true or false, found " + internalNode.describe());
      } else {
        internal = internalNode.bool;
      }
    }
    if (errors && refs.isEmpty()) {
      problem(node, "an expected-error transition needs a \"target\": only leaving and entering"
          + " again makes the states whole after an error");
    }
    if (errors && internal) {
      problem(internalNode, "an expected-error transition cannot be internal");
    } else if (internal && targetNode == null) {
      problem(internalNode, "\"internal\" applies to a transition with a target in a descendant"
          + " of its source; this one has no \"target\"");
    }
    if (actual != null) {
      TransitionSpec<C> spec = new TransitionSpec<>(actual, guard, asWritten(refs), internal, actions);
      written.put(spec, new Written(refs, internal ? internalNode : null));
      out.add(spec);
    }
  }

  private String errorType(Node error, Node owner, boolean required, String what) {
    if (error == null) {
      if (required) {
        problem(owner, what + " needs \"error\": the fully qualified name of a Java exception type,"
            + " such as \"java.io.IOException\"");
        return null;
      }
      return DEFAULT_CALL_ERROR;
    }
    String name = string(error, "a Java exception type name such as \"java.io.IOException\"");
    if (name == null) {
      return null;
    }
    try {
      ErrorTypes.checkName(name);
      if (!JAVA_NAME.matcher(name).matches()) {
        throw new IllegalArgumentException("\"" + name + "\" is not a Java class name in ASCII letters,"
            + " digits, '_' and '$', such as java.io.IOException");
      }
    } catch (IllegalArgumentException invalid) {
      problem(error, invalid.getMessage());
      return null;
    }
    if (!name.contains(".")) {
      // a bare simple name would silently never match: thrown types are matched by full name
      problem(error, "\"" + name + "\" needs its package: error types are matched by fully qualified"
          + " name, such as \"java.io." + name + "\"");
      return null;
    }
    return name;
  }

  /**
   * Reads one target or, where {@code several} may be written, an array of them (several targets
   * enter several regions of a parallel state together).
   */
  private List<TargetRef> targets(Node node, boolean several) {
    if (node.kind != Node.Kind.ARRAY) {
      TargetRef ref = target(node);
      return ref == null ? List.of() : List.of(ref);
    }
    if (!several) {
      problem(node, "expected one target: a history state has one default target");
      return List.of();
    }
    if (node.items.isEmpty()) {
      problem(node, "expected at least one target; leave \"target\" out for a targetless transition");
    }
    List<TargetRef> refs = new ArrayList<>();
    for (Node item : node.items) {
      TargetRef ref = target(item);
      if (ref != null) {
        refs.add(ref);
      }
    }
    return refs;
  }

  /** Reads a target: a name, XState's "#id" and ".child" forms, or a dotted path. */
  private TargetRef target(Node node) {
    String text = string(node, "a target state name");
    if (text == null) {
      return null;
    }
    if (!isTarget(text)) {
      problem(node, "\"" + text + "\" is not a target; expected a state name, \".name\", \"#name\""
          + " or a dotted path such as \"#machine.parent.name\"");
      return null;
    }
    return new TargetRef(text, node);
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

  private static List<String> asWritten(List<TargetRef> refs) {
    List<String> out = new ArrayList<>(refs.size());
    for (TargetRef ref : refs) {
      out.add(ref.written());
    }
    return out;
  }

  /**
   * Resolves every target now that all states are known, and returns the states with each target
   * in a form the engine resolves to the same state (a name, {@code #id} or a path from the top).
   */
  private List<StateSpec<C>> resolveTargets(List<StateSpec<C>> topLevel, String machineId) {
    SpecTree tree = SpecTree.of(topLevel);
    Map<Object, List<String>> changed = new IdentityHashMap<>();
    for (SpecTree.Node node : tree.nodes()) {
      resolveWritten(node.spec(), node, tree, machineId, changed);
      for (TransitionSpec<?> t : node.spec().transitions()) {
        resolveWritten(t, node, tree, machineId, changed);
      }
    }
    return changed.isEmpty() || !problems.isEmpty() ? topLevel : rewrite(topLevel, changed);
  }

  private void resolveWritten(Object spec, SpecTree.Node source, SpecTree tree, String machineId,
      Map<Object, List<String>> changed) {
    Written w = written.get(spec);
    if (w == null || w.targets().isEmpty()) {
      return;
    }
    List<String> engine = new ArrayList<>(w.targets().size());
    boolean same = true;
    for (TargetRef ref : w.targets()) {
      SpecTree.Node target = resolve(ref, source, tree, machineId);
      if (target == null) {
        return;
      }
      if (w.internal() != null && (target == source || !target.isWithin(source))) {
        problem(w.internal(), "an internal transition keeps its source active, so its target must be"
            + " inside state \"" + source.name() + "\"; \"" + ref.written() + "\" is not");
      }
      String form = engineForm(ref, target, source, tree);
      if (form == null) {
        return;
      }
      same &= form.equals(ref.written());
      engine.add(form);
    }
    if (!same) {
      changed.put(spec, engine);
    }
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
  private List<StateSpec<C>> rewrite(List<StateSpec<C>> states, Map<Object, List<String>> changed) {
    List<StateSpec<C>> out = new ArrayList<>(states.size());
    for (StateSpec<C> s : states) {
      List<TransitionSpec<C>> transitions = new ArrayList<>(s.transitions().size());
      for (TransitionSpec<C> t : s.transitions()) {
        List<String> targets = changed.get(t);
        transitions.add(targets == null ? t
            : new TransitionSpec<>(t.trigger(), t.guard(), targets, t.internal(), t.actions()));
      }
      List<String> historyDefault = changed.get(s);
      out.add(new StateSpec<>(s.name(), s.id(), s.type(),
          historyDefault == null ? s.initial() : historyDefault.get(0), rewrite(s.children(), changed),
          s.entry(), s.exit(), transitions, s.invocations(), s.output(), s.description()));
    }
    return out;
  }


  // ---------------------------------------------------------------- calls

  @SuppressWarnings("unchecked")
  private void invocation(Node node, List<Invocation<C>> out, List<TransitionSpec<C>> transitions) {
    if (node.kind != Node.Kind.OBJECT) {
      problem(node, "expected an invoke object with \"src\", found " + node.describe());
      return;
    }
    checkKeys(node, INVOKE_KEYS, "an invoke");
    Node srcNode = node.get("src");
    String src = null;
    if (srcNode == null) {
      problem(node, "an invoke needs \"src\": the name of a bound call");
    } else if (srcNode.kind == Node.Kind.OBJECT) {
      problem(srcNode, "calls are named by a string; inline call definitions are not supported");
    } else {
      src = string(srcNode, "the name of a bound call");
    }
    Node idNode = node.get("id");
    String id = idNode == null ? src : string(idNode, "a call id");
    if (id != null && id.isEmpty()) {
      problem(idNode, "a call id cannot be empty");
      id = null;
    }
    if (id != null) {
      Node earlier = callIds.putIfAbsent(id, idNode == null ? node : idNode);
      if (earlier != null) {
        problem(idNode == null ? node : idNode, "call id \"" + id + "\" is already used at "
            + earlier.pointer() + "; give each invoke its own \"id\"");
      }
    }
    Node timeoutNode = node.get("timeout");
    Duration timeout = timeoutNode == null ? null : duration(timeoutNode, "a timeout");
    if (timeout != null && timeout.isZero()) {
      problem(timeoutNode, "a timeout must be positive");
      timeout = null;
    }
    Bindings.Call call = src == null ? null : (Bindings.Call) bound(Bindings.Kind.CALL, src, srcNode);
    if (call != null && id != null) {
      if (call.kind() != Invocation.Kind.SYNC && timeoutNode == null) {
        problem(node, "call \"" + src + "\" is " + (call.kind() == Invocation.Kind.ASYNC
            ? "asynchronous" : "blocking") + ": its invoke needs a \"timeout\"");
      } else {
        out.add(new Invocation<>(id, call.kind(), call.function(), timeout));
      }
    }
    Node onDone = node.get("onDone");
    if (onDone != null && id != null) {
      transitions(onDone, new Trigger.OnDone(id), false, transitions);
    }
    Node onError = node.get("onError");
    if (onError != null) {
      transitions(onError, new Trigger.OnError(DEFAULT_CALL_ERROR), true, transitions);
    }
  }

  // ---------------------------------------------------------------- code by name

  @SuppressWarnings("unchecked")
  private List<Action<C, Object>> actions(Node node) {
    List<Action<C, Object>> actions = new ArrayList<>();
    if (node == null) {
      return actions;
    }
    List<Node> names = node.kind == Node.Kind.ARRAY ? node.items : List.of(node);
    for (Node name : names) {
      if (name.kind == Node.Kind.OBJECT) {
        problem(name, "actions are named by a string; XState's object form {\"type\": ...} is not"
            + " supported");
        continue;
      }
      String actionName = string(name, "an action name or an array of action names");
      if (actionName != null) {
        Object action = bound(Bindings.Kind.ACTION, actionName, name);
        if (action != null) {
          actions.add((Action<C, Object>) action);
        }
      }
    }
    return actions;
  }

  @SuppressWarnings("unchecked")
  private Guard<C, Object> guard(Node node) {
    if (node == null) {
      return null;
    }
    if (node.kind == Node.Kind.OBJECT) {
      problem(node, "guards are named by a string; XState's object form {\"type\": ...} is not"
          + " supported");
      return null;
    }
    String name = string(node, "a guard name");
    return name == null ? null : (Guard<C, Object>) bound(Bindings.Kind.GUARD, name, node);
  }

  /** Looks a name up, recording its use; an unbound name is a problem. */
  private Object bound(Bindings.Kind kind, String name, Node at) {
    if (name.isEmpty()) {
      problem(at, "expected the name of a bound " + kind.label + ", found an empty string");
      return null;
    }
    used.computeIfAbsent(kind, k -> new LinkedHashSet<>()).add(name);
    Object value = bindings.lookup(kind, name);
    if (value == null) {
      problem(at, "no " + kind.label + " is bound to the name \"" + name + "\""
          + suggest(name, bindings.names(kind))
          + (bindings.names(kind).isEmpty() ? "; the bindings have no " + kind.label + " at all"
              : ""));
    }
    return value;
  }

  // ---------------------------------------------------------------- policies

  @SuppressWarnings("unchecked")
  private RecoveryPolicy<C> policy(Node node) {
    String type;
    if (node.kind == Node.Kind.STRING) {
      type = node.text;
      if (!type.equals("exit")) {
        problem(node, "only \"exit\" can be written as a string; write the " + type
            + " policy as an object with \"type\"" + (List.of("reset", "shutdown", "byError")
                .contains(type) ? "" : "; expected one of \"exit\", \"reset\", \"shutdown\", \"byError\""));
        return RecoveryPolicy.exit();
      }
      return RecoveryPolicy.exit();
    }
    if (node.kind != Node.Kind.OBJECT) {
      problem(node, "expected a recovery policy (\"exit\" or an object with \"type\"), found "
          + node.describe());
      return RecoveryPolicy.exit();
    }
    Node typeNode = node.get("type");
    if (typeNode == null) {
      problem(node, "a recovery policy needs \"type\": \"exit\", \"reset\", \"shutdown\" or \"byError\"");
      return RecoveryPolicy.exit();
    }
    type = string(typeNode, "a policy type");
    if (type == null) {
      return RecoveryPolicy.exit();
    }
    switch (type) {
      case "exit" -> {
        checkKeys(node, Set.of("type"), "an exit policy");
        return RecoveryPolicy.exit();
      }
      case "reset" -> {
        return reset(node);
      }
      case "shutdown" -> {
        checkKeys(node, Set.of("type", "hook", "deadline"), "a shutdown policy");
        Bindings.Hook hook = hook(node, "hook", true);
        Duration deadline = requiredDuration(node, "deadline", "a shutdown policy");
        if (hook != null && deadline != null) {
          return attempt(node, () -> RecoveryPolicy.<C>shutdownAsync(hook.shutdown(), deadline));
        }
        return RecoveryPolicy.exit();
      }
      case "byError" -> {
        checkKeys(node, Set.of("type", "cases", "otherwise"), "a byError policy");
        RecoveryPolicy.ByCause.Builder<C> byCause = RecoveryPolicy.byCauseBuilder();
        Node cases = node.get("cases");
        if (cases == null || cases.kind != Node.Kind.ARRAY || cases.items.isEmpty()) {
          problem(cases == null ? node : cases, "a byError policy needs \"cases\": an array of"
              + " {\"error\": type name, \"policy\": policy}");
        } else {
          for (Node item : cases.items) {
            if (item.kind != Node.Kind.OBJECT) {
              problem(item, "expected {\"error\": type name, \"policy\": policy}, found " + item.describe());
              continue;
            }
            checkKeys(item, Set.of("error", "policy"), "a byError case");
            String error = errorType(item.get("error"), item, true, "a byError case");
            Node policyNode = item.get("policy");
            if (policyNode == null) {
              problem(item, "a byError case needs \"policy\"");
            }
            RecoveryPolicy<C> policy = policyNode == null ? null : policy(policyNode);
            if (error != null && policy != null) {
              // a refused case leaves the builder as it was
              attempt(item.get("error"), () -> byCause.on(error, policy));
            }
          }
        }
        Node otherwise = node.get("otherwise");
        if (otherwise != null) {
          byCause.otherwise(policy(otherwise));
        }
        return byCause.build();
      }
      default -> {
        problem(typeNode, "unknown recovery policy type \"" + type + "\"; expected \"exit\","
            + " \"reset\", \"shutdown\" or \"byError\" (nothing is loaded by class name)"
            + suggest(type, List.of("exit", "reset", "shutdown", "byError")));
        return RecoveryPolicy.exit();
      }
    }
  }

  @SuppressWarnings("unchecked")
  private RecoveryPolicy<C> reset(Node node) {
    checkKeys(node, Set.of("type", "context", "atMost", "backoff", "jitter", "onReset", "then"),
        "a reset policy");
    Node contextNode = node.get("context");
    java.util.function.Supplier<? extends C> factory = null;
    if (contextNode == null) {
      problem(node, "a reset policy needs \"context\": the name of a bound context factory that"
          + " makes the fresh context");
    } else {
      String name = string(contextNode, "the name of a bound context factory");
      if (name != null) {
        factory = (java.util.function.Supplier<? extends C>) bound(Bindings.Kind.CONTEXT, name, contextNode);
      }
    }
    if (factory == null) {
      return RecoveryPolicy.exit();
    }
    RecoveryPolicy.Reset<C> reset = RecoveryPolicy.reset(factory);
    Node atMost = node.get("atMost");
    if (atMost != null) {
      if (atMost.kind != Node.Kind.OBJECT) {
        problem(atMost, "expected {\"restarts\": count, \"within\": duration}, found " + atMost.describe());
      } else {
        checkKeys(atMost, Set.of("restarts", "within"), "atMost");
        Integer restarts = count(atMost.get("restarts"), atMost, "restarts");
        Duration within = requiredDuration(atMost, "within", "atMost");
        if (restarts != null && within != null) {
          RecoveryPolicy.Reset<C> current = reset;
          reset = orElse(attempt(atMost, () -> current.atMost(restarts, within)), reset);
        }
      }
    }
    Node backoff = node.get("backoff");
    if (backoff != null) {
      if (backoff.kind != Node.Kind.OBJECT) {
        problem(backoff, "expected {\"min\": duration, \"max\": duration}, found " + backoff.describe());
      } else {
        checkKeys(backoff, Set.of("min", "max"), "backoff");
        Duration min = requiredDuration(backoff, "min", "backoff");
        Duration max = requiredDuration(backoff, "max", "backoff");
        if (min != null && max != null) {
          RecoveryPolicy.Reset<C> current = reset;
          reset = orElse(attempt(backoff, () -> current.backoff(min, max)), reset);
        }
      }
    }
    Node jitter = node.get("jitter");
    if (jitter != null) {
      if ((jitter.kind != Node.Kind.DECIMAL && jitter.kind != Node.Kind.INTEGER)
          || !Double.isFinite(number(jitter)) || number(jitter) < 0 || number(jitter) > 1) {
        problem(jitter, "expected a fraction from 0 to 1, found "
            + (jitter.text != null ? jitter.text : jitter.describe()));
      } else {
        RecoveryPolicy.Reset<C> current = reset;
        reset = orElse(attempt(jitter, () -> current.jitter(number(jitter))), reset);
      }
    }
    Node onReset = node.get("onReset");
    if (onReset != null) {
      Bindings.Hook hook = hook(node, "onReset", false);
      if (hook != null) {
        if (hook.synchronous() == null) {
          problem(onReset, "onReset needs a hook bound with Bindings.hook (synchronous), not asyncHook");
        } else {
          RecoveryPolicy.Reset<C> current = reset;
          reset = orElse(attempt(onReset, () -> current.onReset(hook.synchronous())), reset);
        }
      }
    }
    Node then = node.get("then");
    if (then != null) {
      RecoveryPolicy<C> next = policy(then);
      RecoveryPolicy.Reset<C> current = reset;
      reset = orElse(attempt(then, () -> current.then(next)), reset);
    }
    return reset;
  }

  private Bindings.Hook hook(Node owner, String key, boolean required) {
    Node node = owner.get(key);
    if (node == null) {
      if (required) {
        problem(owner, "a shutdown policy needs \"" + key + "\": the name of a bound hook");
      }
      return null;
    }
    String name = string(node, "the name of a bound hook");
    return name == null ? null : (Bindings.Hook) bound(Bindings.Kind.HOOK, name, node);
  }

  private <T> T attempt(Node at, java.util.function.Supplier<T> build) {
    try {
      return build.get();
    } catch (IllegalArgumentException | NullPointerException refused) {
      problem(at, String.valueOf(refused.getMessage()));
      return null;
    }
  }

  private static <T> T orElse(T value, T fallback) {
    return value == null ? fallback : value;
  }

  private UnhandledEventPolicy unhandled(Node node) {
    if (node == null) {
      return UnhandledEventPolicy.IGNORE;
    }
    String value = string(node, "\"ignore\", \"log\" or \"fault\"");
    if (value == null) {
      return UnhandledEventPolicy.IGNORE;
    }
    switch (value) {
      case "ignore", "log", "fault" -> {
        return UnhandledEventPolicy.valueOf(value.toUpperCase(Locale.ROOT));
      }
      default -> {
        problem(node, "unknown unhandled-event policy \"" + value + "\"; expected \"ignore\","
            + " \"log\" or \"fault\"" + suggest(value, List.of("ignore", "log", "fault")));
        return UnhandledEventPolicy.IGNORE;
      }
    }
  }

  // ---------------------------------------------------------------- values

  private Integer count(Node node, Node owner, String key) {
    if (node == null) {
      problem(owner, "needs \"" + key + "\": a whole number");
      return null;
    }
    if (node.kind != Node.Kind.INTEGER || !node.fitsLong || node.integer < 0
        || node.integer > Integer.MAX_VALUE) {
      problem(node, "expected a whole number from 0 to " + Integer.MAX_VALUE + ", found "
          + (node.text != null ? node.text : node.describe()));
      return null;
    }
    return (int) node.integer;
  }

  private double number(Node node) {
    return node.kind == Node.Kind.INTEGER
        ? (node.fitsLong ? node.integer : Double.parseDouble(node.text)) : node.decimal;
  }

  private Duration requiredDuration(Node owner, String key, String what) {
    Node node = owner.get(key);
    if (node == null) {
      problem(owner, what + " needs \"" + key + "\": a duration such as \"5s\"");
      return null;
    }
    Duration duration = duration(node, "\"" + key + "\"");
    if (duration != null && duration.isZero()) {
      problem(node, "\"" + key + "\" must be positive");
      return null;
    }
    return duration;
  }

  /** A duration written as whole milliseconds or as a string. */
  private Duration duration(Node node, String what) {
    if (node.kind == Node.Kind.STRING) {
      return durationText(node.text, node, what);
    }
    if (node.kind == Node.Kind.INTEGER) {
      if (!node.fitsLong) {
        problem(node, what + " of " + node.text + " ms is out of range");
        return null;
      }
      if (node.integer < 0) {
        problem(node, what + " cannot be negative, found " + node.text + " ms");
        return null;
      }
      return Duration.ofMillis(node.integer);
    }
    if (node.kind == Node.Kind.DECIMAL) {
      problem(node, what + " in milliseconds must be a whole number, found " + node.text
          + (Double.isFinite(node.decimal) ? "" : " (out of range)"));
      return null;
    }
    problem(node, "expected " + what + ": milliseconds, or a string such as \"250ms\", \"5s\","
        + " \"2m\", \"1h\" or \"PT5S\", found " + node.describe());
    return null;
  }

  private Duration durationText(String text, Node at, String what) {
    try {
      return DurationText.parse(text, what);
    } catch (IllegalArgumentException unreadable) {
      problem(at, unreadable.getMessage());
      return null;
    }
  }


  private String requiredString(Node owner, String key, String what) {
    Node node = owner.get(key);
    if (node == null) {
      problem(owner, "missing \"" + key + "\": " + what);
      return null;
    }
    String value = string(node, what);
    if (value != null && value.isEmpty()) {
      problem(node, "\"" + key + "\" cannot be empty");
    }
    return value;
  }

  private void optionalString(Node owner, String key) {
    Node node = owner.get(key);
    if (node != null && node.kind != Node.Kind.STRING) {
      problem(node, "expected a string, found " + node.describe());
    }
  }

  private String string(Node node, String expected) {
    if (node.kind != Node.Kind.STRING) {
      problem(node, "expected " + expected + ", found " + node.describe());
      return null;
    }
    return node.text;
  }

  /**
   * Reports duplicate keys, and keys not in {@code allowed} (any key, when it is null). A repeated
   * event or delay would otherwise add a second transition without a word. {@code handled} keys are
   * reported elsewhere.
   */
  private void checkKeys(Node object, Set<String> allowed, String what, String... handled) {
    Map<String, Node.Member> seen = new HashMap<>();
    for (Node.Member member : object.members) {
      Node.Member first = seen.putIfAbsent(member.name(), member);
      if (first != null) {
        problem(member, "duplicate key \"" + member.name() + "\" (first at line " + first.line()
            + ", column " + first.column() + ")");
      }
      if (allowed != null && !allowed.contains(member.name())
          && !List.of(handled).contains(member.name())) {
        problem(member, "unknown key \"" + member.name() + "\" in " + what
            + suggestOrList(member.name(), allowed.stream().sorted().toList()));
      }
    }
  }

  private String suggest(String wrong, java.util.Collection<String> names) {
    String best = suggestions.closest(wrong, names);
    return best == null ? "" : "; did you mean \"" + best + "\"?";
  }

  /** A suggestion when one name is close, else the list of what was expected. */
  private String suggestOrList(String wrong, List<String> names) {
    String suggestion = suggest(wrong, names);
    return suggestion.isEmpty() ? "; expected one of " + quoted(names) : suggestion;
  }

  private static String quoted(List<String> names) {
    List<String> shown = names.size() > 12 ? names.subList(0, 12) : names;
    StringBuilder out = new StringBuilder();
    for (String name : shown) {
      out.append(out.length() == 0 ? "" : ", ").append('"').append(name).append('"');
    }
    return names.size() > shown.size() ? out + ", …" : out.toString();
  }

  private void problem(Node at, String message) {
    problems.add(new JsonProblem(source, at.pointer(), at.line, at.column, message));
  }

  private void problem(Node.Member at, String message) {
    problems.add(new JsonProblem(source, at.value().pointer(), at.line(), at.column(), message));
  }
}
