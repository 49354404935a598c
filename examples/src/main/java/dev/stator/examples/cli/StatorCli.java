package dev.stator.examples.cli;

import java.io.InputStream;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The {@code stator} command: checks, draws and tries out JSON machine definitions without
 * writing any Java.
 *
 * <pre>
 *   stator validate machines/*.json
 *   stator render machines/connection.json --format dot
 *   stator simulate machines/connection.json -e CONNECT -e DROPPED -e wait:2s -e CLOSE
 * </pre>
 *
 * <p>Exit codes: 0 when everything went well, 1 when a file is invalid or unreadable or a simulated
 * machine failed, 2 for a command line that cannot be understood.
 *
 * <p>All configuration lives in the annotations, so {@link #main} and {@link #run} behave alike;
 * {@code run} only redirects the output, for tests and for embedding.
 */
@Command(
    name = "stator",
    mixinStandardHelpOptions = true,
    versionProvider = StatorCli.Version.class,
    exitCodeOnInvalidInput = StatorCli.USAGE,
    exitCodeOnExecutionException = StatorCli.FAILED,
    description = "Checks, draws and simulates Stator machines written in JSON.",
    synopsisSubcommandLabel = "COMMAND",
    subcommands = {ValidateCommand.class, RenderCommand.class, SimulateCommand.class,
        ExploreCommand.class},
    footerHeading = "%nExit codes:%n",
    footer = {
        "  0  success",
        "  1  an invalid or unreadable file, or a simulated machine that failed",
        "  2  a command line that cannot be understood"})
public final class StatorCli implements Callable<Integer> {

  /** Everything went well. */
  static final int OK = 0;
  /** A file was invalid or unreadable, or a simulated machine failed. */
  static final int FAILED = 1;
  /** The command line could not be understood. */
  static final int USAGE = 2;

  @Spec
  private CommandSpec spec;

  /** What a FILE of {@code -} reads: the process's standard input, unless {@link #run} got another. */
  private final InputStream stdin;

  private StatorCli(InputStream stdin) {
    this.stdin = stdin;
  }

  /**
   * Runs the tool and exits with its exit code.
   *
   * @param args the command line
   */
  public static void main(String[] args) {
    System.exit(new CommandLine(new StatorCli(System.in)).execute(args));
  }

  /**
   * Runs the tool in-process, writing to the given streams instead of the console.
   *
   * @param out receives the results: reports, diagrams, traces, help
   * @param err receives problems and usage errors
   * @param args the command line
   * @return the exit code: 0, 1 or 2 (see the class description)
   */
  public static int run(PrintWriter out, PrintWriter err, String... args) {
    return run(System.in, out, err, args);
  }

  /**
   * Runs the tool in-process, reading standard input from {@code in} and writing to the given
   * streams instead of the console.
   *
   * @param in what a FILE of {@code -} reads; not closed
   * @param out receives the results: reports, diagrams, traces, help
   * @param err receives problems and usage errors
   * @param args the command line
   * @return the exit code: 0, 1 or 2 (see the class description)
   */
  public static int run(InputStream in, PrintWriter out, PrintWriter err, String... args) {
    CommandLine commandLine = new CommandLine(new StatorCli(in));
    commandLine.setOut(out);
    commandLine.setErr(err);
    try {
      return commandLine.execute(args);
    } finally {
      out.flush();
      err.flush();
    }
  }

  /** Returns what a FILE of {@code -} reads. */
  InputStream stdin() {
    return stdin;
  }

  /** Without a subcommand there is nothing to do: that is a usage error. */
  @Override
  public Integer call() {
    throw new ParameterException(spec.commandLine(), "Missing required subcommand");
  }

  /** The version: the jar's Implementation-Version, written by the build into the manifest. */
  static final class Version implements IVersionProvider {
    @Override
    public String[] getVersion() {
      String version = StatorCli.class.getPackage().getImplementationVersion();
      return new String[] {
          "stator " + (version == null ? "(development build)" : version),
          "Java " + Runtime.version() + ", " + System.getProperty("java.vm.name")};
    }
  }
}
