package dev.stator.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stator.Status;
import dev.stator.durable.MachineImage;
import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * Durable machines survive their process being killed with SIGKILL at seeded random moments: a
 * child JVM ({@link CrashWorkload}) drives many machines with durable sends against a real store,
 * is killed after a random number of acknowledged steps, and is started again from the store, many
 * times. Then every machine's stored image is checked: every acknowledged step is there, no
 * operation was applied twice or skipped, every timer fired at its deadline (or, when the process
 * was down then, as soon as it came back), and every machine failed on purpose is stored FAILED
 * with its report.
 *
 * <p>The seed is printed, and a failure names it; {@code -Dstator.crash.seed=…} replays a run's
 * kill points ({@code -Dstator.crash.kills=…} sets how many kills per store).
 */
final class CrashKillTest {
  private static final int MACHINES = 40;

  @Test
  void machinesKilledAtRandomMoments_loseNoCommittedStep_onEveryStore() throws Exception {
    long seed = Long.getLong("stator.crash.seed", System.nanoTime());
    int kills = Integer.getInteger("stator.crash.kills", 25);
    System.out.println("crash-kill test: seed " + seed + ", " + kills + " kills per store");
    // the two stores' runs go side by side: each is mostly a child JVM starting up
    CompletableFuture<String> postgres = CompletableFuture.supplyAsync(
        () -> killAndCheck(Databases.Kind.POSTGRESQL, seed, kills));
    String sqlite = killAndCheck(Databases.Kind.SQLITE, seed, kills);
    System.out.println(sqlite);
    System.out.println(postgres.join());
  }

  private static String killAndCheck(Databases.Kind kind, long seed, int kills) {
    try {
      return killAndCheckOrThrow(kind, seed, kills);
    } catch (Exception e) {
      throw new AssertionError("seed " + seed + " on " + kind + ": " + e, e);
    }
  }

  private static String killAndCheckOrThrow(Databases.Kind kind, long seed, int kills)
      throws Exception {
    String where;
    if (kind == Databases.Kind.SQLITE) {
      Path dir = Files.createTempDirectory("stator-crash");
      where = dir.resolve("machines.db").toString();
    } else {
      try (Connection c = Databases.postgres().getConnection();
          Statement s = c.createStatement()) {
        s.execute("DROP TABLE IF EXISTS " + JdbcMachineStore.DEFAULT_TABLE);
      }
      where = Databases.postgresUrl();
    }
    SplittableRandom random = new SplittableRandom(seed);
    Map<String, List<String>> acked = new ConcurrentHashMap<>();
    List<Long> ready = new CopyOnWriteArrayList<>();
    int ackedSteps = 0;
    for (int run = 0; run < kills; run++) {
      int killAfter = 10 + random.nextInt(140);
      ackedSteps += runAndKill(kind, where, random.nextLong(), killAfter, acked, ready, seed);
    }
    String context = "seed " + seed + " on " + kind;
    int stepsChecked = 0;
    int lostCalls = 0;
    int timers = 0;
    try (JdbcMachineStore store = CrashWorkload.store(
        kind == Databases.Kind.SQLITE ? "sqlite" : "postgres", where)) {
      List<MachineImage> images = store.loadAll("worker");
      assertThat(images).as(context).hasSize(MACHINES);
      for (MachineImage image : images) {
        stepsChecked += check(image, acked.getOrDefault(image.machineId(), List.of()), ready,
            context);
        CrashWorkload.Work work = CrashWorkload.CODEC.decode(image.context());
        lostCalls += work.lostCalls;
        timers += work.timers.size();
      }
    }
    return "crash-kill test on " + kind + ": " + kills + " kills, " + MACHINES + " machines, "
        + ackedSteps + " acknowledged steps, " + stepsChecked + " operations checked, " + timers
        + " timers fired on time, " + lostCalls + " calls lost in a kill and told to their"
        + " machine; nothing lost";
  }

  /** Runs the child until it has acknowledged {@code killAfter} steps, then kills it. */
  private static int runAndKill(Databases.Kind kind, String where, long runSeed, int killAfter,
      Map<String, List<String>> acked, List<Long> ready, long seed) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    String classpath = System.getProperty("java.class.path")
        + (System.getProperty("jdk.module.path") == null ? ""
            : File.pathSeparator + System.getProperty("jdk.module.path"));
    Process child = new ProcessBuilder(java, "-Xmx256m", "-XX:TieredStopAtLevel=1", "-cp",
        classpath, CrashWorkload.class.getName(),
        kind == Databases.Kind.SQLITE ? "sqlite" : "postgres", where, String.valueOf(MACHINES),
        String.valueOf(runSeed))
        .redirectError(ProcessBuilder.Redirect.INHERIT)
        .start();
    CountDownLatch enough = new CountDownLatch(killAfter);
    int[] count = new int[1];
    Thread reader = new Thread(() -> {
      try (BufferedReader lines = new BufferedReader(new InputStreamReader(
          child.getInputStream(), StandardCharsets.UTF_8))) {
        String line;
        while ((line = lines.readLine()) != null) {
          String[] parts = line.split(" ");
          if (parts[0].equals("READY")) {
            ready.add(Long.parseLong(parts[1]));
          } else if (parts[0].equals("ACK")) {
            acked.computeIfAbsent(parts[1], id -> new CopyOnWriteArrayList<>()).add(parts[2]);
            count[0]++;
            enough.countDown();
          }
        }
      } catch (java.io.IOException killed) {
        // the child was killed: its output ends here
      }
    });
    reader.start();
    boolean reached = enough.await(60, TimeUnit.SECONDS);
    child.destroyForcibly(); // SIGKILL: no shutdown hook, no flush, no close
    child.waitFor(30, TimeUnit.SECONDS);
    reader.join(TimeUnit.SECONDS.toMillis(30));
    assertThat(reached).as("seed %d: the child acknowledged %d of %d steps in 60 s (exit %s)",
        seed, count[0], killAfter, child.isAlive() ? "alive" : child.exitValue()).isTrue();
    return count[0];
  }

  /** Checks one machine's stored image against what was acknowledged; returns the ops checked. */
  private static int check(MachineImage image, List<String> acks, List<Long> ready,
      String context) {
    String where = context + ", machine " + image.machineId();
    CrashWorkload.Work work = CrashWorkload.CODEC.decode(image.context());
    // every operation applied once, in order, none skipped: 1, 2, …, n
    assertThat(work.ops).as(where + ": operations").isEqualTo(
        IntStream.rangeClosed(1, work.ops.size()).boxed().toList());
    List<Integer> ackedOps = new ArrayList<>();
    for (String ack : acks) {
      if (Character.isDigit(ack.charAt(0))) {
        ackedOps.add(Integer.parseInt(ack));
      }
    }
    assertThat(work.ops).as(where + ": every acknowledged operation is stored")
        .containsAll(ackedOps);
    boolean boomed = acks.contains("boom");
    if (boomed) {
      assertThat(image.status()).as(where + ": failed on purpose").isEqualTo(Status.FAILED);
    }
    if (image.status() == Status.FAILED) {
      assertThat(image.failure().causeMessage()).as(where + ": report")
          .isEqualTo("boom on request");
    }
    for (long[] timer : work.timers) {
      long deadline = timer[0];
      long fired = timer[1];
      long up = ready.stream().filter(t -> t >= deadline).min(Long::compare).orElse(deadline);
      long latest = Math.max(deadline, up);
      assertThat(fired).as(where + ": a timer due at %d fired at %d", deadline, fired)
          .isBetween(deadline - 50, latest + 5_000);
    }
    return work.ops.size();
  }
}
