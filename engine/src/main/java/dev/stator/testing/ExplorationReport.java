package dev.stator.testing;

import java.util.List;
import java.util.Objects;

/**
 * What an {@link Exploration} found: the configurations it reached, the events of its alphabet
 * that no state ever handled, the states it never entered, the sites of single-fault injection
 * it never ran, and its findings, each with the shortest script that reproduces it. Immutable.
 *
 * <p><b>Thread-safety:</b> immutable; safe to share.
 *
 * @param depth the depth explored exhaustively
 * @param runs how many scripts were run (each from a fresh machine on a fresh test loop)
 * @param configurations every configuration reached without injected faults, sorted (the active
 *     leaves joined with {@code ", "}, as {@code StateSnapshot.path()} prints them)
 * @param unhandledEvents the events of the alphabet that no transition took in any run without
 *     injected faults, as the alphabet names them
 * @param unreachedStates the paths of the states never entered in any run without injected
 *     faults, in document order
 * @param faultSites every callback site the single-fault runs injected into, as
 *     {@link InjectedFaultException#site()} names them; empty without single faults
 * @param faultSitesNeverRun the sites among them whose injected fault never fired within the
 *     depth: no script ran that callback
 * @param findings the runs that ended badly, each with the shortest script found: without
 *     injected faults, one per distinct ending (its summary); with them, one per site and kind of
 *     ending
 */
public record ExplorationReport(int depth, long runs, List<String> configurations,
    List<String> unhandledEvents, List<String> unreachedStates, List<String> faultSites,
    List<String> faultSitesNeverRun, List<Finding> findings) {

  /**
   * Copies the lists.
   *
   * @param depth the depth explored exhaustively
   * @param runs how many scripts were run
   * @param configurations every configuration reached without injected faults
   * @param unhandledEvents the events of the alphabet never handled
   * @param unreachedStates the states never entered
   * @param faultSites every site the single-fault runs injected into
   * @param faultSitesNeverRun the sites whose injected fault never fired
   * @param findings the runs that ended badly
   */
  public ExplorationReport {
    configurations = List.copyOf(configurations);
    unhandledEvents = List.copyOf(unhandledEvents);
    unreachedStates = List.copyOf(unreachedStates);
    faultSites = List.copyOf(faultSites);
    faultSitesNeverRun = List.copyOf(faultSitesNeverRun);
    findings = List.copyOf(findings);
  }

  /**
   * One way a run ended badly, with the shortest script found that ends so.
   *
   * @param fault the injected fault's site, or {@code null} for a run without injected faults
   * @param ending how it ended: {@code FAILED} (the machine failed for good), {@code PENDING}
   *     (its lifecycle future was still pending after its loop closed), or {@code ERROR} (the
   *     test loop itself threw)
   * @param script the inputs from a fresh start, in order: {@code send EVENT}, {@code wait 1s},
   *     {@code wait for the next timer}
   * @param detail the failure's summary or the throwable, naming where and why
   */
  public record Finding(String fault, String ending, List<String> script, String detail) {
    /**
     * Copies the script.
     *
     * @param fault the injected fault's site, or {@code null}
     * @param ending how it ended
     * @param script the inputs from a fresh start
     * @param detail what happened
     */
    public Finding {
      Objects.requireNonNull(ending, "ending");
      script = List.copyOf(script);
      Objects.requireNonNull(detail, "detail");
    }

    @Override
    public String toString() {
      return ending + (fault == null ? "" : " with a fault at " + fault) + " after "
          + (script.isEmpty() ? "the start" : String.join(", ", script)) + ": " + detail;
    }
  }

  /** {@return the findings without injected faults: the machine's own} */
  public List<Finding> ownFindings() {
    return findings.stream().filter(finding -> finding.fault() == null).toList();
  }

  /** {@return the report over several lines, for people} */
  public String summary() {
    StringBuilder out = new StringBuilder("explored to depth ").append(depth).append(": ")
        .append(runs).append(" runs, ").append(configurations.size()).append(" configurations");
    if (!faultSites.isEmpty()) {
      out.append(", ").append(faultSites.size()).append(" fault sites");
    }
    out.append("\n  events never handled: ").append(listed(unhandledEvents))
        .append("\n  states never reached: ").append(listed(unreachedStates));
    if (!faultSites.isEmpty()) {
      out.append("\n  fault sites never run: ").append(listed(faultSitesNeverRun));
    }
    out.append("\n  findings: ").append(findings.isEmpty() ? "none" : findings.size());
    for (Finding finding : findings) {
      out.append("\n    ").append(finding);
    }
    return out.toString();
  }

  private static String listed(List<String> items) {
    return items.isEmpty() ? "none" : String.join(", ", items);
  }

  @Override
  public String toString() {
    return summary();
  }
}
