package dev.stator.examples.cli;

import dev.stator.dsl.json.JsonMachine;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code stator validate FILE...}: reads every file and reports each one's problems. */
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
        "Names of actions, guards and calls are not checked against any code."})
final class ValidateCommand implements Callable<Integer> {

  @Spec
  private CommandSpec spec;

  @Parameters(arity = "1..*", paramLabel = "FILE", description = "The JSON files to check.")
  private List<Path> files;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    boolean allValid = true;
    for (Path file : files) {
      JsonMachine<Object> machine = MachineFiles.read(file, err);
      if (machine == null) {
        allValid = false;
        continue;
      }
      for (String warning : machine.warnings()) {
        out.println(file + ": warning: " + MachineFiles.withoutSource(machine, warning));
      }
      int states = machine.definition().statePaths().size();
      out.println(file + ": ok (machine '" + machine.id() + "', " + states
          + (states == 1 ? " state)" : " states)"));
    }
    return allValid ? StatorCli.OK : StatorCli.FAILED;
  }
}
