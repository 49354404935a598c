package dev.stator.dsl.json;

import dev.stator.RecoveryPolicy;
import dev.stator.UnhandledEventPolicy;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Reads a machine's {@code recovery} policy ({@code exit}, {@code reset}, {@code shutdown} and
 * {@code byError}, nested as written) and its {@code unhandled} event policy. Made for one
 * {@link SpecReader} and used by it on one thread; not thread-safe.
 */
final class RecoveryReader<C> {

  private final ReadContext context;

  RecoveryReader(ReadContext context) {
    this.context = context;
  }

  @SuppressWarnings("unchecked")
  RecoveryPolicy<C> policy(Node node) {
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

  UnhandledEventPolicy unhandled(Node node) {
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

  private Integer count(Node node, Node owner, String key) {
    return context.count(node, owner, key);
  }

  private double number(Node node) {
    return context.number(node);
  }

  private Duration requiredDuration(Node owner, String key, String what) {
    return context.requiredDuration(owner, key, what);
  }

  private String errorType(Node error, Node owner, boolean required, String what) {
    return context.errorType(error, owner, required, what);
  }

  private Object bound(Bindings.Kind kind, String name, Node at) {
    return context.bound(kind, name, at);
  }

  private String string(Node node, String expected) {
    return context.string(node, expected);
  }

  private void checkKeys(Node object, Set<String> allowed, String what, String... handled) {
    context.checkKeys(object, allowed, what, handled);
  }

  private String suggest(String wrong, java.util.Collection<String> names) {
    return context.suggest(wrong, names);
  }

  private void problem(Node at, String message) {
    context.problem(at, message);
  }
}
