package dev.stator.dsl.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.Timeout.ThreadMode;
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

  // ---------------------------------------------------------------- files that are not files

  /**
   * Makes a named pipe that nobody writes to, so that opening it for reading blocks; the
   * returned path is opened read-write by {@link #release} after the test, which never blocks on
   * Linux and lets a reader stuck in open() see a writer come and go.
   */
  private static Path fifo(Path dir) throws Exception {
    Path fifo = dir.resolve("pipe.json");
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
    return fifo;
  }

  private static void release(Path fifo) throws IOException {
    try (RandomAccessFile writer = new RandomAccessFile(fifo.toFile(), "rw")) {
      writer.getFD();
    }
  }

  @Test
  @Timeout(value = 10, threadMode = ThreadMode.SEPARATE_THREAD)
  void readingAFifo_isRefusedAtOnce_notBlocked(@TempDir Path dir) throws Exception {
    Path fifo = fifo(dir);
    Path link = Files.createSymbolicLink(dir.resolve("link.json"), fifo);
    try {
      for (Path file : List.of(fifo, link)) {
        assertThatThrownBy(() -> reader.read(file))
            .isInstanceOf(UncheckedIOException.class)
            .hasMessage("cannot read " + file + ": it is not a regular file (a FIFO)")
            .cause().isInstanceOfSatisfying(FileSystemException.class, e -> {
              assertThat(e.getFile()).isEqualTo(file.toString());
              assertThat(e.getReason()).isEqualTo("it is not a regular file (a FIFO)");
            });
      }
    } finally {
      release(fifo);
    }
  }

  @Test
  @Timeout(value = 10, threadMode = ThreadMode.SEPARATE_THREAD)
  void aCatalogFolderHoldingAFifo_loadsItsRegularFilesOnly(@TempDir Path dir) throws Exception {
    Path fifo = fifo(dir);
    Files.writeString(dir.resolve("one.json"), "{\"id\": \"one\", \"initial\": \"a\", \"states\": {\"a\": {}}}");
    try {
      assertThat(MachineCatalog.load(dir, JsonMachineReader.of(Bindings.noOps())).machines())
          .containsOnlyKeys("one");
    } finally {
      release(fifo);
    }
  }

  @Test
  @Timeout(value = 10, threadMode = ThreadMode.SEPARATE_THREAD)
  void readingADevice_isRefusedAtOnce() {
    Path zero = Path.of("/dev/zero");
    assumeTrue(Files.exists(zero), "/dev/zero exists only on Unix-like systems");

    assertThatThrownBy(() -> reader.read(zero))
        .isInstanceOf(UncheckedIOException.class)
        .hasMessage("cannot read /dev/zero: it is not a regular file (a character device)");
  }

  // ---------------------------------------------------------------- text that reaches a terminal

  @Test
  void controlCharactersFromTheDocument_areEscapedInProblems() {
    String json = "{\"id\": \"m\", \"initial\": \"a\", \"states\": {\"a\": {\"on\": {"
        + "\"GO\\u001b[2J\": \"x\\nfile.json: ok\"}}, \"bad\\u0007.name\": {}}}";

    assertThatThrownBy(() -> reader.read("m.json", json))
        .isInstanceOfSatisfying(JsonDefinitionException.class, e -> {
          assertThat(e.getMessage()).doesNotContain("\u001b", "\u0007").hasLineCount(3);
          assertThat(e.problems()).extracting(JsonProblem::toString).containsExactly(
              "m.json:1:68: /states/a/on/GO\\u001b[2J: target \"x\\nfile.json: ok\" is not a state",
              "m.json:1:108: /states/bad\\u0007.name: \"bad\\u0007.name\" is not a valid state"
                  + " name: expected a name that is not blank and has no '/', '.' or '#'");
          // the pointer stays the exact RFC 6901 pointer of the value; only its printing escapes
          assertThat(e.problems().get(0).pointer()).isEqualTo("/states/a/on/GO\u001b[2J");
        });
  }

  @Test
  void controlCharactersInJacksonsOwnMessages_areEscaped() {
    String json = "{\"id\": tru\u001b[31m}";

    assertThatThrownBy(() -> reader.read("m.json", json))
        .isInstanceOfSatisfying(JsonDefinitionException.class, e -> assertThat(e.problems())
            .singleElement().extracting(JsonProblem::message).asString()
            .startsWith("malformed JSON: ").doesNotContain("\u001b").contains("\\u001b"));
  }

  @Test
  void controlCharactersFromTheDocument_areEscapedInWarnings() {
    JsonMachine<Object> machine = JsonMachineReader.of(Bindings.noOps()).read("m\u0007.json",
        "{\"id\": \"m\", \"initial\": \"a\", \"states\": {\"a\": {}, \"red\\u001b[31m\": {}}}");

    assertThat(machine.warnings()).containsExactly(
        "m\\u0007.json: state 'red\\u001b[31m' is unreachable from the initial state");
  }

  /** Every order of {@code blocks} after {@code prefix}. */
  private static void permutations(String prefix, List<String> blocks, List<String> out) {
    if (blocks.isEmpty()) {
      out.add(prefix);
    }
    for (int i = 0; i < blocks.size(); i++) {
      List<String> rest = new ArrayList<>(blocks);
      String first = rest.remove(i);
      permutations(prefix + first, rest, out);
    }
  }

  @Test
  void namesWithCollidingHashes_areRefusedInStatorsWords() {
    // Jackson's symbol table for UTF-8 input hashes a name's 4-byte blocks from the fourth on by
    // adding them up, whatever its random seed: names that differ only in the order of those
    // blocks all share one hash. 5,040 of them overflow the table, which Jackson refuses.
    List<String> names = new ArrayList<>();
    permutations("statestate00", List.of("aaaa", "bbbb", "cccc", "dddd", "eeee", "ffff", "gggg"), names);
    StringBuilder json = new StringBuilder("{\"id\": \"c\", \"initial\": \"")
        .append(names.get(0)).append("\", \"states\": {");
    for (String name : names) {
      json.append(name.equals(names.get(0)) ? "" : ", ").append('"').append(name).append("\": {}");
    }
    json.append("}}");

    assertThatThrownBy(() -> reader.read("collide.json", json.toString()))
        .isInstanceOfSatisfying(JsonDefinitionException.class, e -> assertThat(e.problems())
            .singleElement().satisfies(problem -> {
              assertThat(problem.pointer()).isEqualTo("/states");
              assertThat(problem.message()).isEqualTo("too many names with colliding hashes; the"
                  + " document looks crafted to slow parsing down");
              assertThat(problem.toString()).doesNotContainIgnoringCase("disable")
                  .doesNotContain("Feature", "FAIL_ON", "symbol table", "DoS");
            }));
  }

  @Test
  void stateNamesSharingAStringHashCode_areReadQuickly() {
    // "Aa" and "BB" have the same String.hashCode, so do all 8,192 names made of 13 of them: a
    // worst case for the reader's own hash maps, which Java keeps fast by ordering such keys
    StringBuilder json = new StringBuilder("{\"id\": \"h\", \"initial\": \"AaAaAaAaAaAaAaAaAaAaAaAaAa\", \"states\": {");
    for (int i = 0; i < 1 << 13; i++) {
      StringBuilder name = new StringBuilder();
      for (int bit = 0; bit < 13; bit++) {
        name.append((i >> bit & 1) == 0 ? "Aa" : "BB");
      }
      json.append(i == 0 ? "" : ", ").append('"').append(name).append("\": {\"on\": {\"GO\": \"")
          .append(name).append("\"}}");
    }
    json.append("}}");

    JsonMachine<Conn> machine = reader.read("hash.json", json.toString());

    assertThat(machine.definition().statePaths()).hasSize(1 << 13);
  }
}
