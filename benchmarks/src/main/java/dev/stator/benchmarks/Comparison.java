package dev.stator.benchmarks;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Runs the whole comparison of issue 6 in one go and writes its table and chart: workloads (a) to
 * (h), Stator beside a hand-written machine and three FSM libraries where they can express the
 * workload. Settings fit a two-core machine in well under fifteen minutes: one fork per
 * benchmark, 3 warm-up and 5 measured iterations of 1 s (Spring Statemachine, which warms up
 * slowly, gets 8 warm-up iterations of 2 s), the GC profiler for bytes per operation.
 *
 * <pre>
 * mvn -q -pl benchmarks -am -DskipTests package
 * java -cp benchmarks/target/benchmarks.jar dev.stator.benchmarks.Comparison docs/comparison
 * </pre>
 *
 * <p>Writes {@code table.md} (the tables, the targets and whether each is met) and
 * {@code ns-per-event.svg} (a bar chart, logarithmic, of ns/event for workloads a to c) into the
 * given folder, and prints the table.
 */
public final class Comparison {

  static final List<String> IMPLEMENTATIONS =
      List.of("handWritten", "stator", "spring", "squirrel", "stateless4j");
  static final Map<String, String> LABELS = Map.of("handWritten", "hand-written", "stator", "Stator",
      "spring", "Spring Statemachine 4.0.1", "squirrel", "squirrel-foundation 0.3.10",
      "stateless4j", "stateless4j 2.6.0");

  private final Map<String, RunResult> results = new LinkedHashMap<>();

  private Comparison() {}

