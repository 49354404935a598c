package dev.stator.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.RandomAccessFile;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.Timeout.ThreadMode;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Runs the {@code stator} command in-process and checks its output and exit codes. */
class StatorCliTest {

  private static Path machines;
  private static Path connection;
  private static Path orderWorkflow;
  private static Path trafficLight;

  @TempDir
  Path temp;

  /** What one run of the tool printed, and how it exited. */
  private record Result(int exitCode, String out, String err) {
    List<String> outLines() {
      return out.lines().toList();
    }

    List<String> errLines() {
      return err.lines().toList();
    }
  }

  @BeforeAll
  static void findTheExampleMachines() {
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null && !Files.isRegularFile(dir.resolve("docs/stator-machine.schema.json"))) {
      dir = dir.getParent();
    }
    assertThat(dir).as("the repository root, above " + Path.of("").toAbsolutePath()).isNotNull();
    machines = dir.resolve("examples/src/main/resources/machines");
    connection = machines.resolve("connection.json");
    orderWorkflow = machines.resolve("order-workflow.json");
    trafficLight = machines.resolve("traffic-light.json");
  }

  private static Result stator(Object... args) {
    return statorReading(InputStream.nullInputStream(), args);
  }

  /** Runs the tool with {@code stdin} as its standard input. */
  private static Result statorReading(InputStream stdin, Object... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    String[] text = new String[args.length];
    for (int i = 0; i < args.length; i++) {
      text[i] = args[i].toString();
    }
    int exitCode = StatorCli.run(stdin, new PrintWriter(out), new PrintWriter(err), text);
    return new Result(exitCode, out.toString(), err.toString());
  }

  private Path write(String name, String json) throws IOException {
    return Files.writeString(temp.resolve(name), json);
  }

  /** A machine whose only transition names a state that does not exist, on line 5. */
  private Path brokenMachine() throws IOException {
    return write("broken.json", """
        {
          "id": "broken",
          "initial": "idle",
          "states": {
            "idle": { "on": { "GO": "nowhere" } },
            "busy": {}
          }
        }
        """);
  }

  // ------------------------------------------------------------------ validate

  @Test
  void validateAcceptsTheExampleMachines() {
    Result result = stator("validate", connection, orderWorkflow, trafficLight);

    assertThat(result.exitCode()).isZero();
    assertThat(result.outLines()).containsExactly(
        connection + ": ok (machine 'connection', 6 states)",
        orderWorkflow + ": ok (machine 'order-workflow', 12 states)",
        trafficLight + ": ok (machine 'traffic-light', 9 states)");
    assertThat(result.err()).isEmpty();
  }

  @Test
  void validateReportsEachProblemWithFileLineAndColumn() throws IOException {
    Path broken = brokenMachine();

    Result result = stator("validate", broken);

    assertThat(result.exitCode()).isEqualTo(1);
    assertThat(result.out()).isEmpty();
    assertThat(result.errLines()).singleElement().satisfies(line -> {
      assertThat(line).matches("^.+:\\d+:\\d+: .+");
      assertThat(line).startsWith(broken + ":5:29: /states/idle/on/GO: ");
      assertThat(line).contains("\"nowhere\" is not a state");
    });
  }

  @Test
  void validateChecksEveryFileAndFailsIfAnyIsInvalid() throws IOException {
    Path broken = brokenMachine();

    Result result = stator("validate", connection, broken);

    assertThat(result.exitCode()).isEqualTo(1);
    assertThat(result.outLines()).containsExactly(connection + ": ok (machine 'connection', 6 states)");
    assertThat(result.errLines()).singleElement().asString().startsWith(broken + ":5:29: ");
  }

  @Test
  void validatePrintsWarningsWithoutNamingTheFileTwice() throws IOException {
    Path lonely = write("lonely.json", """
        {
          "id": "lonely",
          "initial": "idle",
          "states": {
            "idle": { "on": { "GO": "idle" } },
            "island": {}
          }
        }
        """);

    Result result = stator("validate", lonely);

    assertThat(result.exitCode()).isZero();
    assertThat(result.outLines()).containsExactly(
        lonely + ": warning: state 'island' is unreachable from the initial state",
        lonely + ": ok (machine 'lonely', 2 states)");
    assertThat(result.err()).isEmpty();
  }

  @Test
  void aMissingFileIsReportedAndFails() {
    Path missing = temp.resolve("missing.json");

    Result result = stator("validate", missing, connection);

    assertThat(result.exitCode()).isEqualTo(1);
    assertThat(result.errLines()).containsExactly(missing + ":0:0: cannot read the file: no such file");
    assertThat(result.outLines()).containsExactly(connection + ": ok (machine 'connection', 6 states)");
  }

  @Test
  void aDirectoryIsReportedAsUnreadable() {
    Result result = stator("validate", temp);

    assertThat(result.exitCode()).isEqualTo(1);
    assertThat(result.errLines()).containsExactly(temp + ":0:0: cannot read the file: it is a directory");
  }

  // ------------------------------------------------------------------ not regular files, and stdin

  /** FIFOs made by a test, opened once more after it so that a reader stuck in open() returns. */
  private final List<Path> fifos = new ArrayList<>();

  /**
   * Makes a named pipe with nobody writing to it: opening it for reading blocks until a writer
   * comes, so reading it would hang the tool.
   */
  private Path fifo(String name) throws Exception {
    Path fifo = temp.resolve(name);
    Process mkfifo;
    try {
      mkfifo = new ProcessBuilder("mkfifo", fifo.toString()).redirectErrorStream(true).start();
    } catch (IOException noMkfifo) {
      // Java has no call that makes a FIFO; without the mkfifo program (Windows) there is none
      assumeTrue(false, "mkfifo is not available to make a FIFO: " + noMkfifo.getMessage());
      throw noMkfifo;
    }
    assertThat(mkfifo.waitFor(10, TimeUnit.SECONDS)).as("mkfifo finished").isTrue();
    assertThat(mkfifo.exitValue()).as("mkfifo's exit code").isZero();
    fifos.add(fifo);
    return fifo;
  }

  @AfterEach
  void releaseReadersStuckOnFifos() throws IOException {
    // opening a FIFO read-write never blocks on Linux, and counts as the writer a blocked reader
    // waits for; closing it then gives that reader an end of file, so a failed test ends cleanly
    for (Path fifo : fifos) {
      try (RandomAccessFile writer = new RandomAccessFile(fifo.toFile(), "rw")) {
        writer.getFD();
      }
    }
  }

  @Test
  @Timeout(value = 10, threadMode = ThreadMode.SEPARATE_THREAD)
  void validate_fifo_isRefusedAtOnce() throws Exception {
    Path fifo = fifo("pipe.json");

    Result result = stator("validate", fifo, connection);

    assertThat(result.exitCode()).isEqualTo(1);
    assertThat(result.errLines()).containsExactly(
        fifo + ":0:0: cannot read the file: it is not a regular file (a FIFO)");
    assertThat(result.outLines()).containsExactly(connection + ": ok (machine 'connection', 6 states)");
  }

  @ParameterizedTest
  @ValueSource(strings = {"validate", "render", "simulate"})
  @Timeout(value = 10, threadMode = ThreadMode.SEPARATE_THREAD)
  void everySubcommand_refusesAFifoAtOnce(String subcommand) throws Exception {
    Path fifo = fifo("pipe.json");

    Result result = stator(subcommand, fifo);

    assertThat(result.exitCode()).isEqualTo(1);
    assertThat(result.out()).isEmpty();
    assertThat(result.errLines()).containsExactly(
        fifo + ":0:0: cannot read the file: it is not a regular file (a FIFO)");
  }

  @Test
  @Timeout(value = 10, threadMode = ThreadMode.SEPARATE_THREAD)
  void validate_symlinkToAFifo_isRefusedLikeTheFifo() throws Exception {
    Path fifo = fifo("pipe.json");
    Path link = Files.createSymbolicLink(temp.resolve("link.json"), fifo);

    Result result = stator("validate", link);

    assertThat(result.exitCode()).isEqualTo(1);
    assertThat(result.errLines()).containsExactly(
        link + ":0:0: cannot read the file: it is not a regular file (a FIFO)");
  }

  @Test
  void validate_symlinkToARegularFile_isRead() throws IOException {
    Path link = Files.createSymbolicLink(temp.resolve("link.json"), connection);

    Result result = stator("validate", link);

    assertThat(result.exitCode()).isZero();
    assertThat(result.outLines()).containsExactly(link + ": ok (machine 'connection', 6 states)");
  }

  @ParameterizedTest
  @ValueSource(strings = {"/dev/null", "/dev/zero"})
  @Timeout(value = 10, threadMode = ThreadMode.SEPARATE_THREAD)
  void validate_device_isRefusedAtOnce(String device) {
    assumeTrue(Files.exists(Path.of(device)), device + " exists only on Unix-like systems");

    Result result = stator("validate", device);

    assertThat(result.exitCode()).isEqualTo(1);
    assertThat(result.errLines()).containsExactly(
        device + ":0:0: cannot read the file: it is not a regular file (a character device)");
  }

  private static InputStream utf8(String text) {
    return new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void validate_dash_readsStandardInput() throws IOException {
    Result result = statorReading(utf8(Files.readString(connection)), "validate", "-");

    assertThat(result.exitCode()).isZero();
    assertThat(result.outLines()).containsExactly("<stdin>: ok (machine 'connection', 6 states)");
    assertThat(result.err()).isEmpty();
  }

  @Test
  void validate_dash_reportsStandardInputsProblemsAsFromStdin() throws IOException {
    Result result = statorReading(utf8(Files.readString(brokenMachine())), "validate", "-");

    assertThat(result.exitCode()).isEqualTo(1);
    assertThat(result.errLines()).singleElement().asString()
        .startsWith("<stdin>:5:29: /states/idle/on/GO: ");
  }

  @Test
  void renderAndSimulate_dash_readStandardInput() throws IOException {
    String json = Files.readString(connection);

    Result render = statorReading(utf8(json), "render", "-", "--format", "dot");
    Result simulate = statorReading(utf8(json), "simulate", "-", "-e", "CONNECT");

    assertThat(render.exitCode()).isZero();
    assertThat(render.outLines()).first().isEqualTo("digraph \"connection\" {");
    assertThat(simulate.exitCode()).isZero();
    assertThat(simulate.outLines()).contains("[+0ms] idle --CONNECT--> connecting");
  }

  /** An endless standard input: {@code prefix}, then {@code filler} for ever. */
  private static final class Endless extends InputStream {
    private final byte[] prefix;
    private final byte[] filler;
    long read;

    Endless(String prefix, String filler) {
      this.prefix = prefix.getBytes(StandardCharsets.UTF_8);
      this.filler = filler.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public int read() {
      long at = read++;
      return at < prefix.length ? prefix[(int) at] : filler[(int) ((at - prefix.length) % filler.length)];
    }
  }

  @Test
  @Timeout(value = 60, threadMode = ThreadMode.SEPARATE_THREAD)
  void validate_dash_readsStandardInputWithinTheSizeLimit() {
    Endless endless = new Endless("{\"id\": \"x\", \"meta\": [", "\"" + "a".repeat(1000) + "\",");

    Result result = statorReading(endless, "validate", "-");

    assertThat(result.exitCode()).isEqualTo(1);
    assertThat(result.errLines()).singleElement().asString().startsWith("<stdin>:")
        .endsWith("the document is longer than 16777216 bytes (JsonLimits.maxDocumentBytes)");
    assertThat(endless.read).isLessThan(17L << 20);
  }

  @Test
  void validate_dashTwice_isAUsageError() {
    Result result = statorReading(utf8("{}"), "validate", "-", connection, "-");

    assertThat(result.exitCode()).isEqualTo(2);
    assertThat(result.err()).startsWith("Standard input ('-') can be read only once");
    assertThat(result.out()).isEmpty();
  }

  // ------------------------------------------------------------------ usage errors

  @Test
  void noArgumentsIsAUsageError() {
    Result result = stator();

    assertThat(result.exitCode()).isEqualTo(2);
    assertThat(result.err()).startsWith("Missing required subcommand").contains("Usage: stator");
    assertThat(result.out()).isEmpty();
  }

  @Test
  void validateWithoutFilesIsAUsageError() {
    Result result = stator("validate");

    assertThat(result.exitCode()).isEqualTo(2);
    assertThat(result.err()).startsWith("Missing required parameter: 'FILE'")
        .contains("Usage: stator validate");
    assertThat(result.out()).isEmpty();
  }

  @Test
  void anUnknownOptionIsAUsageError() {
    assertThat(stator("--bogus").exitCode()).isEqualTo(2);

    Result result = stator("validate", "--bogus", connection);

    assertThat(result.exitCode()).isEqualTo(2);
    assertThat(result.err()).startsWith("Unknown option: '--bogus'");
    assertThat(result.out()).isEmpty();
  }

  @Test
  void anUnknownSubcommandIsAUsageError() {
    Result result = stator("draw", connection);

    assertThat(result.exitCode()).isEqualTo(2);
    assertThat(result.out()).isEmpty();
  }

  @Test
  void anUnknownFormatIsAUsageError() {
    Result result = stator("render", connection, "--format", "svg");

    assertThat(result.exitCode()).isEqualTo(2);
    assertThat(result.err()).startsWith("Invalid value for option '--format'").contains("svg");
    assertThat(result.out()).isEmpty();
  }

  @Test
  void anUnreadableWaitIsAUsageErrorAndNothingRuns() {
    Result result = stator("simulate", connection, "--event", "CONNECT", "--event", "wait:soon");

    assertThat(result.exitCode()).isEqualTo(2);
    assertThat(result.err()).startsWith("Invalid value for option '--event': \"soon\" is not a duration");
    assertThat(result.out()).isEmpty();
  }

  @Test
  void helpAndVersionSucceed() {
    Result help = stator("--help");
    assertThat(help.exitCode()).isZero();
    assertThat(help.out()).startsWith("Usage: stator [-hV] COMMAND")
        .contains("validate", "render", "simulate", "Exit codes:");

    Result subcommandHelp = stator("simulate", "--help");
    assertThat(subcommandHelp.exitCode()).isZero();
    assertThat(subcommandHelp.out()).contains("-e, --event=EVENT", "wait:DURATION");

    Result version = stator("--version");
    assertThat(version.exitCode()).isZero();
    assertThat(version.outLines().get(0)).startsWith("stator ");
  }

  // ------------------------------------------------------------------ render

  @Test
  void renderDrawsDot() {
    Result result = stator("render", connection, "--format", "dot");

    assertThat(result.exitCode()).isZero();
    assertThat(result.err()).isEmpty();
    assertThat(result.outLines()).first().isEqualTo("digraph \"connection\" {");
    assertThat(result.outLines()).contains(
        "  \"__start\" -> \"idle\";",
        "  \"idle\" -> \"connecting\" [label=\"CONNECT\"];",
        "  \"connecting\" -> \"connected\" [label=\"done dial\"];",
        "  \"backoff\" -> \"connecting\" [label=\"after PT2S\"];",
        "  \"closed\" [peripheries=2];");
    assertThat(result.out()).contains("\"idle\"", "\"connecting\"", "\"connected\"", "\"alive\"",
        "\"backoff\"", "\"closed\"");
  }

  @Test
  void renderDrawsMermaidByDefault() {
    Result result = stator("render", trafficLight);

    assertThat(result.exitCode()).isZero();
    assertThat(result.err()).isEmpty();
    assertThat(result.outLines()).first().isEqualTo("stateDiagram-v2");
    assertThat(result.outLines()).contains(
        "    [*] --> operating",
        "        [*] --> red",
        "    off --> [*]");
    assertThat(result.out()).contains("operating", "red", "green", "yellow", "choosing", "night",
        "flashOn", "flashOff", "off");
    assertThat(stator("render", trafficLight, "-f", "mermaid").out()).isEqualTo(result.out());
  }

  @Test
  void renderOfAnInvalidFilePrintsItsProblems() throws IOException {
    Path broken = brokenMachine();

    Result result = stator("render", broken, "--format", "dot");

    assertThat(result.exitCode()).isEqualTo(1);
    assertThat(result.out()).isEmpty();
    assertThat(result.errLines()).singleElement().asString().startsWith(broken + ":5:29: ");
  }

  // ------------------------------------------------------------------ simulate

  @Test
  void simulateTheConnection() {
    Result result = stator("simulate", connection,
        "--event", "CONNECT", "--event", "DROPPED", "--event", "wait:2s", "--event", "CLOSE");

    assertThat(result.exitCode()).isZero();
    assertThat(result.err()).isEmpty();
    assertThat(result.outLines()).containsExactly(
        "[+0ms] (start) --START--> idle",
        "[+0ms] idle --CONNECT--> connecting",
        // no-op bindings: the dial returns at once, so onDone is taken in the same step
        "[+0ms] connecting --CallDone(dial)--> connected/alive",
        "[+0ms] connected/alive --DROPPED--> backoff",
        "[+2000ms] backoff --Timeout(backoff after PT2S)--> connecting",
        "[+2000ms] connecting --CallDone(dial)--> connected/alive",
        "[+2000ms] connected/alive --CLOSE--> closed",
        "final state: COMPLETED [closed]");
  }

  @Test
  void simulateFiresATimerExactlyWhenItFallsDue() {
    Result result = stator("simulate", connection,
        "-e", "CONNECT", "-e", "DROPPED", "-e", "wait:1999ms", "-e", "wait:1", "-e", "wait:PT30S",
        "-e", "wait:0.5m", "-e", "CLOSE", "-e", "CONNECT");

    assertThat(result.exitCode()).isZero();
    assertThat(result.err()).isEmpty();
    assertThat(result.outLines()).containsExactly(
        "[+0ms] (start) --START--> idle",
        "[+0ms] idle --CONNECT--> connecting",
        "[+0ms] connecting --CallDone(dial)--> connected/alive",
        "[+0ms] connected/alive --DROPPED--> backoff",
        "[+2000ms] backoff --Timeout(backoff after PT2S)--> connecting",
        "[+2000ms] connecting --CallDone(dial)--> connected/alive",
        "[+32000ms] connected/alive --Timeout(alive after PT30S)--> connected/alive",
        "[+62000ms] connected/alive --Timeout(alive after PT30S)--> connected/alive",
        "[+62000ms] connected/alive --CLOSE--> closed",
        "[+62000ms] CONNECT not sent: the machine is COMPLETED [closed]",
        "final state: COMPLETED [closed]");
  }

  @Test
  void simulateWithoutEventsShowsTheInitialState() {
    Result result = stator("simulate", orderWorkflow);

    assertThat(result.exitCode()).isZero();
    assertThat(result.outLines()).containsExactly(
        "[+0ms] (start) --START--> received",
        "[+0ms] received --CallDone(checkStock)--> awaitingPayment",
        "final state: awaitingPayment");
  }

  @Test
  void simulateReportsAMachineThatFailed() throws IOException {
    Path strict = write("strict.json", """
        {
          "id": "strict",
          "initial": "idle",
          "unhandled": "fault",
          "states": {
            "idle": { "on": { "GO": "busy" } },
            "busy": { "after": { "1s": "idle" } }
          }
        }
        """);

    Result result = stator("simulate", strict, "-e", "GO", "-e", "STOP");

    assertThat(result.exitCode()).isEqualTo(1);
    assertThat(result.outLines()).containsExactly(
        "[+0ms] (start) --START--> idle",
        "[+0ms] idle --GO--> busy",
        "final state: FAILED [busy]");
    assertThat(result.errLines()).first().asString().startsWith(
        "machine 'strict' failed in state busy on event STOP during DISPATCH: ");
  }

  @Test
  @Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
  void simulate_zeroDelayCycle_stopsWithAStepLimitAndFails() throws IOException {
    Path spin = write("spin.json", """
        { "id": "spin", "initial": "a",
          "states": { "a": { "after": { "0": { "target": "a", "reenter": true } } } } }
        """);

    Result result = stator("simulate", spin, "-e", "wait:1s");

    assertThat(result.exitCode()).isEqualTo(1);
    assertThat(result.outLines()).last().asString().isEqualTo("final state: FAILED [a]");
    assertThat(result.errLines()).first().asString()
        .startsWith("machine 'spin' failed in state a on event ")
        .contains("during TIMER: dev.stator.StepLimitException")
        .contains("timers of zero delay in a row");
  }

  @Test
  void simulateOfAnInvalidFilePrintsItsProblems() throws IOException {
    Path broken = brokenMachine();

    Result result = stator("simulate", broken, "-e", "GO");

    assertThat(result.exitCode()).isEqualTo(1);
    assertThat(result.out()).isEmpty();
    assertThat(result.errLines()).singleElement().asString().startsWith(broken + ":5:29: ");
  }

  // ------------------------------------------------------------------ text from files is escaped

  @Test
  void validate_targetWithANewline_cannotForgeAnOkLine() throws IOException {
    Path forged = write("forged.json", """
        {
          "id": "forged",
          "initial": "idle",
          "states": { "idle": { "on": { "GO": "x\\nfile.json: ok" } } }
        }
        """);

    Result result = stator("validate", forged);

    assertThat(result.exitCode()).isEqualTo(1);
    assertThat(result.out()).isEmpty();
    assertThat(result.errLines()).singleElement().asString()
        .startsWith(forged + ":4:").contains(": /states/idle/on/GO: ")
        .contains("target \"x\\nfile.json: ok\" is not a state");
  }

  @Test
  void validate_escapeAndBellInNames_areEscapedInWarningsAndOkLines() throws IOException {
    Path noisy = write("noisy.json", """
        {
          "id": "noisy\\u0007\\u001b]0;owned\\u0007",
          "initial": "idle",
          "states": { "idle": {}, "red\\u001b[31m": {} }
        }
        """);

    Result result = stator("validate", noisy);

    assertThat(result.exitCode()).isZero();
    assertThat(result.out()).doesNotContain("\u001b", "\u0007");
    assertThat(result.outLines()).containsExactly(
        noisy + ": warning: state 'red\\u001b[31m' is unreachable from the initial state",
        noisy + ": ok (machine 'noisy\\u0007\\u001b]0;owned\\u0007', 2 states)");
  }

  @Test
  void validate_fileNameWithANewline_isPrintedEscaped() throws IOException {
    Path odd = write("odd\nx.json: ok.json", Files.readString(brokenMachine()));

    Result result = stator("validate", odd);

    assertThat(result.exitCode()).isEqualTo(1);
    assertThat(result.errLines()).singleElement().asString()
        .startsWith(temp + "/odd\\nx.json: ok.json:5:29: ");
  }

  @Test
  void simulate_stateAndEventNames_arePrintedEscaped() throws IOException {
    Path machine = write("escapes.json", """
        {
          "id": "escapes",
          "initial": "a\\u001b[2J",
          "unhandled": "fault",
          "states": {
            "a\\u001b[2J": { "on": { "GO\\u0007": "b\\nfinal state: COMPLETED" } },
            "b\\nfinal state: COMPLETED": {}
          }
        }
        """);

    Result result = stator("simulate", machine, "-e", "GO\u0007", "-e", "STOP\u001b");

    assertThat(result.out() + result.err()).doesNotContain("\u001b", "\u0007");
    assertThat(result.outLines()).containsExactly(
        "[+0ms] (start) --START--> a\\u001b[2J",
        "[+0ms] a\\u001b[2J --GO\\u0007--> b\\nfinal state: COMPLETED",
        "final state: FAILED [b\\nfinal state: COMPLETED]");
    assertThat(result.errLines()).first().asString().startsWith(
        "machine 'escapes' failed in state b\\nfinal state: COMPLETED on event STOP\\u001b during"
            + " DISPATCH: ");
  }

  // ------------------------------------------------------------------ issue 12: JSON output,
  // several files to render, unhandled events

  @Test
  void validate_outputJson_printsEveryProblemAsAJsonArray() throws IOException {
    Path broken = brokenMachine();
    Path quoted = write("say \"hi\".json", "{ \"id\": \"q\", \"initial\": \"a\", \"states\": {} }");

    Result result = stator("validate", "--output", "json", connection, broken, temp.resolve("gone.json"));

    assertThat(result.exitCode()).isEqualTo(1);
    assertThat(result.err()).isEmpty();
    String json = result.out().strip();
    assertThat(json).startsWith("[").endsWith("]");
    assertThat(json).contains("{\"file\":\"" + broken.toString().replace("\\", "\\\\")
        + "\",\"line\":5,\"column\":29,\"pointer\":\"/states/idle/on/GO\",\"severity\":\"error\","
        + "\"message\":\"");
    assertThat(json).contains("\\\"nowhere\\\" is not a state");
    // unreadable: no line or column to give
    assertThat(json).contains("{\"file\":\"" + temp.resolve("gone.json").toString().replace("\\", "\\\\")
        + "\",\"severity\":\"error\",\"message\":\"cannot read the file: no such file\"}");
    assertThat(json).doesNotContain("ok (machine");

    Result quotes = stator("validate", "--output", "json", quoted);
    assertThat(quotes.exitCode()).isEqualTo(1);
    assertThat(quotes.out()).contains("\"file\":\"" + quoted.toString().replace("\\", "\\\\")
        .replace("\"", "\\\"") + "\"");
  }

  @Test
  void validate_outputJson_ofValidFiles_isAnEmptyArrayOrWarnings() throws IOException {
    Path lonely = write("lonely.json", """
        {
          "id": "lonely",
          "initial": "a",
          "states": { "a": {}, "unreachable": {} }
        }
        """);

    Result ok = stator("validate", "-o", "json", connection);
    Result warned = stator("validate", "--output=json", lonely);

    assertThat(ok.exitCode()).isZero();
    assertThat(ok.out().strip()).isEqualTo("[]");
    assertThat(warned.exitCode()).isZero();
    assertThat(warned.out()).contains("\"severity\":\"warning\"");
    assertThat(stator("validate", "--output", "xml", connection).exitCode()).isEqualTo(2);
  }

  @Test
  void validate_outputJson_readsStandardInput() throws IOException {
    Result result = statorReading(utf8(Files.readString(brokenMachine())),
        "validate", "--output", "json", "-");

    assertThat(result.exitCode()).isEqualTo(1);
    assertThat(result.out()).contains("{\"file\":\"<stdin>\",\"line\":5,\"column\":29,");
  }

  @Test
  void render_severalFiles_drawsEachUnderItsName() throws IOException {
    Path broken = brokenMachine();

    Result mermaid = stator("render", connection, trafficLight);
    Result dot = stator("render", "-f", "dot", connection, broken, trafficLight);

    assertThat(mermaid.exitCode()).isZero();
    assertThat(mermaid.outLines()).containsSubsequence(
        "%% " + connection, "stateDiagram-v2", "%% " + trafficLight, "stateDiagram-v2");
    assertThat(dot.exitCode()).isEqualTo(1);
    assertThat(dot.outLines()).containsSubsequence(
        "// " + connection, "digraph \"connection\" {", "// " + trafficLight,
        "digraph \"traffic-light\" {");
    assertThat(dot.out()).doesNotContain("// " + broken);
    assertThat(dot.errLines()).singleElement().asString().startsWith(broken + ":5:29: ");
    assertThat(statorReading(utf8("{}"), "render", "-", "-").exitCode()).isEqualTo(2);
  }

  @Test
  void simulate_unhandledEvent_isPrintedWithItsState() {
    Result result = stator("simulate", connection, "-e", "CLOSE_PLEASE", "-e", "CONNECT",
        "-e", "CONNECT");

    assertThat(result.exitCode()).isZero();
    assertThat(result.outLines()).containsExactly(
        "[+0ms] (start) --START--> idle",
        "[+0ms] CLOSE_PLEASE not handled in state idle",
        "[+0ms] idle --CONNECT--> connecting",
        "[+0ms] connecting --CallDone(dial)--> connected/alive",
        "[+0ms] CONNECT not handled in state connected/alive",
        "final state: connected/alive");
  }

  @Test
  void simulate_eventTakenByATargetlessTransition_isHandled() throws IOException {
    Path counter = write("counter.json", """
        {
          "id": "counter",
          "initial": "on",
          "states": { "on": { "on": { "TICK": { "actions": "count" } } } }
        }
        """);

    Result result = stator("simulate", counter, "-e", "TICK", "-e", "TOCK");

    assertThat(result.exitCode()).isZero();
    assertThat(result.out()).doesNotContain("TICK not handled");
    assertThat(result.outLines()).contains("[+0ms] TOCK not handled in state on");
  }
}
