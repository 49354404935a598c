package dev.stator.examples.cli;

import dev.stator.dsl.json.JsonMachine;
import dev.stator.internal.text.Printable;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code stator validate [--output text|json] FILE...}: reads every file and reports each one's problems. */
@Command(
    name = "validate",
    header = "Checks machine files and reports every problem with its line and column.",
    mixinStandardHelpOptions = true,
    versionProvider = StatorCli.Version.class,
    exitCodeOnInvalidInput = StatorCli.USAGE,
    description = {
        "Checks JSON machine definitions: every problem of every file is printed to standard error"
            + " as FILE:LINE:COLUMN: /pointer: message; valid files get an 'ok' line on standard"
            + " output, after their warnings.",
        "A FILE of - reads standard input, at most once; only regular files are read, and a FIFO"
            + " or a device is refused.",
        "With --output json, the problems and warnings of all files are printed instead as one"
            + " JSON array on standard output, for editors and CI.",
        "Names of actions, guards and calls are not checked against any code."})
final class ValidateCommand implements Callable<Integer> {

  @Spec
  private CommandSpec spec;

  @ParentCommand
  private StatorCli cli;

  /** The report's form; spelled as it is typed on the command line. */
  enum Output { text, json }

  @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", defaultValue = "text",
      description = {
          "text: problems on standard error as FILE:LINE:COLUMN: /pointer: message, 'ok' lines on"
              + " standard output (default).",
          "json: one JSON array on standard output, one object per problem or warning, with file,"
              + " line and column (when known), pointer (when any), severity (error or warning)"
              + " and message; nothing else is printed. Exit codes are the same."})
  private Output output;

  @Parameters(arity = "1..*", paramLabel = "FILE",
      description = "The JSON files to check; - for standard input.")
  private List<Path> files;

  @Override
  public Integer call() {
    if (files.stream().filter(MachineFiles::isStdin).count() > 1) {
      // a second read would find it empty and report a wrong problem
      throw new ParameterException(spec.commandLine(),
          "Standard input ('-') can be read only once");
    }
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    if (output == Output.json) {
      return json(out);
    }
    boolean allValid = true;
    for (Path file : files) {
      JsonMachine<Object> machine = MachineFiles.read(file, cli.stdin(), err);
      if (machine == null) {
        allValid = false;
        continue;
      }
      String name = MachineFiles.name(file);
      for (String warning : machine.warnings()) {
        out.println(name + ": warning: " + MachineFiles.withoutSource(machine, warning));
      }
      int states = machine.definition().statePaths().size();
      out.println(name + ": ok (machine '" + Printable.escape(machine.id()) + "', " + states
          + (states == 1 ? " state)" : " states)"));
    }
    return allValid ? StatorCli.OK : StatorCli.FAILED;
  }

  /** Checks every file and reports all their problems and warnings as one JSON array. */
  private int json(PrintWriter out) {
    ProblemsJson report = new ProblemsJson(out);
    boolean allValid = true;
    for (Path file : files) {
      JsonMachine<Object> machine = MachineFiles.read(file, cli.stdin(), report::error);
      if (machine == null) {
        allValid = false;
        continue;
      }
      for (String warning : machine.warnings()) {
        report.warning(machine.source(), MachineFiles.withoutSource(machine, warning));
      }
    }
    report.end();
    return allValid ? StatorCli.OK : StatorCli.FAILED;
  }
}
