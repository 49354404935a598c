package dev.stator.examples.cli;

import dev.stator.dsl.json.JsonProblem;
import java.io.PrintWriter;

/**
 * Writes {@code validate --output json}'s report: one JSON array, one object a line, each with
 * {@code file}, {@code line} and {@code column} (when known), {@code pointer} (when there is one),
 * {@code severity} ({@code error} or {@code warning}) and {@code message}.
 *
 * <p>Strings are written in pure ASCII: everything outside printable ASCII is written as a
 * backslash, a {@code u} and four hexadecimal digits, so a file name or a message cannot drive a
 * terminal and any JSON reader reads the exact value back. File names and pointers keep their exact values; messages are already escaped
 * by {@link JsonProblem} as its text form is.
 */
final class ProblemsJson {

  private final PrintWriter out;
  private int written;

  ProblemsJson(PrintWriter out) {
    this.out = out;
    out.print("[");
  }

  /** Writes a problem that made a file invalid or unreadable. */
  void error(JsonProblem problem) {
    StringBuilder object = new StringBuilder("{\"file\":");
    string(object, problem.source());
    if (problem.line() > 0) {
      object.append(",\"line\":").append(problem.line());
      if (problem.column() > 0) {
        object.append(",\"column\":").append(problem.column());
      }
    }
    if (!problem.pointer().isEmpty()) {
      object.append(",\"pointer\":");
      string(object, problem.pointer());
    }
    object.append(",\"severity\":\"error\",\"message\":");
    string(object, problem.message());
    element(object.append('}'));
  }

  /** Writes a warning about a valid file. */
  void warning(String file, String message) {
    StringBuilder object = new StringBuilder("{\"file\":");
    string(object, file);
    object.append(",\"severity\":\"warning\",\"message\":");
    string(object, message);
    element(object.append('}'));
  }

  /** Closes the array and flushes it. */
  void end() {
    out.println(written == 0 ? "]" : "\n]");
    out.flush();
  }

  private void element(CharSequence object) {
    out.print(written++ == 0 ? "\n  " : ",\n  ");
    out.print(object);
  }

  /** Appends {@code text} as a JSON string (RFC 8259), in ASCII. */
  static void string(StringBuilder to, String text) {
    to.append('"');
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '"' -> to.append("\\\"");
        case '\\' -> to.append("\\\\");
        case '\n' -> to.append("\\n");
        case '\r' -> to.append("\\r");
        case '\t' -> to.append("\\t");
        default -> {
          if (c >= 0x20 && c < 0x7f) {
            to.append(c);
          } else {
            to.append(String.format("\\u%04x", (int) c));
          }
        }
      }
    }
    to.append('"');
  }
}
