package dev.stator.dsl.json;

import dev.stator.internal.text.ErrorTypes;
import dev.stator.internal.text.Names;
import dev.stator.model.Trigger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What the parts of reading one document share: the problems found, with their places; the names
 * of code the document used; the one budget for suggesting misspelt names; and the reading of plain
 * values (strings, keys, durations, counts, error types, bound names) that every part does alike.
 * Made for one {@link SpecReader} and used by it and its helpers on one thread; not thread-safe.
 */
final class ReadContext {

  /** The error type of a call's {@code onError} written without {@code error}. */
  static final String DEFAULT_CALL_ERROR = "java.lang.Exception";
  private static final Pattern JAVA_NAME = Pattern.compile(
      "[A-Za-z_$][A-Za-z0-9_$]*(?:\\.[A-Za-z_$][A-Za-z0-9_$]*)*");

  private final String source;
  private final Bindings<?> bindings;
  private final List<JsonProblem> problems = new ArrayList<>();
  private final Map<Bindings.Kind, Set<String>> used = new HashMap<>();
  /** Suggestions for misspelt names share one budget, so that many misspellings stay cheap. */
  private final Names.Budget suggestions = Names.Budget.forDocument();

  /** Returns the name the document is read under, a file name usually. */
  String source() {
    return source;
  }

  ReadContext(String source, Bindings<?> bindings) {
    this.source = source;
    this.bindings = bindings;
  }

  /** Returns the problems found, in document order. */
  List<JsonProblem> problems() {
    List<JsonProblem> sorted = new ArrayList<>(problems);
    sorted.sort(java.util.Comparator.comparingInt(JsonProblem::line).thenComparingInt(JsonProblem::column));
    return sorted;
  }

  /** Whether the bindings answer every name with a no-op (and take any params and input). */
  boolean bindsEverything() {
    return bindings.bindsEverything();
  }

  /** Whether any problem was found so far. */
  boolean hasProblems() {
    return !problems.isEmpty();
  }

  /** Returns the names of each kind this document used. */
  Map<Bindings.Kind, Set<String>> used() {
    return used;
  }

  String errorType(Node error, Node owner, boolean required, String what) {
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

  /** Looks a name up, recording its use; an unbound name is a problem. */
  Object bound(Bindings.Kind kind, String name, Node at) {
    if (name.isEmpty()) {
      problem(at, "expected the name of a bound " + kind.label + ", found an empty string");
      return null;
    }
    used.computeIfAbsent(kind, k -> new LinkedHashSet<>()).add(name);
    Object value = bindings.lookup(kind, name);
    if (value == null) {
      problem(at, "no " + kind.label + " is bound to the name \"" + name + "\"" + otherKind(kind, name)
          + suggest(name, bindings.names(kind))
          + (bindings.names(kind).isEmpty() ? "; the bindings have no " + kind.label + " at all"
              : ""));
    }
    return value;
  }

  /** Returns what a name is bound to as a {@code kind}, or null, without recording a use. */
  Object lookup(Bindings.Kind kind, String name) {
    return bindings.lookup(kind, name);
  }

  /** Returns the names bound as a {@code kind}. */
  Set<String> names(Bindings.Kind kind) {
    return bindings.names(kind);
  }

  /**
   * Returns the value of {@code key}, or of {@code v4Key}, XState 4's name for it, when only that
   * is written; both written is a problem at the second.
   */
  Node withV4Name(Node owner, String key, String v4Key) {
    Node value = owner.get(key);
    Node old = owner.get(v4Key);
    if (old != null && value != null) {
      problem(old, "\"" + v4Key + "\" is XState 4's name for \"" + key + "\"; write one of them");
    }
    return value != null ? value : old;
  }

  /** Says of what other kind a name is bound, when it is: the usual slip of a wrong kind. */
  private String otherKind(Bindings.Kind wanted, String name) {
    for (Bindings.Kind kind : Bindings.Kind.values()) {
      if (kind != wanted && bindings.names(kind).contains(name)) {
        return " (\"" + name + "\" is bound as " + ("aeiou".indexOf(kind.label.charAt(0)) >= 0
            ? "an " : "a ") + kind.label + ", not as " + ("aeiou".indexOf(wanted.label.charAt(0))
            >= 0 ? "an " : "a ") + wanted.label + ")";
      }
    }
    return "";
  }

  Integer count(Node node, Node owner, String key) {
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

  double number(Node node) {
    return node.kind == Node.Kind.INTEGER
        ? (node.fitsLong ? node.integer : Double.parseDouble(node.text)) : node.decimal;
  }

  Duration requiredDuration(Node owner, String key, String what) {
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
  Duration duration(Node node, String what) {
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

  Duration durationText(String text, Node at, String what) {
    try {
      return DurationText.parse(text, what);
    } catch (IllegalArgumentException unreadable) {
      problem(at, unreadable.getMessage());
      return null;
    }
  }


  String requiredString(Node owner, String key, String what) {
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

  void optionalString(Node owner, String key) {
    Node node = owner.get(key);
    if (node != null && node.kind != Node.Kind.STRING) {
      problem(node, "expected a string, found " + node.describe());
    }
  }

  String string(Node node, String expected) {
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
  void checkKeys(Node object, Set<String> allowed, String what, String... handled) {
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

  String suggest(String wrong, java.util.Collection<String> names) {
    String best = suggestions.closest(wrong, names);
    return best == null ? "" : "; did you mean \"" + best + "\"?";
  }

  /** A suggestion when one name is close, else the list of what was expected. */
  String suggestOrList(String wrong, List<String> names) {
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

  void problem(Node at, String message) {
    problems.add(new JsonProblem(source, at.pointer(), at.line, at.column, message));
  }

  void problem(Node.Member at, String message) {
    problems.add(new JsonProblem(source, at.value().pointer(), at.line(), at.column(), message));
  }

  /**
   * The trigger of an {@code on} key: the event of that name, or XState v5's descriptors
   * {@code "*"} (every event) and {@code "prefix.*"} (the events below {@code prefix}).
   */
  Trigger eventTrigger(Node.Member member) {
    String name = member.name();
    if (!name.contains("*")) {
      return new Trigger.OnEvent(name);
    }
    try {
      return new Trigger.OnEventMatching(name);
    } catch (IllegalArgumentException e) {
      problem(member.value(), "\"" + name + "\" is not an event descriptor: a wildcard is \"*\""
          + " alone or a last token, as in \"mouse.*\"");
      return new Trigger.OnEvent(name);
    }
  }

  /** Reads a state's {@code tags}: a string or an array of strings, none empty. */
  List<String> tags(Node node) {
    List<String> tags = new ArrayList<>();
    if (node == null) {
      return tags;
    }
    for (Node item : node.kind == Node.Kind.ARRAY ? node.items : List.of(node)) {
      String tag = string(item, "a tag or an array of tags");
      if (tag != null && tag.isEmpty()) {
        problem(item, "a tag cannot be empty");
      } else if (tag != null) {
        tags.add(tag);
      }
    }
    return tags;
  }
}
