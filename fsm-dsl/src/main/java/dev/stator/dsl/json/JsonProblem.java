package dev.stator.dsl.json;

import dev.stator.internal.text.Printable;
import java.util.Objects;

/**
 * One thing wrong with a JSON machine definition, and where it is.
 *
 * <p>The message quotes the document, so the characters that could forge a line of output or
 * drive a terminal (newlines, ESC, BEL, bidirectional controls…) are escaped in it as JSON writes
 * them ({@code \n}, {@code \}{@code u001b}); {@link #toString()} escapes the source and the
 * pointer too, which keep their exact values for programs.
 *
 * <p><b>Thread-safety:</b> immutable.
 *
 * @param source the file or resource name the document came from
 * @param pointer the JSON pointer (RFC 6901) of the offending value, {@code ""} for the document
 * @param line the 1-based line of the offending value, or 0 when unknown
 * @param column the 1-based column of the offending value, or 0 when unknown
 * @param message what is wrong and what was expected, with unprintable characters escaped
 */
public record JsonProblem(String source, String pointer, int line, int column, String message) {

  /**
   * Checks the arguments and escapes the message: every message built from a document passes
   * here, Jackson's included, so none is missed.
   *
   * @param source the file or resource name the document came from
   * @param pointer the JSON pointer (RFC 6901) of the offending value, {@code ""} for the document
   * @param line the 1-based line of the offending value, or 0 when unknown
   * @param column the 1-based column of the offending value, or 0 when unknown
   * @param message what is wrong and what was expected, with unprintable characters escaped
   */
  public JsonProblem {
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(pointer, "pointer");
    message = Printable.escape(Objects.requireNonNull(message, "message"));
  }

  /**
   * Formats the problem as {@code SOURCE:LINE:COLUMN: POINTER: MESSAGE}, as compilers do, on one
   * line whatever the document holds.
   */
  @Override
  public String toString() {
    return Printable.escape(source) + ":" + line + ":" + column + ": "
        + (pointer.isEmpty() ? "" : Printable.escape(pointer) + ": ") + message;
  }
}
