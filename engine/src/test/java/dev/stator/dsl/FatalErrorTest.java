package dev.stator.dsl;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** RELIABILITY.md case 11: an OutOfMemoryError takes the loop's fatal path, in a forked JVM. */
final class FatalErrorTest {

  @Test
  void outOfMemoryInACallback_takesTheFatalPath_everyFutureCompletedNoMoreCallbacks()
      throws Exception {
    String java = System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
    Process process = new ProcessBuilder(java, "-Xmx48m", "-XX:-UseGCOverheadLimit",
        "-cp", System.getProperty("java.class.path"), OutOfMemoryScenario.class.getName())
        .redirectErrorStream(true)
        .start();
    boolean exited = process.waitFor(90, TimeUnit.SECONDS);
    if (!exited) {
      process.destroyForcibly();
    }
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

    assertThat(exited).as("the forked JVM ended; output:%n%s", output).isTrue();
    List<String> checks = output.lines().filter(l -> l.startsWith("CHECK ")).toList();
    assertThat(checks).as(output).containsExactly(
        "CHECK fatalHandlerTold=true",
        "CHECK fatalCause=OutOfMemoryError",
        "CHECK hogFailedWithOom=true",
        "CHECK bystanderCompleted=true",
        "CHECK bystanderFailed=true",
        "CHECK noUserCallbackAfterFatal=true",
        "CHECK sendRefusedAfterFatal=true",
        "CHECK loopClosed=true");
    assertThat(process.exitValue()).as(output).isZero();
  }
}
