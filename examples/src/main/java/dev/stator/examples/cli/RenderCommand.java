package dev.stator.examples.cli;

import dev.stator.dsl.export.Diagrams;
import dev.stator.dsl.json.JsonMachine;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code stator render FILE [--format dot|mermaid]}: prints the machine as a diagram. */
@Command(
    name = "render",
    header = "Prints a machine as a Mermaid or Graphviz DOT diagram.",
    mixinStandardHelpOptions = true,
    versionProvider = StatorCli.Version.class,
    exitCodeOnInvalidInput = StatorCli.USAGE,
    description = {
        "Prints a JSON machine as a diagram on standard output: a Mermaid stateDiagram-v2 or a"
            + " Graphviz DOT digraph (render it with 'dot -Tsvg').",
        "An invalid file has its problems printed to standard error instead.",
        "A FILE of - reads standard input; only regular files are read, and a FIFO or a device is"
            + " refused."})
final class RenderCommand implements Callable<Integer> {

  /** The diagram languages; spelled as they are typed on the command line. */
  enum Format { dot, mermaid }

  @Spec
  private CommandSpec spec;

  @ParentCommand
  private StatorCli cli;

  @Parameters(index = "0", paramLabel = "FILE",
      description = "The JSON file to draw; - for standard input.")
  private Path file;

  @Option(names = {"-f", "--format"}, paramLabel = "FORMAT", defaultValue = "mermaid",
      description = "The diagram language: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
  private Format format;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    JsonMachine<Object> machine = MachineFiles.read(file, cli.stdin(),
        spec.commandLine().getErr());
    if (machine == null) {
      return StatorCli.FAILED;
    }
    out.print(switch (format) {
      case dot -> Diagrams.dot(machine.definition());
      case mermaid -> Diagrams.mermaid(machine.definition());
    });
    // print() does not flush on its own, and main's System.exit would drop what is buffered
    out.flush();
    return StatorCli.OK;
  }
}
