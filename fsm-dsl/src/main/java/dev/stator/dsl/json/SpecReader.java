package dev.stator.dsl.json;

import dev.stator.RecoveryPolicy;
import dev.stator.UnhandledEventPolicy;
import dev.stator.dsl.json.TargetResolver.TargetRef;
import dev.stator.model.Action;
import dev.stator.model.Guard;
import dev.stator.model.Invocation;
import dev.stator.model.MachineSpec;
import dev.stator.model.Output;
import dev.stator.model.StateSpec;
import dev.stator.model.TransitionSpec;
import dev.stator.model.Trigger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns a parsed document into the engine's {@link MachineSpec}, collecting every problem with its
 * place instead of stopping at the first. Names of code are resolved through {@link Bindings};
 * state names are checked after the whole document is read, so that targets may point forward.
 */
final class SpecReader<C> {

  private static final Set<String> ROOT_KEYS = Set.of("id", "initial", "states", "description",
      "meta", "context", "version", "$schema", "recovery", "unhandled", "on", "always", "entry",
      "exit", "after", "type", "output", "delays", "invoke");
  /** Root keys of XState that say nothing to Stator: read, ignored, and noted as warnings. */
  private static final Map<String, String> IGNORED_ROOT_KEYS = Map.of(
      "predictableActionArguments", "XState 4's option; Stator always runs actions in order, when"
          + " their transition is taken",
      "preserveActionOrder", "XState 4's option; Stator always runs actions in document order",
      "tsTypes", "type information for TypeScript",
      "schema", "type information for TypeScript",
      "types", "type information for TypeScript (XState 5's setup)",
      "strict", "XState 4's option; XState 5 ignores it too, and Stator's \"unhandled\": \"fault\""
          + " is the way to refuse events no state takes");
  private static final Set<String> STATE_KEYS = Set.of("type", "initial", "states", "on", "entry",
      "exit", "after", "always", "invoke", "onError", "onDone", "id", "history", "target",
      "tags", "description", "meta", "output", "data", "onEntry", "onExit", "activities");
  private static final Set<String> HISTORY_KEYS = Set.of("type", "history", "target", "id",
      "description", "meta");
  private static final Set<String> TRANSITION_KEYS = Set.of("target", "guard", "cond", "actions",
      "reenter", "internal", "description", "meta");
  private static final Set<String> ERROR_TRANSITION_KEYS = Set.of("error", "target", "guard",
      "cond", "actions", "reenter", "internal", "description", "meta");
  private static final Set<String> INVOKE_KEYS = Set.of("src", "id", "timeout", "onDone", "onError",
      "input", "data", "idempotent");
  private static final String DEFAULT_CALL_ERROR = ReadContext.DEFAULT_CALL_ERROR;

  private final ReadContext context;
  private final JsonLimits limits;
  private final RecoveryReader<C> recoveryReader;
  private final CodeReader<C> code;
  /** The targets of each transition (and history state) read, resolved after the whole document. */
  private final TargetResolver<C> resolver;
  private int stateCount;
  /** The explicit ids, where each was first given. */
  private final Map<String, Node> ids = new HashMap<>();
  private final Map<String, Node> callIds = new HashMap<>();
  private boolean tooManyStates;
  private final List<String> notes = new ArrayList<>();
  /** The root's calls, read with its transitions. */
  private final List<Invocation<C>> rootCalls = new ArrayList<>();
  /** Whether the transitions being read are the root's, which every top-level state takes. */
  private boolean rootLevel;

  SpecReader(String source, Bindings<C> bindings, JsonLimits limits) {
    this.context = new ReadContext(source, bindings);
    this.limits = limits;
    this.recoveryReader = new RecoveryReader<>(context);
    this.code = new CodeReader<>(context);
    this.resolver = new TargetResolver<>(context);
  }

  /** Returns the problems found, in document order. */
  List<JsonProblem> problems() {
    return context.problems();
  }

  /** Returns what was read and ignored, as warnings, in document order. */
  List<String> notes() {
    return notes;
  }

