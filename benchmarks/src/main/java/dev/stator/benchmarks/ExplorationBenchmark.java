package dev.stator.benchmarks;

import dev.stator.MachineDefinition;
import dev.stator.dsl.MachineBuilder;
import dev.stator.dsl.Stator;
import dev.stator.testing.Exploration;
import dev.stator.testing.ExplorationReport;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The cost of exploring a 20-state machine to depth 6 with every single-fault injection
 * ({@link Exploration#singleFaults()}): the machine's own exploration, then one per callback site.
 * One operation is one whole exploration, on test loops on the benchmark thread.
 *
 * <p>The machine: a ring of 20 states, each with an entry action; every other state has an exit
 * action; {@code next} and {@code back} move along the ring with an action, {@code skip} jumps two
 * ahead behind a guard, {@code home} returns to the first state, and every fourth state falls back
 * home after a second. With {@code main}, prints the exploration's figures once.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class ExplorationBenchmark {

  /** The context: a counter the actions touch. */
  public static final class Counter {
    int count;
  }

  static final int STATES = 20;
  static final int DEPTH = 6;

  static final MachineDefinition<Counter> RING = ring();

  private static MachineDefinition<Counter> ring() {
    MachineBuilder<String, Counter> ring = Stator.<String, Counter>machine("ring").initial("s0");
    for (int i = 0; i < STATES; i++) {
      int index = i;
      ring.state("s" + i, s -> {
        s.onEntry(counter -> counter.count++);
        if (index % 2 == 0) {
          s.onExit(counter -> counter.count--);
        }
        s.on("next").then(counter -> counter.count++).goTo("s" + ((index + 1) % STATES));
        s.on("back").then(counter -> counter.count++).goTo("s" + ((index + STATES - 1) % STATES));
        s.on("skip").when(counter -> counter.count >= 0).goTo("s" + ((index + 2) % STATES));
        s.on("home").goTo("s0");
        if (index % 4 == 3) {
          s.after(Duration.ofSeconds(1)).goTo("s0");
        }
      });
    }
    return ring.build();
  }

  static ExplorationReport explore() {
    return Exploration.of(RING, Counter::new)
        .events("next", "back", "skip", "home")
        .depth(DEPTH)
        .singleFaults()
        .explore();
  }

  /**
   * Explores the ring with every single fault.
   *
   * @return the report, so that the work is not eliminated
   */
  @Benchmark
  public ExplorationReport exploreWithEverySingleFault() {
    return explore();
  }

  /**
   * Prints the figures of one exploration: runs, configurations, sites, findings, time.
   *
   * @param args unused
   */
  public static void main(String[] args) {
    for (int round = 0; round < 3; round++) {
      long start = System.nanoTime();
      ExplorationReport report = explore();
      long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
      System.out.println("round " + round + ": " + millis + " ms, " + report.runs() + " runs, "
          + report.configurations().size() + " configurations, " + report.faultSites().size()
          + " fault sites (" + report.faultSitesNeverRun().size() + " never run), "
          + report.findings().size() + " findings");
    }
  }
}
