package dev.stator;

import dev.stator.internal.text.Printable;
import java.util.List;

/**
 * Thrown when a machine definition is invalid; lists every problem found, not just the first.
 * Nothing is built from a definition that fails.
 *
 * <p>The problems and the message quote names that may come from a file, so the characters that
 * could forge a line or drive a terminal (newlines, ESC, BEL, bidirectional controls…) are
 * escaped in them, as JSON writes them ({@code \n}, {@code \}{@code u001b}).
 */
public final class DefinitionException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  /** The id of the invalid definition. */
  private final String machineId;
  /** Every problem found, with input text escaped. */
  private final List<String> problems;

  /**
   * Creates the exception.
   *
   * @param machineId the definition's id
   * @param problems each problem, naming the state and what is wrong; escaped here, so that every
   *     builder of problems is covered
   */
  public DefinitionException(String machineId, List<String> problems) {
    super(format(machineId, problems));
    this.machineId = machineId;
    this.problems = problems.stream().map(Printable::escape).toList();
  }

  private static String format(String machineId, List<String> problems) {
    StringBuilder out = new StringBuilder("machine '").append(Printable.escape(machineId))
        .append("' is invalid (")
        .append(problems.size()).append(problems.size() == 1 ? " problem):" : " problems):");
    for (String problem : problems) {
      out.append("\n  - ").append(Printable.escape(problem));
    }
    return out.toString();
  }

  /** {@return the id of the invalid definition} */
  public String machineId() {
    return machineId;
  }

  /** {@return every problem found, in the order of the definition, with input text escaped} */
  public List<String> problems() {
    return problems;
  }
}
