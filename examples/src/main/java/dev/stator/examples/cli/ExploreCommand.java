package dev.stator.examples.cli;

import dev.stator.dsl.json.DurationText;
import dev.stator.dsl.json.JsonMachine;
import dev.stator.internal.text.Printable;
import dev.stator.testing.Exploration;
import dev.stator.testing.ExplorationReport;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code stator explore FILE}: explores every sequence of the machine's events and timers up to a
 * depth, with no-op bindings on virtual time, and prints what it reached and what went wrong.
 */
@Command(
    name = "explore",
    header = "Explores a machine's event sequences to a depth, with no-op bindings.",
    mixinStandardHelpOptions = true,
    versionProvider = StatorCli.Version.class,
    exitCodeOnInvalidInput = StatorCli.USAGE,
    description = {
        "Runs a JSON machine on test loops with virtual time and no-op bindings (actions do"
            + " nothing, guards hold, calls return null at once), for every sequence of inputs up"
            + " to the depth: each event a transition of the file names, each --event given, each"
            + " --wait given, and waiting for the next timer. Sequences that reach a situation seen"
            + " before (the same states, pending timers, history and resets) are not extended.",
        "Prints the configurations reached, the events never handled, the states never reached,"
            + " and each way a run ended badly (FAILED, PENDING, ERROR) with the shortest sequence"
            + " that reproduces it. With --faults, explores again with a fault at each callback"
            + " site in turn (an entry, an exit, a transition's action or guard, a call).",
        "Exits with 1 when the file is invalid or a run without injected faults ended badly;"
            + " what injected faults lead to is reported, not counted against the machine."})
final class ExploreCommand implements Callable<Integer> {

  @Spec
  private CommandSpec spec;

  @ParentCommand
  private StatorCli cli;

  @Parameters(index = "0", paramLabel = "FILE",
      description = "The JSON file to explore; - for standard input.")
  private Path file;

  @Option(names = {"-d", "--depth"}, paramLabel = "N", defaultValue = "4",
      description = "How many inputs the exhaustive search goes to (default: ${DEFAULT-VALUE}).")
  private int depth;

  @Option(names = {"-e", "--event"}, paramLabel = "EVENT",
      description = "An event to add to those the file names; repeat for more.")
  private List<String> events = new ArrayList<>();

  @Option(names = {"-w", "--wait"}, paramLabel = "DURATION",
      description = "A wait to add to the inputs: 5s, 250ms, 1500 (milliseconds), PT1M.")
  private List<String> waits = new ArrayList<>();

  @Option(names = {"-f", "--faults"},
      description = "Also explore with a fault at each callback site in turn.")
  private boolean faults;

  @Option(names = "--walks", paramLabel = "N", defaultValue = "0",
      description = "Random sequences to run beyond the depth (default: ${DEFAULT-VALUE}).")
  private int walks;

  @Option(names = "--length", paramLabel = "N", defaultValue = "20",
      description = "Inputs in each random sequence (default: ${DEFAULT-VALUE}).")
  private int length;

  @Option(names = "--seed", paramLabel = "N", defaultValue = "0",
      description = "Seed of the random sequences (default: ${DEFAULT-VALUE}).")
  private long seed;

  @Override
  public Integer call() {
    if (depth < 0 || depth > 12) {
      throw new ParameterException(spec.commandLine(),
          "Invalid value for option '--depth': expected 0 to 12, not " + depth);
    }
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    Exploration<Object> exploration;
    JsonMachine<Object> json = MachineFiles.read(file, cli.stdin(), err);
    if (json == null) {
      return StatorCli.FAILED;
    }
    exploration = Exploration.of(json.definition(), Object::new)
        .eventsOfTheDefinition().depth(depth);
    for (String event : events) {
      if (event.isBlank()) {
        throw new ParameterException(spec.commandLine(),
            "Invalid value for option '--event': an event needs a name");
      }
      exploration.events(event);
    }
    for (String wait : waits) {
      try {
        exploration.advance(DurationText.parse(wait));
      } catch (IllegalArgumentException unreadable) {
        throw new ParameterException(spec.commandLine(), "Invalid value for option '--wait': "
            + unreadable.getMessage(), unreadable);
      }
    }
    if (walks > 0) {
      try {
        exploration.randomWalks(walks, length, seed);
      } catch (IllegalArgumentException bad) {
        throw new ParameterException(spec.commandLine(), bad.getMessage(), bad);
      }
    }
    if (faults) {
      exploration.singleFaults();
    }
    ExplorationReport report = exploration.explore();
    // each line escaped on its own: a name from the file cannot forge a line of the report
    out.println(Printable.escape("machine '" + json.id() + "' explored to depth " + depth + ": "
        + report.runs() + " runs, " + report.configurations().size() + " configurations"
        + (faults ? ", " + report.faultSites().size() + " fault sites" : "")));
    out.println(Printable.escape("  configurations: " + listed(report.configurations())));
    out.println(Printable.escape("  events never handled: " + listed(report.unhandledEvents())));
    out.println(Printable.escape("  states never reached: " + listed(report.unreachedStates())));
    if (faults) {
      out.println(Printable.escape("  fault sites never run: "
          + listed(report.faultSitesNeverRun())));
    }
    out.println("  findings: " + (report.findings().isEmpty() ? "none" : report.findings().size()));
    for (ExplorationReport.Finding finding : report.findings()) {
      out.println(Printable.escape("    " + finding));
    }
    return report.ownFindings().isEmpty() ? StatorCli.OK : StatorCli.FAILED;
  }

  private static String listed(List<String> items) {
    return items.isEmpty() ? "none" : String.join("; ", items);
  }
}
