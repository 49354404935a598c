package dev.stator.examples.durable;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A durable order workflow surviving its process being killed: the demo starts the order service
 * ({@link OrderService}) in a JVM of its own, which takes an order whose card payment fails and
 * schedules a retry ten seconds later; the demo kills that JVM with SIGKILL, starts a new one,
 * and the new one restores the order from its SQLite file: the retry fires at its original
 * deadline, the payment goes through, and the order completes.
 *
 * <p>Run it with {@code mvn -q -pl examples -am -Pdurable-demo -DskipTests verify}.
 */
public final class DurableOrderDemo {
  private DurableOrderDemo() {
  }

  /**
   * Runs the demo.
   *
   * @param args none
   * @throws Exception if a step of the demo fails
   */
  public static void main(String[] args) throws Exception {
    System.out.println("An order survives its service being killed: the order waits for a payment"
        + " retry when the service dies, and a new service resumes it from its store.");
    Path db = Files.createTempDirectory("stator-orders").resolve("orders.db");
    Process first = service("start", db);
    long due = 0;
    try (BufferedReader out = reader(first)) {
      String line;
      while ((line = out.readLine()) != null) {
        if (line.startsWith("RETRY_DUE ")) {
          due = Long.parseLong(line.substring("RETRY_DUE ".length()));
          break;
        }
        System.out.println(line);
      }
      first.destroyForcibly(); // SIGKILL: no shutdown hook runs, nothing is flushed
      first.waitFor(10, TimeUnit.SECONDS);
    }
    if (due == 0) {
      throw new IllegalStateException("the order service ended before scheduling the retry");
    }
    System.out.println("[demo] killed the order service with SIGKILL at "
        + OrderService.CLOCK.format(Instant.now()) + "; starting a new one");
    Process second = service("restore", db);
    try (BufferedReader out = reader(second)) {
      out.lines().forEach(System.out::println);
    }
    int exit = second.waitFor();
    System.out.println("[demo] the new service " + (exit == 0 ? "finished the order" : "failed")
        + "; the retry was due at " + OrderService.CLOCK.format(Instant.ofEpochMilli(due))
        + ", before and after the kill");
    if (exit != 0) {
      System.exit(exit);
    }
  }

  private static Process service(String phase, Path db) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    return new ProcessBuilder(List.of(java, "-cp", System.getProperty("java.class.path"),
        OrderService.class.getName(), phase, db.toString()))
        .redirectError(ProcessBuilder.Redirect.INHERIT)
        .start();
  }

  private static BufferedReader reader(Process process) {
    return new BufferedReader(new InputStreamReader(process.getInputStream(),
        StandardCharsets.UTF_8));
  }
}
