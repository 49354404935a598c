package dev.stator;

import java.util.List;

/**
 * Thrown when a machine definition is invalid; lists every problem found, not just the first.
 * Nothing is built from a definition that fails.
 */
public final class DefinitionException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  private final String machineId;
  private final List<String> problems;

  /**
   * Creates the exception.
   *
   * @param machineId the definition's id
   * @param problems each problem, naming the state and what is wrong
   */
  public DefinitionException(String machineId, List<String> problems) {
    super(format(machineId, problems));
    this.machineId = machineId;
    this.problems = List.copyOf(problems);
  }

  private static String format(String machineId, List<String> problems) {
    StringBuilder out = new StringBuilder("machine '").append(machineId).append("' is invalid (")
        .append(problems.size()).append(problems.size() == 1 ? " problem):" : " problems):");
    for (String problem : problems) {
      out.append("\n  - ").append(problem);
    }
    return out.toString();
  }

  /** Returns the id of the invalid definition. */
  public String machineId() {
    return machineId;
  }

  /** Returns every problem found, in the order of the definition. */
  public List<String> problems() {
    return problems;
  }
}
