package dev.stator.dsl.json;

import java.util.Objects;

/**
 * One thing wrong with a JSON machine definition, and where it is.
 *
 * <p><b>Thread-safety:</b> immutable.
 *
 * @param source the file or resource name the document came from
 * @param pointer the JSON pointer (RFC 6901) of the offending value, {@code ""} for the document
 * @param line the 1-based line of the offending value, or 0 when unknown
 * @param column the 1-based column of the offending value, or 0 when unknown
 * @param message what is wrong and what was expected
 */
public record JsonProblem(String source, String pointer, int line, int column, String message) {

  /** Checks the arguments. */
  public JsonProblem {
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(pointer, "pointer");
    Objects.requireNonNull(message, "message");
  }

  /** Formats the problem as {@code SOURCE:LINE:COLUMN: POINTER: MESSAGE}, as compilers do. */
  @Override
  public String toString() {
    return source + ":" + line + ":" + column + ": " + (pointer.isEmpty() ? "" : pointer + ": ")
        + message;
  }
}