  /**
   * Runs the comparison.
   *
   * @param args the output folder (default {@code benchmarks/target/comparison})
   * @throws Exception if a benchmark fails
   */
  public static void main(String[] args) throws Exception {
    Path out = Path.of(args.length > 0 ? args[0] : "benchmarks/target/comparison");
    Files.createDirectories(out);
    long started = System.nanoTime();
    Comparison comparison = new Comparison();
    comparison.run("dev\\.stator\\.benchmarks\\.compare\\..*\\.spring$", 8, 2);
    comparison.run("dev\\.stator\\.benchmarks\\.compare\\..*\\.(stator|handWritten|squirrel|stateless4j)$", 3, 1);
    comparison.run("dev\\.stator\\.benchmarks\\.(TimerBenchmark|GroupThroughputBenchmark|FaultBenchmark)\\..*", 3, 1);
    // six warm-up seconds: a fork of it reaches its steady rate only in its fourth or fifth
    comparison.run("dev\\.stator\\.benchmarks\\.SendThroughputBenchmark\\..*", 6, 1, "window", "16384");
    String retained = retainedPerMachine();
    long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started);
    String table = comparison.table(retained, seconds);
    Files.writeString(out.resolve("table.md"), table, StandardCharsets.UTF_8);
    Files.writeString(out.resolve("ns-per-event.svg"), comparison.chart(), StandardCharsets.UTF_8);
    System.out.println(table);
    System.out.println("wrote " + out.resolve("table.md") + " and " + out.resolve("ns-per-event.svg"));
  }

  private void run(String include, int warmups, int warmupSeconds, String... params) throws Exception {
    // -Dcomparison.smoke=true: one short iteration each, to check the pipeline, not to measure
    boolean smoke = Boolean.getBoolean("comparison.smoke");
    ChainedOptionsBuilder options = new OptionsBuilder()
        .include(include)
        .forks(1)
        .warmupIterations(smoke ? 1 : warmups)
        .warmupTime(TimeValue.seconds(smoke ? 1 : warmupSeconds))
        .measurementIterations(smoke ? 1 : 5)
        .measurementTime(TimeValue.seconds(1))
        .addProfiler(GCProfiler.class)
        .shouldFailOnError(true);
    for (int i = 0; i + 1 < params.length; i += 2) {
      options.param(params[i], params[i + 1]);
    }
    Collection<RunResult> run = new Runner(options.build()).run();
    for (RunResult result : run) {
      String name = result.getParams().getBenchmark();
      results.put(name.substring(name.lastIndexOf('.', name.lastIndexOf('.') - 1) + 1), result);
    }
  }

  /** Runs {@code RetainedPerMachine} in a JVM of its own, so that its heap readings are clean. */
  private static String retainedPerMachine() throws IOException, InterruptedException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process process = new ProcessBuilder(java, "-Xmx1g", "-cp", System.getProperty("java.class.path"),
        "dev.stator.benchmarks.compare.RetainedPerMachine").redirectErrorStream(true).start();
    StringBuilder output = new StringBuilder();
    try (BufferedReader reader = new BufferedReader(
        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = reader.readLine()) != null) {
        output.append(line).append('\n');
      }
    }
    if (process.waitFor() != 0) {
      throw new IllegalStateException("RetainedPerMachine failed:\n" + output);
    }
    return output.toString();
  }

  // ------------------------------------------------------------------ reading results

  private RunResult result(String name) {
    RunResult result = results.get(name);
    if (result == null) {
      throw new IllegalStateException("no result for " + name + "; have " + results.keySet());
    }
    return result;
  }

  private boolean has(String name) {
    return results.containsKey(name);
  }

  private double score(String name) {
    return result(name).getPrimaryResult().getScore();
  }

  private String scoreWithError(String name, String format) {
    Result<?> primary = result(name).getPrimaryResult();
    double error = primary.getScoreError();
    return String.format(Locale.ROOT, format, primary.getScore())
        + (Double.isNaN(error) ? "" : String.format(Locale.ROOT, " ± " + format, error));
  }

  private double bytesPerOp(String name) {
    Map<String, Result> secondary = result(name).getSecondaryResults();
    Result<?> norm = secondary.get("gc.alloc.rate.norm");
    if (norm == null) {
      norm = secondary.get("·gc.alloc.rate.norm");
    }
    return norm == null ? Double.NaN : norm.getScore();
  }

  private double percentile(String name, double p) {
    return result(name).getPrimaryResult().getStatistics().getPercentile(p);
  }

  // ------------------------------------------------------------------ the table

  private String table(String retained, long seconds) {
    StringBuilder out = new StringBuilder();
    out.append("Run of ").append(LocalDate.now()).append(" on ").append(machine())
        .append("; the whole comparison took ").append(seconds / 60).append(" min ")
        .append(seconds % 60).append(" s.\n\n");
    out.append("### (a)–(c) Dispatch: ns per event (bytes allocated per event)\n\n");
    out.append("| workload |");
    for (String impl : IMPLEMENTATIONS) {
      out.append(' ').append(LABELS.get(impl)).append(" |");
    }
    out.append(" Stator ÷ hand-written (target ≤ 3) | fastest library ÷ Stator (target ≥ 5) |\n");
    out.append("|---|").append("---:|".repeat(IMPLEMENTATIONS.size())).append("---:|---:|\n");
    for (String[] workload : new String[][] {{"(a) toggle", "ToggleCompare"},
        {"(b) guarded ring", "GuardedRingCompare"}, {"(c) hierarchy", "HierarchyCompare"}}) {
      out.append("| ").append(workload[0]).append(" |");
      double fastestLibrary = Double.MAX_VALUE;
      for (String impl : IMPLEMENTATIONS) {
        String name = workload[1] + "." + impl;
        out.append(' ').append(scoreWithError(name, "%.1f"))
            .append(String.format(Locale.ROOT, " (%.0f B)", bytesPerOp(name))).append(" |");
        if (List.of("spring", "squirrel", "stateless4j").contains(impl)) {
          fastestLibrary = Math.min(fastestLibrary, score(name));
        }
      }
      double stator = score(workload[1] + ".stator");
      double versusHand = stator / score(workload[1] + ".handWritten");
      double versusLibrary = fastestLibrary / stator;
      out.append(String.format(Locale.ROOT, " %.1f× %s | %.1f× %s |%n", versusHand,
          versusHand <= 3 ? "met" : "**not met**", versusLibrary,
          versusLibrary >= 5 ? "met" : "**not met**"));
    }
    out.append("\nBytes per event: target 0 for Stator; measured ");
    for (String workload : List.of("ToggleCompare", "GuardedRingCompare", "HierarchyCompare")) {
      out.append(String.format(Locale.ROOT, "%.3f ", bytesPerOp(workload + ".stator")));
    }
    out.append("(a–c; a few thousandths are the per-batch task, not the events).\n\n");

    out.append("### (d) Creation: ns per new machine (bytes allocated), and heap retained per idle machine\n\n");
    out.append("| | ");
    for (String impl : IMPLEMENTATIONS) {
      out.append(LABELS.get(impl)).append(" | ");
    }
    out.append("\n|---|").append("---:|".repeat(IMPLEMENTATIONS.size())).append('\n');
    out.append("| create and start |");
    for (String impl : IMPLEMENTATIONS) {
      String name = "CreationCompare." + impl;
      out.append(' ').append(scoreWithError(name, "%.0f"))
          .append(String.format(Locale.ROOT, " ns (%.0f B)", bytesPerOp(name))).append(" |");
    }
    out.append("\n| retained per idle machine |");
    Map<String, String> retainedRows = parseRetained(retained);
    for (String impl : IMPLEMENTATIONS) {
      out.append(' ').append(retainedRows.getOrDefault(impl, "?")).append(" |");
    }
    String statorRetained = retainedRows.getOrDefault("stator", "?");
    out.append("\n\nTarget: at most 200 bytes retained per idle Stator machine, excluding the context;"
        + " measured ").append(statorRetained).append(".\n\n");

    out.append("### (e) Timers: schedule plus cancel of a state timeout, 1,000,000 pending\n\n");
    double timed = score("TimerBenchmark.stateTimeout");
    double untimed = score("TimerBenchmark.noTimeout");
    out.append("| | ns |\n|---|---:|\n");
    out.append("| Stator: transition that cancels a state timeout and schedules another | ")
        .append(scoreWithError("TimerBenchmark.stateTimeout", "%.1f"))
        .append(String.format(Locale.ROOT, " (%.0f B) |%n", bytesPerOp("TimerBenchmark.stateTimeout")));
    out.append("| Stator: the same transition without timeouts | ")
        .append(scoreWithError("TimerBenchmark.noTimeout", "%.1f")).append(" |\n");
    out.append(String.format(Locale.ROOT, "| **Stator: schedule plus cancel (difference)** | **%.1f** |%n",
        timed - untimed));
    out.append("| JDK ScheduledThreadPoolExecutor: schedule plus cancel | ")
        .append(scoreWithError("TimerBenchmark.jdkScheduledExecutor", "%.1f")).append(" |\n");
    out.append(String.format(Locale.ROOT, "%nTarget: at most 100 ns; measured %.1f ns: %s. The libraries"
        + " have no comparable timer (squirrel and stateless4j have no state timeouts; Spring's run on"
        + " a TaskScheduler), so they are not measured.%n%n", timed - untimed,
        timed - untimed <= 100 ? "met" : "**not met**"));

    out.append("### (f) Cross-thread send throughput (window 16,384), million events per second\n\n");
    out.append("| | 1 producer | 2 producers |\n|---|---:|---:|\n");
    out.append("| Stator (`Machine.send` into a real loop) | ")
        .append(millions("SendThroughputBenchmark.stator1Producer")).append(" | ")
        .append(millions("SendThroughputBenchmark.stator2Producers")).append(" |\n");
    out.append("| ArrayBlockingQueue + hand-written switch | ")
        .append(millions("SendThroughputBenchmark.queue1Producer")).append(" | ")
        .append(millions("SendThroughputBenchmark.queue2Producers")).append(" |\n");
    double oneProducer = score("SendThroughputBenchmark.stator1Producer") / 1e6;
    out.append(String.format(Locale.ROOT, "%nTarget: at least 10 million events/s from one producer;"
        + " measured %.1f: %s. The libraries have no cross-thread delivery of their own (their"
        + " callers synchronise), so they are not measured.%n%n", oneProducer,
        oneProducer >= 10 ? "met" : "**not met**"));

    out.append("### (g) Fault to completed lifecycle future\n\n");
    out.append("| | p50 ns | p99 ns |\n|---|---:|---:|\n");
    for (String[] row : new String[][] {
        {"Stator: throw → failed lifecycle future (policy exit)", "FaultBenchmark.faultToFailedFuture"},
        {"Stator: throw → back in the initial state (policy reset)", "FaultBenchmark.faultToResetInitialState"}}) {
      out.append("| ").append(row[0]).append(String.format(Locale.ROOT, " | %.0f | %.0f |%n",
          percentile(row[1], 50), percentile(row[1], 99)));
    }
    out.append("\nThe libraries have no lifecycle future or recovery policy: an exception in an action"
        + " reaches the caller of `fire`/`sendEvent` (stateless4j, squirrel) or an error handler"
        + " (Spring), so there is nothing comparable to measure.\n\n");

    out.append("### (h) Scale across cores: EventLoopGroup, events per second\n\n");
    double one = score("GroupThroughputBenchmark.oneLoop");
    double two = score("GroupThroughputBenchmark.twoLoops");
    out.append("| loops | million events/s |\n|---|---:|\n");
    out.append("| 1 | ").append(millions("GroupThroughputBenchmark.oneLoop")).append(" |\n");
    out.append("| 2 | ").append(millions("GroupThroughputBenchmark.twoLoops")).append(" |\n");
    out.append(String.format(Locale.ROOT, "%nTwo loops give %.2f× one loop.%n", two / one));
    return out.toString();
  }

  private String millions(String name) {
    Result<?> primary = result(name).getPrimaryResult();
    return String.format(Locale.ROOT, "%.1f ± %.1f", primary.getScore() / 1e6,
        primary.getScoreError() / 1e6);
  }

  private static final Pattern RETAINED_ROW =
      Pattern.compile("^(stator|handWritten|spring|squirrel|stateless4j)\\s+([\\d,]+)\\s+([\\d,.]+)\\s");

  private static Map<String, String> parseRetained(String output) {
    Map<String, String> rows = new LinkedHashMap<>();
    for (String line : output.split("\n")) {
      Matcher row = RETAINED_ROW.matcher(line);
      if (row.find()) {
        rows.put(row.group(1), row.group(3) + " B (N " + row.group(2) + ")");
      }
    }
    return rows;
  }

  private static String machine() {
    String cpu = "unknown CPU";
    try {
      cpu = Files.readAllLines(Path.of("/proc/cpuinfo")).stream()
          .filter(l -> l.startsWith("model name")).map(l -> l.substring(l.indexOf(':') + 1).trim())
          .findFirst().orElse(cpu);
    } catch (IOException | RuntimeException unreadable) {
      // keep "unknown CPU"
    }
    return Runtime.getRuntime().availableProcessors() + " cores (" + cpu + "), "
        + System.getProperty("os.name") + ", Java " + Runtime.version() + " ("
        + System.getProperty("java.vm.name") + "), JMH 1.37, -Xms1g -Xmx1g unless the benchmark says"
        + " otherwise, default collector (G1)";
  }

  // ------------------------------------------------------------------ the chart

  /** A horizontal bar chart of ns/event, logarithmic, one group of bars per workload. */
  private String chart() {
    String[][] workloads = {{"(a) toggle", "ToggleCompare"}, {"(b) guarded ring", "GuardedRingCompare"},
        {"(c) hierarchy", "HierarchyCompare"}};
    String[] colours = {"#7f7f7f", "#d62728", "#2ca02c", "#1f77b4", "#9467bd"};
    int left = 230;
    int width = 640;
    int bar = 16;
    int groupHeight = IMPLEMENTATIONS.size() * (bar + 4) + 30;
    int top = 40;
    int height = top + workloads.length * groupHeight + 50;
    double maxLog = 7; // 10 ms per event at most on the axis
    StringBuilder svg = new StringBuilder();
    svg.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\""
        + " font-family=\"sans-serif\" font-size=\"12\">%n", left + width + 120, height));
    svg.append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
    svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"20\" font-size=\"14\" font-weight=\"bold\">"
        + "ns per event (log scale; shorter is faster)</text>%n", left));
    for (int decade = 0; decade <= maxLog; decade++) {
      double x = left + width * decade / maxLog;
      svg.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#ddd\"/>%n",
          x, top - 5, x, height - 40));
      svg.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%s</text>%n",
          x, height - 25, decade < 3 ? (int) Math.pow(10, decade) + " ns"
              : decade < 6 ? (int) Math.pow(10, decade - 3) + " µs" : (int) Math.pow(10, decade - 6) + " ms"));
    }
    int y = top;
    for (String[] workload : workloads) {
      svg.append(String.format(Locale.ROOT, "<text x=\"10\" y=\"%d\" font-weight=\"bold\">%s</text>%n",
          y + 12, workload[0]));
      y += 18;
      for (int i = 0; i < IMPLEMENTATIONS.size(); i++) {
        String impl = IMPLEMENTATIONS.get(i);
        double ns = score(workload[1] + "." + impl);
        double length = Math.max(1, width * Math.max(0, Math.log10(Math.max(ns, 1))) / maxLog);
        svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">%s</text>%n",
            left - 6, y + bar - 4, LABELS.get(impl)));
        svg.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"%d\" fill=\"%s\"/>%n",
            left, y, length, bar, colours[i]));
        svg.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\">%s</text>%n",
            left + length + 4, y + bar - 4, ns < 100 ? String.format(Locale.ROOT, "%.1f ns", ns)
                : String.format(Locale.ROOT, "%,.0f ns", ns)));
        y += bar + 4;
      }
      y += 12;
    }
    return svg.append("</svg>\n").toString();
  }
}
