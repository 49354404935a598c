package dev.stator.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** {@code stator explore FILE}: what it prints and how it exits. */
final class ExploreCommandTest {

  /** What one run printed, and how it exited. */
  private record Result(int exitCode, String out, String err) {}

  private static Result explore(String json, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    String[] all = new String[args.length + 2];
    all[0] = "explore";
    all[1] = "-";
    System.arraycopy(args, 0, all, 2, args.length);
    InputStream stdin = new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8));
    int code = StatorCli.run(stdin, new PrintWriter(out), new PrintWriter(err), all);
    return new Result(code, out.toString(), err.toString());
  }

  private static Path connection() {
    Path dir = Path.of("").toAbsolutePath();
    while (!Files.isRegularFile(dir.resolve("docs/stator-machine.schema.json"))) {
      dir = dir.getParent();
    }
    return dir.resolve("examples/src/main/resources/machines/connection.json");
  }

  @Test
  void explore_theConnectionMachine_reachesEveryStateAndFindsNothing() throws Exception {
    Result result = explore(Files.readString(connection()), "--depth", "5", "--faults");

    assertThat(result.exitCode()).isZero();
    assertThat(result.out())
        .contains("machine 'connection' explored to depth 5: ")
        .contains("  states never reached: none")
        .contains("  events never handled: none")
        // no-op bindings never throw: the expected-error transition's callbacks never run
        .contains("fault sites never run: action of state connecting on error Exception from"
            + " dial; guard of state connecting on error Exception from dial")
        .contains("FAILED with a fault at entry of state closed after send CLOSE: machine"
            + " 'connection' failed in state closed on event CLOSE during ENTRY");
  }

  @Test
  void explore_aMachineThatNeverSettles_exitsWithOne_andPrintsTheShortestScript() {
    String json = """
        {"id": "spin", "initial": "idle",
         "states": {
           "idle": {"on": {"GO": "a", "PING": "idle"}},
           "a": {"always": "b"},
           "b": {"always": "a"},
           "unused": {}
         }}
        """;

    Result result = explore(json, "--depth", "2", "--event", "NOISE");

    assertThat(result.exitCode()).isEqualTo(1);
    assertThat(result.out())
        .contains("  events never handled: NOISE")
        .contains("  states never reached: unused")
        .contains("FAILED after send GO: machine 'spin' failed in state a on event GO during"
            + " EVENTLESS: dev.stator.StepLimitException");
  }

  @Test
  void explore_aBadDepth_isAUsageError() {
    Result result = explore("{}", "--depth", "99");

    assertThat(result.exitCode()).isEqualTo(2);
    assertThat(result.err()).contains("--depth").contains("0 to 12");
  }
}
