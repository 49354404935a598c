package dev.stator.dsl.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hostile documents are refused while streaming, after reading no more than a limit's worth, and
 * never with a StackOverflowError. How fast each is refused is measured in the benchmarks module
 * ({@code HostileJsonBenchmark}); the timeouts here only guard against a hang.
 */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
final class HostileInputTest {

  private final JsonMachineReader<Conn> reader = JsonMachineReader.of(Conn.bindings());

  /** A document of {@code prefix}, then {@code filler} repeated up to {@code length} bytes, never held whole. */
  static final class Generated extends InputStream {
    private final byte[] prefix;
    private final byte[] filler;
    private final long length;
    long read;

    Generated(String prefix, String filler, long length) {
      this.prefix = prefix.getBytes(StandardCharsets.UTF_8);
      this.filler = filler.getBytes(StandardCharsets.UTF_8);
      this.length = length;
    }

    @Override
    public int read() {
      if (read >= length) {
        return -1;
      }
      long at = read++;
      return at < prefix.length ? prefix[(int) at] : filler[(int) ((at - prefix.length) % filler.length)];
    }

    @Override
    public int read(byte[] buffer, int offset, int count) {
      int n = 0;
      while (n < count) {
        int b = read();
        if (b < 0) {
          return n == 0 ? -1 : n;
        }
        buffer[offset + n++] = (byte) b;
      }
      return n;
    }
  }

  @Test
  void nesting100000Deep_isADefinitionErrorNotAStackOverflow() {
    Generated deep = new Generated("", "[", 100_000);

    assertThatThrownBy(() -> reader.read("deep.json", deep))
        .isInstanceOf(JsonDefinitionException.class)
        .hasMessageContaining("deep.json:1:514: /0/0/0/")
        .hasMessageContaining("nested deeper than 512 levels (JsonLimits.maxNestingDepth)");
    assertThat(deep.read).isLessThan(100_000);
  }

  @Test
  void aGibibyteDocument_isRefusedAfterReadingAtMostTheTokenOrSizeLimit() {
    Generated huge = new Generated("{\"id\": \"x\", \"meta\": [", "0,", 1L << 30);

    assertThatThrownBy(() -> reader.read("huge.json", huge))
        .isInstanceOf(JsonDefinitionException.class)
        .hasMessageContaining("more than 1000000 JSON tokens (JsonLimits.maxTokens)");
    assertThat(huge.read).isLessThan(4L << 20);
  }

  @Test
  void aDocumentOverTheSizeLimit_isRefusedWhileStreaming() {
    Generated big = new Generated("{\"id\": \"x\", \"meta\": [", "\"" + "a".repeat(1000) + "\",", 100L << 20);

    assertThatThrownBy(() -> reader.read("big.json", big))
        .isInstanceOf(JsonDefinitionException.class)
        .hasMessageContaining("the document is longer than 16777216 bytes (JsonLimits.maxDocumentBytes)");
    assertThat(big.read).isLessThan(17L << 20);
  }

  @Test
  void a100MbFile_isRefusedBeforeItIsRead(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("sparse.json");
    try (RandomAccessFile sparse = new RandomAccessFile(file.toFile(), "rw")) {
      sparse.setLength(100L << 20);
    }

    assertThatThrownBy(() -> reader.read(file))
        .isInstanceOf(JsonDefinitionException.class)
        .hasMessageContaining("the document is 104857600 bytes, longer than 16777216 bytes");
  }

  @Test
  void a50MbString_isRefusedAfterReadingTheStringLimit() {
    Generated longString = new Generated("{\"id\": \"", "a", 50L << 20);

    assertThatThrownBy(() -> reader.read("string.json", longString))
        .isInstanceOf(JsonDefinitionException.class)
        .hasMessageContaining("a string longer than 65536 characters (JsonLimits.maxStringLength)");
    assertThat(longString.read).isLessThan(1L << 20);
  }

  @Test
  void aLongName_isRefusedLikeALongString() {
    Generated longName = new Generated("{\"", "k", 50L << 20);

    assertThatThrownBy(() -> reader.read("name.json", longName))
        .hasMessageContaining("a string longer than 65536 characters");
    assertThat(longName.read).isLessThan(1L << 20);
  }

  @Test
  void tooManyStates_isRefusedWithoutReadingTheRest() {
    StringBuilder json = new StringBuilder("{\"id\": \"many\", \"initial\": \"s0\", \"states\": {");
    for (int i = 0; i < 1_001; i++) {
      json.append(i == 0 ? "" : ", ").append("\"s").append(i).append("\": {}");
    }
    json.append("}}");

    assertThatThrownBy(() -> reader.withLimits(JsonLimits.DEFAULTS.withMaxStates(1_000))
        .read("many.json", json.toString()))
        .isInstanceOfSatisfying(JsonDefinitionException.class, e -> assertThat(e.problems())
            .singleElement().hasToString("many.json:1:11943: /states/s1000: more than 1000 states"
                + " (JsonLimits.maxStates); the rest of the document was not read"));
  }

  @Test
  void aTenThousandStateMachine_loadsWithinTheDefaultLimits() {
    StringBuilder json = new StringBuilder("{\"id\": \"ring\", \"initial\": \"s0\", \"states\": {");
    int states = 10_000;
    for (int i = 0; i < states; i++) {
      json.append(i == 0 ? "" : ",\n").append("\"s").append(i).append("\": {\"entry\": \"log\", \"on\": {")
          .append("\"NEXT\": {\"target\": \"s").append((i + 1) % states)
          .append("\", \"guard\": \"hasRetriesLeft\"}, \"BACK\": \"s").append((i + states - 1) % states)
          .append("\"}, \"after\": {\"5s\": \"s0\"}}");
    }
    json.append("}}");

    JsonMachine<Conn> ring = reader.read("ring.json", json.toString());

    assertThat(ring.definition().statePaths()).hasSize(states).startsWith("s0", "s1");
  }

  /** Initialised only if something loads it by name. */
  static final class Canary extends RuntimeException {
    static {
      System.setProperty("stator.test.canary", "initialised");
    }
  }

  @Test
  void classNamesInTheDocument_areNeverLoaded() {
    String canary = Canary.class.getName();
    String json = "{\"id\": \"c\", \"initial\": \"a\", \"@class\": \"" + canary + "\","
        + " \"recovery\": {\"type\": \"" + canary + "\"},"
        + " \"states\": {\"a\": {\"type\": \"" + canary + "\", \"onError\": {\"error\": \"" + canary
        + "\", \"target\": \"a\"}}}}";

    assertThatThrownBy(() -> reader.read("canary.json", json))
        .isInstanceOf(JsonDefinitionException.class);
    JsonMachine<Conn> valid = reader.read("canary.json", "{\"id\": \"c\", \"initial\": \"a\","
        + " \"states\": {\"a\": {\"onError\": {\"error\": \"" + canary + "\", \"target\": \"a\"}}}}");

    assertThat(valid.definition().statePaths()).containsExactly("a");
    assertThat(System.getProperty("stator.test.canary")).isNull();
  }
}