  /** Returns the names of each kind this document used. */
  Map<Bindings.Kind, Set<String>> used() {
    return context.used();
  }

  /** Reads the machine; returns null when there were problems. */
  MachineSpec<C> read(Node root) {
    if (root.kind != Node.Kind.OBJECT) {
      problem(root, "expected an object describing a machine, found " + root.describe());
      return null;
    }
    checkKeys(root, ROOT_KEYS, "a machine", IGNORED_ROOT_KEYS.keySet().toArray(new String[0]));
    // XState's machine id is optional: without one, the source's name stands in
    String id = root.get("id") == null ? defaultId() : requiredString(root, "id", "the machine's id");
    for (Node.Member member : root.members) {
      String why = IGNORED_ROOT_KEYS.get(member.name());
      if (why != null) {
        notes.add(member.value().pointer() + ": \"" + member.name() + "\" is ignored: " + why);
      }
    }
    optionalString(root, "description");
    optionalString(root, "version");
    optionalString(root, "$schema");
    Node meta = root.get("meta");
    if (meta != null && meta.kind != Node.Kind.OBJECT) {
      problem(meta, "expected an object of metadata, found " + meta.describe());
    }
    code.documentDelays(RootState.delays(root.get("delays"), context));
    UnhandledEventPolicy unhandled = recoveryReader.unhandled(root.get("unhandled"));
    Node recoveryNode = root.get("recovery");
    RecoveryPolicy<C> recovery = recoveryNode == null ? RecoveryPolicy.exit()
        : recoveryReader.policy(recoveryNode);
    List<StateSpec<C>> topLevel = new ArrayList<>();
    Node statesNode = root.get("states");
    if (statesNode == null) {
      problem(root, "a machine needs \"states\": an object of state name to state");
    } else {
      topLevel = children(statesNode, null);
    }
    boolean parallel = RootState.isParallel(root.get("type"), context);
    String initial = null;
    if (!parallel) {
      initial = initial(root, statesNode, "the machine");
    } else if (root.get("initial") != null) {
      problem(root.get("initial"), "a parallel machine enters all its top-level states together,"
          + " its regions; remove \"initial\"");
    }
    topLevel = withRoot(root, topLevel, initial, id);
    if (!tooManyStates) {
      topLevel = resolver.resolveTargets(topLevel, id);
    }
    List<Action<C, Object>> exit = code.actions(root.get("exit"));
    Output<C> output = code.output(root.get("output"));
    if (context.hasProblems()) {
      return null;
    }
    return new MachineSpec<>(id, initial, topLevel, unhandled, recovery, parallel, exit, output,
        rootCalls);
  }

  /**
   * Reads what the root writes as a state (XState's root is one): its {@code on}, {@code always}
   * and {@code after} transitions and those of its calls, which always exit the active top-level
   * state (the root is their domain), and its {@code entry}; {@link RootState} gives them to the
   * top-level states. Its calls go to {@link #rootCalls}.
   */
  /** The first {@code "reenter": true} of a transition of the root, or null. */
  private Node rootReenter;

