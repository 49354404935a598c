package dev.stator.dsl.json;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A JSON value written in a machine's document and handed to its bindings as data: the
 * {@code params} of an action or a guard, the {@code input} of a call, the {@code output} (done
 * data) of a final state. It is the value as written, never code: an object keeps its members in
 * document order, a number keeps its exact literal.
 *
 * <pre>{@code
 * ParameterizedAction<Conn> notify = (conn, step, params) ->
 *     conn.notify(params.string("channel"), params.integer("retries"));
 * }</pre>
 *
 * <p>The accessors that read a member ({@link #string(String)}, {@link #integer(String)}, …) throw
 * an {@link IllegalArgumentException} naming the member and what was found when it is missing or
 * of another kind, so that a binding reading the wrong params fails with a message that says
 * which.
 *
 * <p><b>Thread-safety:</b> immutable; safe to share between machines and threads.
 */
public final class JsonValue {

  /** The kinds of JSON values. */
  public enum Kind {
    /** An object: names to values, in document order. */
    OBJECT,
    /** An array. */
    ARRAY,
    /** A string. */
    STRING,
    /** A number, integer or not. */
    NUMBER,
    /** {@code true} or {@code false}. */
    BOOLEAN,
    /** {@code null}. */
    NULL
  }

  /** The empty object: what a binding receives when the document gives no params or input. */
  public static final JsonValue EMPTY = new JsonValue(Kind.OBJECT, Map.of());
  /** The JSON {@code null}. */
  public static final JsonValue NULL = new JsonValue(Kind.NULL, null);

  private final Kind kind;
  /**
   * A {@code Map<String, JsonValue>}, a {@code List<JsonValue>}, a String (a number's literal,
   * for a number), a Boolean, or null, by kind.
   */
  private final Object value;

  private JsonValue(Kind kind, Object value) {
    this.kind = kind;
    this.value = value;
  }

  /** Copies a parsed value (the reader's tree) into an immutable value. */
  static JsonValue of(Node node) {
    return switch (node.kind) {
      case OBJECT -> {
        Map<String, JsonValue> members = new LinkedHashMap<>();
        for (Node.Member member : node.members) {
          members.putIfAbsent(member.name(), of(member.value()));
        }
        yield members.isEmpty() ? EMPTY : new JsonValue(Kind.OBJECT, Collections.unmodifiableMap(members));
      }
      case ARRAY -> {
        List<JsonValue> items = new ArrayList<>(node.items.size());
        for (Node item : node.items) {
          items.add(of(item));
        }
        yield new JsonValue(Kind.ARRAY, Collections.unmodifiableList(items));
      }
      case STRING -> new JsonValue(Kind.STRING, node.text);
      case INTEGER, DECIMAL -> new JsonValue(Kind.NUMBER, node.text);
      case BOOLEAN -> new JsonValue(Kind.BOOLEAN, node.bool);
      case NULL -> NULL;
    };
  }

  /** {@return what kind of value this is} */
  public Kind kind() {
    return kind;
  }

  /**
   * Returns whether this is an object with a member of that name.
   *
   * @param name the member's name
   * @return whether it has the member
   */
  public boolean has(String name) {
    return kind == Kind.OBJECT && members().containsKey(name);
  }

  /** {@return the names of this object's members, in document order; empty for other kinds} */
  public Set<String> names() {
    return kind == Kind.OBJECT ? members().keySet() : Set.of();
  }

  /**
   * Returns a member of this object.
   *
   * @param name the member's name
   * @return its value
   * @throws IllegalArgumentException when this is not an object or has no such member
   */
  public JsonValue get(String name) {
    if (kind != Kind.OBJECT) {
      throw new IllegalArgumentException("expected an object with \"" + name + "\", found "
          + describe());
    }
    JsonValue member = members().get(name);
    if (member == null) {
      String text = toString();
      throw new IllegalArgumentException("no \"" + name + "\" in " + (text.length() <= 200 ? text
          : "an object of " + members().size() + " members") + (members().isEmpty() ? ""
          : "; it has " + String.join(", ", quoted(members().keySet()))));
    }
    return member;
  }

  /**
   * Returns the items of this array, in order.
   *
   * @return the items of this array, in order
   * @throws IllegalArgumentException for another kind
   */
  public List<JsonValue> items() {
    expect(Kind.ARRAY, "an array", null);
    @SuppressWarnings("unchecked")
    List<JsonValue> items = (List<JsonValue>) value;
    return items;
  }

  /**
   * Returns this string.
   *
   * @return this string
   * @throws IllegalArgumentException for another kind
   */
  public String asString() {
    expect(Kind.STRING, "a string", null);
    return (String) value;
  }

  /**
   * Returns this number as a long.
   *
   * @return this number as a long
   * @throws IllegalArgumentException for another kind, a number with a fraction, or one out of a
   *     long's range
   */
  public long asLong() {
    return asLong(null);
  }

  /**
   * Returns this number as a double (the nearest one).
   *
   * @return this number as a double (the nearest one)
   * @throws IllegalArgumentException for another kind
   */
  public double asDouble() {
    expect(Kind.NUMBER, "a number", null);
    return decimal().doubleValue();
  }

  /**
   * Returns this number, exactly as written.
   *
   * @return this number, exactly as written
   * @throws IllegalArgumentException for another kind
   */
  public BigDecimal asDecimal() {
    expect(Kind.NUMBER, "a number", null);
    return decimal();
  }

  /**
   * Returns this boolean.
   *
   * @return this boolean
   * @throws IllegalArgumentException for another kind
   */
  public boolean asBoolean() {
    expect(Kind.BOOLEAN, "true or false", null);
    return (Boolean) value;
  }

  /** {@return whether this is JSON's {@code null}} */
  public boolean isNull() {
    return kind == Kind.NULL;
  }

  /**
   * Returns a string member of this object.
   *
   * @param name the member's name
   * @return its text
   * @throws IllegalArgumentException when it is missing or not a string; the message names it
   */
  public String string(String name) {
    JsonValue member = get(name);
    member.expect(Kind.STRING, "a string", name);
    return (String) member.value;
  }

  /**
   * Returns a whole-number member of this object.
   *
   * @param name the member's name
   * @return its value
   * @throws IllegalArgumentException when it is missing, not a whole number, or out of a long's
   *     range; the message names it
   */
  public long integer(String name) {
    return get(name).asLong(name);
  }

  /**
   * Returns a number member of this object as a double.
   *
   * @param name the member's name
   * @return its value
   * @throws IllegalArgumentException when it is missing or not a number; the message names it
   */
  public double number(String name) {
    JsonValue member = get(name);
    member.expect(Kind.NUMBER, "a number", name);
    return member.decimal().doubleValue();
  }

  /**
   * Returns a boolean member of this object.
   *
   * @param name the member's name
   * @return its value
   * @throws IllegalArgumentException when it is missing or not a boolean; the message names it
   */
  public boolean bool(String name) {
    JsonValue member = get(name);
    member.expect(Kind.BOOLEAN, "true or false", name);
    return (Boolean) member.value;
  }

  /**
   * Returns the value as plain Java objects: a {@code Map<String, Object>} in document order, a
   * {@code List<Object>}, a String, a Long (a whole number in a long's range), a BigInteger (a
   * larger whole number), a Double (any other number), a Boolean, or null. The collections are
   * unmodifiable.
   *
   * @return the plain value
   */
  public Object toJava() {
    return switch (kind) {
      case OBJECT -> {
        Map<String, Object> out = new LinkedHashMap<>();
        members().forEach((name, member) -> out.put(name, member.toJava()));
        yield Collections.unmodifiableMap(out);
      }
      case ARRAY -> {
        List<Object> out = new ArrayList<>();
        for (JsonValue item : items()) {
          out.add(item.toJava());
        }
        yield Collections.unmodifiableList(out);
      }
      case NUMBER -> {
        String literal = (String) value;
        if (literal.indexOf('.') < 0 && literal.indexOf('e') < 0 && literal.indexOf('E') < 0) {
          BigInteger whole = new BigInteger(literal);
          yield whole.bitLength() < 64 ? (Object) whole.longValue() : whole;
        }
        yield Double.parseDouble(literal);
      }
      default -> value;
    };
  }

  private long asLong(String name) {
    expect(Kind.NUMBER, "a whole number", name);
    try {
      return decimal().longValueExact();
    } catch (ArithmeticException notWhole) {
      throw new IllegalArgumentException((name == null ? "" : "\"" + name + "\": ")
          + "expected a whole number in a long's range, found the number " + value);
    }
  }

  private void expect(Kind wanted, String what, String name) {
    if (kind != wanted) {
      throw new IllegalArgumentException((name == null ? "" : "\"" + name + "\": ") + "expected "
          + what + ", found " + describe());
    }
  }

  private String describe() {
    return switch (kind) {
      case OBJECT -> "an object";
      case ARRAY -> "an array";
      case STRING -> "the string " + this;
      case NUMBER -> "the number " + this;
      case BOOLEAN, NULL -> toString();
    };
  }

  private BigDecimal decimal() {
    return new BigDecimal((String) value);
  }

  @SuppressWarnings("unchecked")
  private Map<String, JsonValue> members() {
    return (Map<String, JsonValue>) value;
  }

  /** The names, quoted: the first twelve, then "…" when there are more. */
  private static List<String> quoted(Set<String> names) {
    List<String> out = new ArrayList<>();
    for (String name : names) {
      if (out.size() == 12) {
        out.add("…");
        break;
      }
      out.add("\"" + name + "\"");
    }
    return out;
  }

  /**
   * Returns whether {@code other} is the same JSON value: same kind, equal members in the same
   * order, equal items, equal strings, numbers of equal value ({@code 1} and {@code 1.0} are
   * equal).
   *
   * @param other the object to compare with
   * @return whether they are equal
   */
  @Override
  public boolean equals(Object other) {
    if (!(other instanceof JsonValue that) || kind != that.kind) {
      return false;
    }
    if (kind == Kind.NUMBER) {
      return decimal().compareTo(that.decimal()) == 0;
    }
    if (kind == Kind.OBJECT) {
      return List.copyOf(members().entrySet()).equals(List.copyOf(that.members().entrySet()));
    }
    return Objects.equals(value, that.value);
  }

  @Override
  public int hashCode() {
    return kind == Kind.NUMBER ? decimal().stripTrailingZeros().hashCode()
        : kind == Kind.OBJECT ? List.copyOf(members().entrySet()).hashCode()
        : Objects.hash(kind, value);
  }

  /**
   * Returns the value as compact JSON text, members in document order and numbers as written:
   * {@code {"level":"info","retries":3}}.
   *
   * @return the JSON text
   */
  @Override
  public String toString() {
    StringBuilder out = new StringBuilder();
    write(out);
    return out.toString();
  }

  private void write(StringBuilder out) {
    switch (kind) {
      case OBJECT -> {
        out.append('{');
        boolean first = true;
        for (Map.Entry<String, JsonValue> member : members().entrySet()) {
          out.append(first ? "" : ",");
          first = false;
          quote(out, member.getKey());
          out.append(':');
          member.getValue().write(out);
        }
        out.append('}');
      }
      case ARRAY -> {
        out.append('[');
        List<JsonValue> items = items();
        for (int i = 0; i < items.size(); i++) {
          out.append(i == 0 ? "" : ",");
          items.get(i).write(out);
        }
        out.append(']');
      }
      case STRING -> quote(out, (String) value);
      case NUMBER -> out.append((String) value);
      case BOOLEAN -> out.append(value);
      case NULL -> out.append("null");
    }
  }

  /** Writes {@code text} as a JSON string, escaping what a terminal or an editor could misread. */
  static void quote(StringBuilder out, String text) {
    out.append('"');
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          if (c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0) || c == 0x2028 || c == 0x2029) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    out.append('"');
  }
}
