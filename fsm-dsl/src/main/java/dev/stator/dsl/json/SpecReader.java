package dev.stator.dsl.json;

import dev.stator.RecoveryPolicy;
import dev.stator.UnhandledEventPolicy;
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
import java.util.LinkedHashMap;
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
      "exit", "after", "always", "invoke", "onError", "description", "meta");
  private static final Set<String> TRANSITION_KEYS = Set.of("target", "guard", "actions",
      "internal", "description");
  private static final Set<String> ERROR_TRANSITION_KEYS = Set.of("error", "target", "guard",
      "actions", "internal", "description");
  private static final Set<String> INVOKE_KEYS = Set.of("src", "id", "timeout", "onDone", "onError");
  private static final String DEFAULT_CALL_ERROR = "java.lang.Exception";
  private static final Pattern JAVA_NAME = Pattern.compile(
      "[A-Za-z_$][A-Za-z0-9_$]*(?:\\.[A-Za-z_$][A-Za-z0-9_$]*)*");

  /** A target written somewhere, checked once every state name is known. */
  private record TargetRef(String name, Node at) {}

  /** An internal transition, whose target must be a descendant of its source. */
  private record InternalRef(String source, String target, Node at) {}

  private final String source;
  private final Bindings<C> bindings;
  private final JsonLimits limits;
  private final List<JsonProblem> problems = new ArrayList<>();
  private final Map<Bindings.Kind, Set<String>> used = new HashMap<>();
  private final Map<String, Node> states = new LinkedHashMap<>();
  private final Map<String, Node> callIds = new HashMap<>();
  private final List<TargetRef> targets = new ArrayList<>();
  private final List<InternalRef> internals = new ArrayList<>();
  /** Each state's parent, null for a top-level state. */
  private final Map<String, String> parents = new HashMap<>();
  /** Suggestions for misspelt names share one budget, so that many misspellings stay cheap. */
  private final Names.Budget suggestions = Names.Budget.forDocument();
  /** The state whose transitions are being read. */
  private String readingState;
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
    checkTargets();
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
    for (Node.Member member : statesNode.members) {
      if (tooManyStates) {
        break;
      }
      StateSpec<C> child = state(member.name(), member.value(), parent);
      if (child != null) {
        children.add(child);
      }
    }
    return children;
  }

  private StateSpec<C> state(String name, Node node, String parent) {
    if (states.size() >= limits.maxStates()) {
      tooManyStates = true;
      problem(node, "more than " + limits.maxStates() + " states (JsonLimits.maxStates); the rest"
          + " of the document was not read");
      return null;
    }
    if (name.isBlank() || name.contains("/") || name.contains(".") || name.contains("#")) {
      problem(node, "\"" + name + "\" is not a valid state name: expected a name that is not blank"
          + " and has no '/', '.' or '#'");
    }
    parents.putIfAbsent(name, parent);
    Node earlier = states.putIfAbsent(name, node);
    if (earlier != null) {
      problem(node, "state name \"" + name + "\" is already used at " + earlier.pointer()
          + "; state names must be unique in the whole machine");
    }
    if (node.kind != Node.Kind.OBJECT) {
      problem(node, "expected an object describing state \"" + name + "\", found " + node.describe());
      return null;
    }
    checkKeys(node, STATE_KEYS, "a state");
    optionalString(node, "description");
    boolean isFinal = false;
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
          case "parallel" -> problem(type, "parallel states are not supported; expected \"atomic\","
              + " \"compound\" or \"final\"");
          case "history" -> problem(type, "history states are not supported; expected \"atomic\","
              + " \"compound\" or \"final\"");
          default -> problem(type, "unknown state type \"" + kind + "\"; expected \"atomic\","
              + " \"compound\" or \"final\"");
        }
      }
    }
    if (isFinal) {
      for (String key : List.of("states", "on", "after", "always", "invoke", "onError")) {
        Node refused = node.get(key);
        if (refused != null) {
          problem(refused, "a final state cannot have \"" + key + "\": nothing leaves it");
        }
      }
    }
    readingState = name;
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
    List<StateSpec<C>> children = childrenNode == null ? List.of() : children(childrenNode, name);
    String initial = null;
    if (childrenNode != null) {
      initial = initial(node, childrenNode, "state \"" + name + "\"");
    } else if (node.get("initial") != null) {
      problem(node.get("initial"), "\"initial\" names a child, but state \"" + name
          + "\" has no \"states\"");
    }
    String description = node.get("description") != null && node.get("description").isString()
        ? node.get("description").text : null;
    return new StateSpec<>(name, isFinal, initial, children, entry, exit, transitions, invocations,
        description);
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
      String target = target(node);
      out.add(new TransitionSpec<>(trigger, null, target, false, List.of()));
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
    String target = targetNode == null || targetNode.kind == Node.Kind.NULL ? null : target(targetNode);
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
    if (errors && target == null) {
      problem(node, "an expected-error transition needs a \"target\": only leaving and entering"
          + " again makes the states whole after an error");
    }
    if (errors && internal) {
      problem(internalNode, "an expected-error transition cannot be internal");
    } else if (internal && targetNode == null) {
      problem(internalNode, "\"internal\" applies to a transition with a target in a descendant"
          + " of its source; this one has no \"target\"");
    } else if (internal && target != null) {
      internals.add(new InternalRef(readingState, target, internalNode));
    }
    if (actual != null) {
      out.add(new TransitionSpec<>(actual, guard, target, internal, actions));
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

  /** Reads a target, accepting XState's "#id" and ".child" forms and dotted paths. */
  private String target(Node node) {
    if (node.kind == Node.Kind.ARRAY) {
      problem(node, "multiple targets (parallel states) are not supported; expected one state name");
      return null;
    }
    String written = string(node, "a target state name");
    if (written == null) {
      return null;
    }
    if (!isTarget(written)) {
      problem(node, "\"" + written + "\" is not a target; expected a state name, \".name\", \"#name\""
          + " or a dotted path such as \"#machine.parent.name\"");
      return null;
    }
    String name = written.startsWith("#") || written.startsWith(".") ? written.substring(1) : written;
    int dot = name.lastIndexOf('.');
    if (dot >= 0) {
      name = name.substring(dot + 1);
    }
    if (name.isEmpty()) {
      problem(node, "target \"" + written + "\" names no state");
      return null;
    }
    targets.add(new TargetRef(name, node));
    return name;
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

  private void checkTargets() {
    if (tooManyStates) {
      return;
    }
    for (TargetRef ref : targets) {
      if (!states.containsKey(ref.name())) {
        problem(ref.at(), "target \"" + ref.at().text + "\" is not a state"
            + suggest(ref.name(), states.keySet()));
      }
    }
    for (InternalRef ref : internals) {
      if (states.containsKey(ref.target()) && !isDescendant(ref.target(), ref.source())) {
        problem(ref.at(), "an internal transition keeps its source active, so its target must be"
            + " inside state \"" + ref.source() + "\"; \"" + ref.target() + "\" is not");
      }
    }
  }

  private boolean isDescendant(String state, String ancestor) {
    for (String s = parents.get(state); s != null; s = parents.get(s)) {
      if (s.equals(ancestor)) {
        return true;
      }
    }
    return false;
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