  private List<StateSpec<C>> withRoot(Node root, List<StateSpec<C>> topLevel, String initial,
      String machineId) {
    List<TransitionSpec<C>> shared = new ArrayList<>();
    List<RootState.StartTimer<C>> timers = new ArrayList<>();
    rootLevel = true;
    try {
      eventTransitions(root.get("on"), shared);
      // the root's calls: the machine makes them; their transitions are the root's
      invocations(root.get("invoke"), rootCalls, shared);
      Node always = root.get("always");
      if (always != null) {
        transitions(always, new Trigger.Always(), false, shared);
      }
      Node after = root.get("after");
      if (after != null && after.kind != Node.Kind.OBJECT) {
        problem(after, "expected an object of delay to transitions, found " + after.describe());
      } else if (after != null) {
        checkKeys(after, null, "an \"after\" object");
        for (Node.Member member : after.members) {
          Duration delay = code.delay(member.name(), member.value());
          if (delay != null) {
            String event = RootState.timerEvent(member.name(), machineId);
            timers.add(new RootState.StartTimer<>(member.name(), delay, event));
            transitions(member.value(), new Trigger.OnEvent(event), false, shared);
            // a timer whose guards all fail does nothing, as a state's own: never an unhandled event
            shared.add(new TransitionSpec<>(new Trigger.OnEvent(event), null, List.of(), false,
                List.of()));
          }
        }
      }
    } finally {
      rootLevel = false;
    }
    // XState exits and enters the root again for such a transition; Stator never exits the root
    // of a running machine, which is the same unless the root itself does something
    if (rootReenter != null && (root.get("entry") != null || root.get("exit") != null
        || root.get("invoke") != null || !timers.isEmpty())) {
      problem(rootReenter, "\"reenter\": true on a transition of the root exits and enters the"
          + " root again in XState, running its entry and exit actions and restarting its delays"
          + " and calls; Stator never exits the root of a running machine: leave \"reenter\" out,"
          + " or move what the root does into a state");
    }
    return RootState.apply(topLevel, initial, shared, code.actions(root.get("entry")), timers);
  }

