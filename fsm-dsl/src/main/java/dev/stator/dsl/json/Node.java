package dev.stator.dsl.json;

import java.util.ArrayList;
import java.util.List;

/**
 * A JSON value as read, with its JSON pointer and position, so that every error can say where it
 * is. Objects keep their members in document order, duplicates included, so that the reader can
 * report them.
 */
final class Node {

  enum Kind { OBJECT, ARRAY, STRING, INTEGER, DECIMAL, BOOLEAN, NULL }

  /** A member of an object: its name, where the name was written, and its value. */
  record Member(String name, int line, int column, Node value) {}

  final Kind kind;
  /** The container holding this value, null for the document's root. */
  final Node parent;
  /** The member name under which the parent holds this value, or null in an array. */
  final String name;
  /** The index at which the parent array holds this value. */
  final int index;
  final int line;
  final int column;
  /** The string value, or a number's literal text. */
  String text;
  /** An integer's value, when it fits in a long ({@link #fitsLong}). */
  long integer;
  boolean fitsLong;
  /** A decimal's value; may be infinite when the literal is out of range. */
  double decimal;
  boolean bool;
  final List<Member> members;
  final List<Node> items;

  Node(Kind kind, Node parent, String name, int index, int line, int column) {
    this.kind = kind;
    this.parent = parent;
    this.name = name;
    this.index = index;
    this.line = line;
    this.column = column;
    this.members = kind == Kind.OBJECT ? new ArrayList<>() : List.of();
    this.items = kind == Kind.ARRAY ? new ArrayList<>() : List.of();
  }

  /**
   * Returns this value's JSON pointer (RFC 6901). Built on demand, for messages only: a document
   * of a million values does not hold a million pointers.
   */
  String pointer() {
    java.util.ArrayDeque<String> tokens = new java.util.ArrayDeque<>();
    for (Node node = this; node.parent != null; node = node.parent) {
      tokens.push(node.name != null ? node.name.replace("~", "~0").replace("/", "~1")
          : Integer.toString(node.index));
    }
    StringBuilder out = new StringBuilder();
    for (String token : tokens) {
      out.append('/').append(token);
    }
    return out.toString();
  }

  boolean isString() {
    return kind == Kind.STRING;
  }

  /** Returns the first member with this name, or null. */
  Node get(String name) {
    for (Member member : members) {
      if (member.name().equals(name)) {
        return member.value();
      }
    }
    return null;
  }

  /** Describes the value's kind for messages: "a string", "an object", … */
  String describe() {
    return switch (kind) {
      case OBJECT -> "an object";
      case ARRAY -> "an array";
      case STRING -> "a string";
      case INTEGER, DECIMAL -> "a number";
      case BOOLEAN -> bool ? "true" : "false";
      case NULL -> "null";
    };
  }
}
