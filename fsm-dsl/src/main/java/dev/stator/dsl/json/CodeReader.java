package dev.stator.dsl.json;

import dev.stator.model.Action;
import dev.stator.model.Guard;
import dev.stator.model.Output;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads the places where a document names code, and the data it writes with the name: actions and
 * guards (a name, or XState v5's {@code {"type": name, "params": {…}}}), a call's binding with its
 * invoke's {@code input}, an {@code after} key that names a bound delay, and a final state's
 * {@code output}. A name is looked up in the {@link Bindings}; data given to a binding that cannot
 * receive it is a problem at the data, never dropped. Made for one {@link SpecReader}; not
 * thread-safe.
 */
final class CodeReader<C> {

  private static final Set<String> OBJECT_FORM_KEYS = Set.of("type", "params");

  private final ReadContext context;

  /** The lengths the document's root {@code delays} gives named delays the bindings lack. */
  private Map<String, Duration> documentDelays = Map.of();

  /** Takes the document's own lengths of named delays. */
  void documentDelays(Map<String, Duration> delays) {
    this.documentDelays = delays;
  }

  CodeReader(ReadContext context) {
    this.context = context;
  }

  /** Reads {@code entry}, {@code exit} or {@code actions}: an action or an array of them. */
  @SuppressWarnings("unchecked")
  List<Action<C, Object>> actions(Node node) {
    List<Action<C, Object>> actions = new ArrayList<>();
    if (node == null) {
      return actions;
    }
    for (Node item : node.kind == Node.Kind.ARRAY ? node.items : List.of(node)) {
      Node params = item.kind == Node.Kind.OBJECT ? item.get("params") : null;
      String name = item.kind == Node.Kind.OBJECT ? typeOf(item, "action")
          : context.string(item, "an action name or an array of action names");
      Object bound = name == null ? null : context.bound(Bindings.Kind.ACTION, name, item);
      if (bound instanceof ParameterizedAction<?> parameterized) {
        actions.add(new BoundCode.ParamAction<>((ParameterizedAction<? super C>) parameterized,
            data(params)));
      } else if (bound != null) {
        refuseData(params, "action", name, "Bindings.Builder.action(name, (context, step, params)"
            + " -> …), a ParameterizedAction");
        actions.add((Action<C, Object>) bound);
      }
    }
    return actions;
  }

  /** Reads a {@code guard} (or {@code cond}): a name or an object; null when absent or wrong. */
  @SuppressWarnings("unchecked")
  Guard<C, Object> guard(Node node) {
    if (node == null) {
      return null;
    }
    Node params = node.kind == Node.Kind.OBJECT ? node.get("params") : null;
    String name = node.kind == Node.Kind.OBJECT ? typeOf(node, "guard")
        : context.string(node, "a guard name");
    Object bound = name == null ? null : context.bound(Bindings.Kind.GUARD, name, node);
    if (bound instanceof ParameterizedGuard<?> parameterized) {
      return new BoundCode.ParamGuard<>((ParameterizedGuard<? super C>) parameterized, data(params));
    }
    if (bound != null) {
      refuseData(params, "guard", name, "Bindings.Builder.guard(name, (context, step, params) ->"
          + " …), a ParameterizedGuard");
    }
    return (Guard<C, Object>) bound;
  }

  /**
   * Returns the engine's call for the binding {@code call} and the invoke's {@code input} node
   * (null when it writes none).
   */
  Object call(Bindings.Call call, String src, Node input) {
    if (call.takesInput()) {
      return BoundCode.withInput(call.kind(), call.function(), data(input));
    }
    refuseData(input, "call", src, "an InputCall (Bindings.Builder.call, callAsync or"
        + " callBlocking with (context, step, input) -> …)");
    return call.function();
  }

  /**
   * Reads an {@code after} key: a duration, or the name of a bound delay (XState's named delays).
   * Null when it is neither (reported).
   */
  Duration delay(String key, Node at) {
    if (DurationText.readsAsDuration(key)) {
      return context.durationText(key, at, "a delay");
    }
    Duration written = documentDelays.get(key);
    if (written != null && (context.bindsEverything()
        || context.lookup(Bindings.Kind.DELAY, key) == null)) {
      return written;
    }
    if (context.lookup(Bindings.Kind.DELAY, key) == null) {
      context.problem(at, "\"" + key + "\" is not a delay: neither a duration (milliseconds such as"
          + " \"1000\", a number with a unit such as \"250ms\", \"5s\", \"2m\", \"1h\", or an"
          + " ISO-8601 duration such as \"PT5S\") nor the name of a bound delay"
          + context.suggest(key, context.names(Bindings.Kind.DELAY)));
      return null;
    }
    return (Duration) context.bound(Bindings.Kind.DELAY, key, at);
  }

  /** Reads a final state's {@code output}: its done data, the same value on every entry. */
  Output<C> output(Node node) {
    return node == null ? null : new BoundCode.StaticOutput<>(JsonValue.of(node));
  }

  /** The data written with a use of a binding, {@link JsonValue#EMPTY} when none is written. */
  private static JsonValue data(Node node) {
    return node == null ? JsonValue.EMPTY : JsonValue.of(node);
  }

  /** Reports data given to a binding that takes none, unless every name is bound to a no-op. */
  private void refuseData(Node data, String kind, String name, String instead) {
    if (data != null && !context.bindsEverything()) {
      context.problem(data, kind + " \"" + name + "\" is bound without " + data.name + ", so its \""
          + data.name + "\" would be lost; bind it with " + instead + ", or remove \"" + data.name
          + "\"");
    }
  }

  /** Reads XState v5's object form of an action or a guard, {@code {"type": name, "params": …}}. */
  private String typeOf(Node object, String what) {
    String article = what.equals("action") ? "an " : "a ";
    context.checkKeys(object, OBJECT_FORM_KEYS, article + what + " object");
    Node type = object.get("type");
    if (type == null) {
      context.problem(object, article + what + " object needs \"type\": the name of a bound " + what);
      return null;
    }
    return context.string(type, "the name of a bound " + what);
  }
}