  /** The machine id of a document without one: its file name without the extension. */
  private String defaultId() {
    String name = context.source();
    name = name.substring(Math.max(name.lastIndexOf('/'), name.lastIndexOf('\\')) + 1);
    if (name.endsWith(".json")) {
      name = name.substring(0, name.length() - ".json".length());
    }
    return name.isBlank() ? "machine" : name;
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
    List<Action<C, Object>> entry = code.actions(context.withV4Name(node, "entry", "onEntry"));
    List<Action<C, Object>> exit = code.actions(context.withV4Name(node, "exit", "onExit"));
    if (node.get("activities") != null) {
      notes.add(node.get("activities").pointer() + ": \"activities\" is ignored: XState 4's"
          + " activities, which XState 5 does not run either; an \"invoke\" is the way now");
    }
    Node output = context.withV4Name(node, "output", "data");
    if (output != null && !isFinal) {
      problem(output, "\"" + output.name + "\" is the done data of a final state; state \"" + name
          + "\" is not final (add \"type\": \"final\", or move it to its final child)");
      output = null;
    }
    List<TransitionSpec<C>> transitions = new ArrayList<>();
    List<Invocation<C>> invocations = new ArrayList<>();
    eventTransitions(node.get("on"), transitions);
    Node after = node.get("after");
    if (after != null) {
      if (after.kind != Node.Kind.OBJECT) {
        problem(after, "expected an object of delay to transitions, found " + after.describe());
      } else {
        checkKeys(after, null, "an \"after\" object");
        for (Node.Member member : after.members) {
          Duration delay = code.delay(member.name(), member.value());
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
    invocations(node.get("invoke"), invocations, transitions);
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
        code.output(output), description, context.tags(node.get("tags")));
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
      resolver.record(spec, refs, null, TargetResolver.Reentry.ALWAYS);
    }
    return spec;
  }

  /** Reads an {@code on} object (of a state or of the root) into {@code into}; null: none. */
  private void eventTransitions(Node on, List<TransitionSpec<C>> into) {
    if (on == null) {
      return;
    }
    if (on.kind != Node.Kind.OBJECT) {
      problem(on, "expected an object of event name to transitions, found " + on.describe());
      return;
    }
    checkKeys(on, null, "an \"on\" object");
    for (Node.Member member : on.members) {
      // XState 4's eventless transition: the empty event, "always" since
      Trigger trigger = member.name().isEmpty() ? new Trigger.Always()
          : context.eventTrigger(member);
      transitions(member.value(), trigger, false, into);
    }
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
      resolver.record(spec, refs, null, errors || rootLevel ? TargetResolver.Reentry.ALWAYS
          : TargetResolver.Reentry.V5_DEFAULT);
      out.add(spec);
      return;
    }
    if (node.kind != Node.Kind.OBJECT) {
      problem(node, "expected a target state name or a transition object, found " + node.describe());
      return;
    }
    checkKeys(node, errors ? ERROR_TRANSITION_KEYS : TRANSITION_KEYS, "a transition");
    // XState v4's "cond" is read as "guard"; both on one transition would be two guards
    Node guardNode = node.get("guard");
    if (node.get("cond") != null) {
      if (guardNode != null) {
        problem(node.get("cond"), "\"cond\" is XState 4's name for \"guard\"; write one of them");
      } else {
        guardNode = node.get("cond");
      }
    }
    optionalString(node, "description");
    Trigger actual = trigger;
    Node error = node.get("error");
    if (errors) {
      String errorType = trigger instanceof Trigger.OnError given && error == null
          ? given.errorType() : errorType(error, node, trigger == null, "an expected-error transition");
      String call = trigger instanceof Trigger.OnError given ? given.call() : null;
      actual = errorType == null ? null : new Trigger.OnError(errorType, call);
    }
    Node targetNode = node.get("target");
    if (targetNode != null && targetNode.kind == Node.Kind.STRING && targetNode.text.isEmpty()) {
      // XState 4's "target": "" is a targetless transition, as XState 5 reads it too
      targetNode = null;
    }
    if (targetNode != null && targetNode.kind == Node.Kind.NULL) {
      problem(targetNode, "expected a target state name; leave \"target\" out for a targetless"
          + " transition");
    }
    List<TargetRef> refs = targetNode == null || targetNode.kind == Node.Kind.NULL ? List.of()
        : targets(targetNode, true);
    Guard<C, Object> guard = code.guard(guardNode);
    List<Action<C, Object>> actions = code.actions(node.get("actions"));
    // XState v5: a target inside the source, or the source itself, leaves the source active
    // unless "reenter": true; "internal" is XState v4's (and Stator's earlier) way to say it
    Node reenterNode = node.get("reenter");
    Node internalNode = node.get("internal");
    Boolean reenter = flag(reenterNode);
    Boolean internal = flag(internalNode);
    if (reenter != null && internal != null) {
      problem(internalNode, "write either \"reenter\" (XState v5) or \"internal\" (XState v4),"
          + " not both");
      internal = null;
    }
    // an invoke's onError handles only its call's failure, which arrives in a step of its own: it
    // may stay; any other expected error may strike mid-entry and must leave and enter again
    boolean anyError = errors && !(trigger instanceof Trigger.OnError given && given.call() != null);
    if (anyError && refs.isEmpty()) {
      problem(node, "an expected-error transition needs a \"target\": only leaving and entering"
          + " again makes the states whole after an error (an invoke's onError may leave it out)");
    }
    Node modeNode = reenterNode != null ? reenterNode : internalNode;
    if (anyError && (Boolean.FALSE.equals(reenter) || Boolean.TRUE.equals(internal))) {
      problem(modeNode, "an expected-error transition cannot be internal: it always exits and"
          + " re-enters");
    } else if (targetNode == null && (reenter != null || Boolean.TRUE.equals(internal))) {
      problem(modeNode, "\"" + (reenterNode != null ? "reenter" : "internal") + "\" applies to a"
          + " transition with a target in its source or a descendant; this one has no \"target\"");
    }
    if (rootLevel && Boolean.TRUE.equals(reenter) && rootReenter == null) {
      rootReenter = reenterNode;
    }
    if (actual != null) {
      TransitionSpec<C> spec = new TransitionSpec<>(actual, guard, asWritten(refs), false, actions);
      TargetResolver.Reentry reentry = anyError || rootLevel ? TargetResolver.Reentry.ALWAYS
          : Boolean.TRUE.equals(reenter) || Boolean.FALSE.equals(internal)
              ? TargetResolver.Reentry.ALWAYS
              : Boolean.TRUE.equals(internal) ? TargetResolver.Reentry.NEVER_REQUIRED
              : TargetResolver.Reentry.V5_DEFAULT;
      resolver.record(spec, refs, reentry == TargetResolver.Reentry.NEVER_REQUIRED ? internalNode
          : null, reentry);
      out.add(spec);
    }
  }

