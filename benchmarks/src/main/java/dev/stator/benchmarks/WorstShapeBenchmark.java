package dev.stator.benchmarks;

import dev.stator.dsl.json.Bindings;
import dev.stator.dsl.json.JsonDefinitionException;
import dev.stator.dsl.json.JsonMachineReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Reading and compiling the shapes of document that used to cost time or memory quadratic in
 * their size (issue 10), each at a size and at four times that size: the time should grow about
 * four times. The heap is the 256 MB a small service might give its loader.
 *
 * <ul>
 *   <li>{@code events}: one state with N distinct events (N = 64,000: 820 KB).
 *   <li>{@code cases}: a {@code byError} recovery policy of N cases (N = 40,000: 1.5 MB).
 *   <li>{@code suggestions}: N states of 128-character names, each with a transition to an unknown
 *       128-character name, refused with N problems (N = 1,000: 272 KB).
 *   <li>{@code nesting}: 250 nested states with names of 200 characters over N leaves, all but one
 *       unreachable (N = 10,000: 216 KB); four times that size is names of 800 characters over
 *       40,000 leaves, since the nesting limit leaves no room to nest deeper.
 * </ul>
 *
 * <p>{@link #main} writes every shape at both sizes to a directory, to try them on the command line
 * ({@code stator validate}).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms256m", "-Xmx256m"})
@State(Scope.Benchmark)
public class WorstShapeBenchmark {

  /** The shape. */
  @Param({"events", "cases", "suggestions", "nesting"})
  public String shape;

  /** The size, as a multiple of the size the issue names. */
  @Param({"1", "4"})
  public int scale;

  private final JsonMachineReader<Object> reader = JsonMachineReader.of(Bindings.noOps());
  private byte[] document;

  @Setup
  public void setUp() {
    document = generate(shape, scale).getBytes(StandardCharsets.UTF_8);
  }

  /** Reads and compiles the document; returns the number of problems (0 when it loads). */
  @Benchmark
  public int read() {
    try {
      reader.read(shape, new java.io.ByteArrayInputStream(document));
      return 0;
    } catch (JsonDefinitionException refused) {
      return refused.problems().size();
    }
  }

  /**
   * Writes each shape at both sizes to {@code args[0]}, as {@code SHAPE-xSCALE.json}.
   *
   * @param args the directory
   * @throws IOException if a file cannot be written
   */
  public static void main(String[] args) throws IOException {
    Path dir = Files.createDirectories(Path.of(args[0]));
    for (String shape : new String[] {"events", "cases", "suggestions", "nesting"}) {
      for (int scale : new int[] {1, 4}) {
        Path file = dir.resolve(shape + "-x" + scale + ".json");
        Files.writeString(file, generate(shape, scale));
        System.out.println(file + ": " + Files.size(file) + " bytes");
      }
    }
  }

  /** Returns the document of {@code shape} at {@code scale} times the size. */
  static String generate(String shape, int scale) {
    return switch (shape) {
      case "events" -> manyEvents(64_000 * scale);
      case "cases" -> manyRecoveryCases(40_000 * scale);
      case "suggestions" -> unknownTargets(1_000 * scale, 128);
      case "nesting" -> deepNesting(250, 200 * scale, 10_000 * scale);
      default -> throw new IllegalArgumentException(shape);
    };
  }

  private static String manyEvents(int events) {
    StringBuilder json = new StringBuilder("{\"id\": \"wide\", \"initial\": \"s\", \"states\": {\"s\": {\"on\": {");
    for (int i = 0; i < events; i++) {
      json.append(i == 0 ? "" : ",").append("\"e").append(i).append("\":\"s\"");
    }
    return json.append("}}}}").toString();
  }

  private static String manyRecoveryCases(int cases) {
    StringBuilder json = new StringBuilder("{\"id\": \"cases\", \"initial\": \"s\", \"states\": {\"s\": {}},"
        + " \"recovery\": {\"type\": \"byError\", \"cases\": [");
    for (int i = 0; i < cases; i++) {
      json.append(i == 0 ? "" : ",").append("{\"error\":\"x.E").append(i).append("\",\"policy\":\"exit\"}");
    }
    return json.append("]}}").toString();
  }

  private static String unknownTargets(int states, int length) {
    StringBuilder json = new StringBuilder("{\"id\": \"typos\", \"initial\": \"" + longName('s', 0, length)
        + "\", \"states\": {");
    for (int i = 0; i < states; i++) {
      json.append(i == 0 ? "" : ",").append('"').append(longName('s', i, length))
          .append("\":{\"on\":{\"GO\":\"").append(longName('t', i, length)).append("\"}}");
    }
    return json.append("}}").toString();
  }

  private static String deepNesting(int depth, int length, int leaves) {
    StringBuilder json = new StringBuilder("{\"id\": \"deep\", \"initial\": \"" + longName('d', 0, length)
        + "\", \"states\": {");
    for (int level = 0; level < depth; level++) {
      String child = level + 1 < depth ? longName('d', level + 1, length) : "l0";
      json.append('"').append(longName('d', level, length)).append("\":{\"initial\":\"").append(child)
          .append("\",\"states\":{");
    }
    for (int i = 0; i < leaves; i++) {
      json.append(i == 0 ? "" : ",").append("\"l").append(i).append("\":{}");
    }
    json.append("}}".repeat(depth));
    return json.append("}}").toString();
  }

  /** A name of {@code length} characters, ending in {@code i}: names differ only at the end. */
  private static String longName(char first, int i, int length) {
    String suffix = Integer.toString(i);
    return first + "x".repeat(length - 1 - suffix.length()) + suffix;
  }
}
