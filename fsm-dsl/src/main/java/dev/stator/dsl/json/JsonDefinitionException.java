package dev.stator.dsl.json;

import java.util.List;

/**
 * Thrown when one or more JSON machine definitions are refused. It carries every problem found, in
 * document order, each with its place; no machine of a refused file is ever produced.
 *
 * <p><b>Thread-safety:</b> immutable once thrown.
 */
public final class JsonDefinitionException extends IllegalArgumentException {

  private static final long serialVersionUID = 1L;

  private final transient List<JsonProblem> problems;

  /**
   * Creates the exception.
   *
   * @param problems the problems, at least one
   */
  public JsonDefinitionException(List<JsonProblem> problems) {
    super(message(problems));
    this.problems = List.copyOf(problems);
  }

  private static String message(List<JsonProblem> problems) {
    if (problems.isEmpty()) {
      throw new IllegalArgumentException("a JsonDefinitionException needs at least one problem");
    }
    StringBuilder out = new StringBuilder();
    out.append(problems.size() == 1 ? "1 problem" : problems.size() + " problems")
        .append(" in JSON machine definitions:");
    for (JsonProblem problem : problems) {
      out.append("\n  ").append(problem);
    }
    return out.toString();
  }

  /**
   * {@return every problem found: per file, in document order (a problem only the engine's
   * compiler found is placed at the document's root)}
   */
  public List<JsonProblem> problems() {
    return problems;
  }
}