  /** Reads an optional boolean; null when absent or not a boolean (reported). */
  private Boolean flag(Node node) {
    if (node == null) {
      return null;
    }
    if (node.kind != Node.Kind.BOOLEAN) {
      problem(node, "expected true or false, found " + node.describe());
      return null;
    }
    return node.bool;
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
    if (!several && node.items.size() != 1) {
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
    if (!TargetResolver.isTarget(text)) {
      problem(node, "\"" + text + "\" is not a target; expected a state name, \".name\", \"#name\""
          + " or a dotted path such as \"#machine.parent.name\"");
      return null;
    }
    if (rootLevel && text.startsWith(".")) {
      // the root's child: a top-level state, which its name names from any top-level state
      text = text.substring(1);
    }
    return new TargetRef(text, node);
  }

  private static List<String> asWritten(List<TargetRef> refs) {
    List<String> out = new ArrayList<>(refs.size());
    for (TargetRef ref : refs) {
      out.add(ref.written());
    }
    return out;
  }

  // ---------------------------------------------------------------- calls

  /** Reads an {@code invoke}: one invoke object or an array of them. */
  private void invocations(Node invoke, List<Invocation<C>> out,
      List<TransitionSpec<C>> transitions) {
    if (invoke == null) {
      return;
    }
    if (invoke.kind == Node.Kind.ARRAY) {
      if (invoke.items.isEmpty()) {
        problem(invoke, "expected at least one invoke object");
      }
      for (Node item : invoke.items) {
        invocation(item, out, transitions);
      }
    } else {
      invocation(invoke, out, transitions);
    }
  }

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
      // XState 4's source object, { "type": name, ... }: its name is the call's
      Node type = srcNode.get("type");
      if (type == null) {
        problem(srcNode, "calls are named by a string, or in XState 4's source object by its"
            + " \"type\"; inline call definitions are not supported");
      } else {
        src = string(type, "the name of a bound call");
        for (Node.Member member : srcNode.members) {
          if (!member.name().equals("type")) {
            notes.add(member.value().pointer() + ": \"" + member.name() + "\" is ignored: XState 4"
                + " gave the source object's other members to the service; write them in the"
                + " invoke's \"input\"");
          }
        }
        srcNode = type;
      }
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
        // Stator's key: a durable machine restored while the call was in flight starts it again
        boolean idempotent = Boolean.TRUE.equals(flag(node.get("idempotent")));
        out.add(new Invocation<>(id, call.kind(),
            code.call(call, src, context.withV4Name(node, "input", "data")), timeout, idempotent));
      }
    }
    Node onDone = node.get("onDone");
    if (onDone != null && id != null) {
      transitions(onDone, new Trigger.OnDone(id), false, transitions);
    }
    Node onError = node.get("onError");
    if (onError != null) {
      transitions(onError, new Trigger.OnError(DEFAULT_CALL_ERROR, id), true, transitions);
    }
  }

  // ---------------------------------------------------------------- shared reading

  private String errorType(Node error, Node owner, boolean required, String what) {
    return context.errorType(error, owner, required, what);
  }

  private Object bound(Bindings.Kind kind, String name, Node at) {
    return context.bound(kind, name, at);
  }

  private Duration duration(Node node, String what) {
    return context.duration(node, what);
  }

  private String requiredString(Node owner, String key, String what) {
    return context.requiredString(owner, key, what);
  }

  private void optionalString(Node owner, String key) {
    context.optionalString(owner, key);
  }

  private String string(Node node, String expected) {
    return context.string(node, expected);
  }

  private void checkKeys(Node object, Set<String> allowed, String what, String... handled) {
    context.checkKeys(object, allowed, what, handled);
  }

  private String suggestOrList(String wrong, List<String> names) {
    return context.suggestOrList(wrong, names);
  }

  private void problem(Node at, String message) {
    context.problem(at, message);
  }

  private void problem(Node.Member at, String message) {
    context.problem(at, message);
  }
}
