package dev.stator.examples.cli;

import dev.stator.dsl.export.Diagrams;
import dev.stator.dsl.json.JsonMachine;
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

/**
 * {@code stator render FILE... [--format dot|mermaid]}: prints each machine as a diagram, one after
 * another, each headed by a comment naming its file when there are several.
 */
@Command(
    name = "render",
    header = "Prints a machine as a Mermaid or Graphviz DOT diagram.",
    mixinStandardHelpOptions = true,
    versionProvider = StatorCli.Version.class,
    exitCodeOnInvalidInput = StatorCli.USAGE,
    description = {
        "Prints a JSON machine as a diagram on standard output: a Mermaid stateDiagram-v2 or a"
            + " Graphviz DOT digraph (render it with 'dot -Tsvg').",
        "Several files give several diagrams, one after another, each headed by a comment with its"
            + " file name (%%%% FILE for Mermaid, // FILE for DOT; 'dot' draws every graph of a"
            + " file).",
        "An invalid file has its problems printed to standard error instead, and the others are"
            + " still drawn; the exit code is then 1.",
        "A FILE of - reads standard input, at most once; only regular files are read, and a FIFO or a device is"
            + " refused."})
final class RenderCommand implements Callable<Integer> {

  /** The diagram languages; spelled as they are typed on the command line. */
  enum Format { dot, mermaid }

  @Spec
  private CommandSpec spec;

  @ParentCommand
  private StatorCli cli;

  @Parameters(arity = "1..*", paramLabel = "FILE",
      description = "The JSON files to draw; - for standard input.")
  private List<Path> files;

  @Option(names = {"-f", "--format"}, paramLabel = "FORMAT", defaultValue = "mermaid",
      description = "The diagram language: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
  private Format format;

  @Override
  public Integer call() {
    if (files.stream().filter(MachineFiles::isStdin).count() > 1) {
      throw new ParameterException(spec.commandLine(),
          "Standard input ('-') can be read only once");
    }
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    boolean allValid = true;
    boolean first = true;
    for (Path file : files) {
      JsonMachine<Object> machine = MachineFiles.read(file, cli.stdin(), err);
      if (machine == null) {
        allValid = false;
        continue;
      }
      if (files.size() > 1) {
        // a comment in the diagram's own language, so that each part stays a valid diagram
        out.print(first ? "" : System.lineSeparator());
        out.println((format == Format.dot ? "// " : "%% ") + MachineFiles.name(file));
        first = false;
      }
      out.print(switch (format) {
        case dot -> Diagrams.dot(machine.definition());
        case mermaid -> Diagrams.mermaid(machine.definition());
      });
      // print() does not flush on its own, and main's System.exit would drop what is buffered
      out.flush();
    }
    return allValid ? StatorCli.OK : StatorCli.FAILED;
  }
}
