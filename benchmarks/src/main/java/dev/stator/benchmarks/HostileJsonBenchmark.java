package dev.stator.benchmarks;

import dev.stator.dsl.json.Bindings;
import dev.stator.dsl.json.JsonDefinitionException;
import dev.stator.dsl.json.JsonMachineReader;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * How long the JSON loader takes to refuse each kind of hostile document with its default limits
 * (the issue asks for under a second each), and, for scale, to load a valid 10,000-state machine.
 * Documents are generated while they are read, never held whole, as an attacker's stream would be.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms512m", "-Xmx512m"})
@State(Scope.Benchmark)
public class HostileJsonBenchmark {

  /** A document of a prefix, then a filler repeated up to a length. */
  static final class Generated extends InputStream {
    private final byte[] prefix;
    private final byte[] filler;
    private final long length;
    private long position;

    Generated(String prefix, String filler, long length) {
      this.prefix = prefix.getBytes(StandardCharsets.UTF_8);
      this.filler = filler.getBytes(StandardCharsets.UTF_8);
      this.length = length;
    }

    @Override
    public int read() {
      if (position >= length) {
        return -1;
      }
      long at = position++;
      return at < prefix.length ? prefix[(int) at] : filler[(int) ((at - prefix.length) % filler.length)];
    }

    @Override
    public int read(byte[] buffer, int offset, int count) {
      if (position >= length) {
        return -1;
      }
      int n = (int) Math.min(count, length - position);
      for (int i = 0; i < n; i++) {
        buffer[offset + i] = (byte) read();
      }
      return n;
    }
  }

  /** The hostile case. */
  @Param({"nesting-100000-deep", "gib-of-tiny-values", "100mb-of-strings", "50mb-string",
      "valid-10000-states"})
  public String document;

  private final JsonMachineReader<Object> reader = JsonMachineReader.of(Bindings.noOps());
  private String tenThousandStates;

  @org.openjdk.jmh.annotations.Setup
  public void setUp() {
    StringBuilder json = new StringBuilder("{\"id\": \"ring\", \"initial\": \"s0\", \"states\": {");
    for (int i = 0; i < 10_000; i++) {
      json.append(i == 0 ? "" : ",\n").append("\"s").append(i).append("\": {\"entry\": \"log\",")
          .append(" \"on\": {\"NEXT\": {\"target\": \"s").append((i + 1) % 10_000)
          .append("\", \"guard\": \"ready\"}}, \"after\": {\"5s\": \"s0\"}}");
    }
    tenThousandStates = json.append("}}").toString();
  }

  private InputStream open() {
    return switch (document) {
      case "nesting-100000-deep" -> new Generated("", "[", 100_000);
      case "gib-of-tiny-values" -> new Generated("{\"id\": \"x\", \"meta\": [", "0,", 1L << 30);
      case "100mb-of-strings" -> new Generated("{\"id\": \"x\", \"meta\": [",
          "\"" + "a".repeat(1000) + "\",", 100L << 20);
      case "50mb-string" -> new Generated("{\"id\": \"", "a", 50L << 20);
      case "valid-10000-states" -> new java.io.ByteArrayInputStream(
          tenThousandStates.getBytes(StandardCharsets.UTF_8));
      default -> throw new IllegalArgumentException(document);
    };
  }

  /** Reads the document; returns the number of problems (0 for the valid machine). */
  @Benchmark
  public int read() {
    try {
      reader.read(document, open());
      if (!document.startsWith("valid")) {
        throw new IllegalStateException(document + " was accepted");
      }
      return 0;
    } catch (JsonDefinitionException refused) {
      return refused.problems().size();
    }
  }
}
