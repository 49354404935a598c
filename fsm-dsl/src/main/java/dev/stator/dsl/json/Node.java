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
  final String pointer;
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

  Node(Kind kind, String pointer, int line, int column) {
    this.kind = kind;
    this.pointer = pointer;
    this.line = line;
    this.column = column;
    this.members = kind == Kind.OBJECT ? new ArrayList<>() : List.of();
    this.items = kind == Kind.ARRAY ? new ArrayList<>() : List.of();
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

  /** Appends a reference token to a pointer, escaped as RFC 6901 says. */
  static String child(String pointer, String token) {
    return pointer + "/" + token.replace("~", "~0").replace("/", "~1");
  }

  static String child(String pointer, int index) {
    return pointer + "/" + index;
  }
}
