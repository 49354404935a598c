package dev.stator.dsl.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import dev.stator.Machine;
import dev.stator.StateSnapshot;
import dev.stator.Status;
import dev.stator.testing.TestLoop;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The differential conformance harness: every machine of {@code src/test/resources/xstate/} runs in
 * the real XState (the version pinned in {@code src/test/xstate/package.json}, installed with
 * {@code npm ci} into {@code target/xstate-harness/} when missing) and in Stator, over the same
 * random event sequences with time advances, and the two must agree after every step on the active
 * leaves, the tags, whether the machine is done, and the actions run, in order.
 *
 * <p>Both sides use recording no-ops with the same convention (see {@code run.mjs}): every action
 * records its name and its params; {@code setX}, {@code clearX} and {@code toggleX}, and params
 * {@code set}, {@code clear} and {@code toggle}, change flag X; {@code logOutput} records the done
 * data of its event; guard {@code isX} holds when flag X is set, {@code notX} when it is not,
 * {@code yes} always, {@code no} never, {@code flag} by its params, {@code outputIs} by the done
 * data; the call {@code echo} returns its input; a named delay lasts the milliseconds its name
 * ends with. Node runs once per machine with all its sequences. A divergence is shrunk (inputs removed
 * one at a time while the two still disagree) and reported with the machine, the seed and the
 * shrunk sequence. {@code -Dxstate.seed=N} and {@code -Dxstate.sequences=N} change the run.
 *
 * <p>{@code -Dxstate.corpus=DIR} runs another folder of machines instead, and
 * {@code -Dxstate.lenient=true} lets it hold machines written by others, whose names follow no
 * convention: there, on both sides, a guard of another name holds (as with
 * {@link Bindings#noOps()}; {@code -Dxstate.unknownGuards=never}: it never holds), a named delay
 * without a number at its end lasts one second, every call is {@code echo}, XState reads
 * XState 4's {@code cond} as {@code guard} as Stator does, and a machine that Stator does not load
 * or XState refuses is skipped with the reason. The real-world corpus runs so:
 * {@code -Dxstate.corpus=src/test/resources/corpus -Dxstate.lenient=true}.
 */
class XStateConformanceTest {

  private static final long SEED = Long.getLong("xstate.seed", 20_261_206L);
  private static final int SEQUENCES = Integer.getInteger("xstate.sequences", 1000);
  private static final int MAX_LENGTH = 25;
  private static final Path SOURCES = Path.of("src", "test", "xstate");
  private static final Path DEFAULT_CORPUS = Path.of("src", "test", "resources", "xstate");
  /** {@code -Dxstate.corpus=DIR}: another folder of machines, such as {@code resources/corpus}. */
  private static final Path CORPUS = Path.of(System.getProperty("xstate.corpus",
      DEFAULT_CORPUS.toString()));
  /**
   * {@code -Dxstate.lenient=true}: names outside the convention are allowed, with the meaning
   * {@link Bindings#noOps()} gives them (the same in run.mjs): a guard of another name holds, a
   * named delay without a number at its end lasts one second, and every call is {@code echo}
   * (it completes at once with its input). For machines written by others, whose names follow no
   * convention; a machine Stator does not load is skipped. The default corpus needs none of it.
   */
  private static final boolean LENIENT = Boolean.getBoolean("xstate.lenient");
  /**
   * {@code -Dxstate.unknownGuards=never}: in lenient mode, a guard of another name never holds
   * (by default it holds, as with {@link Bindings#noOps()}), to take the other branches.
   */
  private static final boolean UNKNOWN_GUARDS_HOLD =
      !System.getProperty("xstate.unknownGuards", "hold").equals("never");
  private static final long LENIENT_DELAY_MILLIS = 1000;
  private static final Path HARNESS = Path.of("target", "xstate-harness");
  private static final Pattern FLAG_ACTION = Pattern.compile("(set|clear|toggle)(.+)");
  private static final Pattern FLAG_GUARD = Pattern.compile("(is|not)(.+)");
  private static final JsonLimits OUTPUT_LIMITS = JsonLimits.DEFAULTS
      .withMaxDocumentBytes(1L << 30).withMaxTokens(200_000_000L);

  /** One input of a sequence: an event sent, or virtual time advanced. */
  record Input(String event, long advanceMillis) {
    static Input send(String event) {
      return new Input(event, -1);
    }

    static Input advance(long millis) {
      return new Input(null, millis);
    }

    String json() {
      return event != null ? "{\"send\":" + quote(event) + "}" : "{\"advance\":" + advanceMillis + "}";
    }

    @Override
    public String toString() {
      return event != null ? event : "+" + advanceMillis + "ms";
    }
  }

  /** What both sides report after a step. */
  record Step(List<String> leaves, List<String> tags, boolean done, List<String> actions) {
    @Override
    public String toString() {
      return leaves + (tags.isEmpty() ? "" : " tags=" + tags) + (done ? " DONE" : "")
          + " actions=" + actions;
    }
  }

  /** The context of the Stator side: the actions run since the last step, and the flags. */
  static final class Recorder {
    final List<String> actions = new ArrayList<>();
    final Set<String> flags = new HashSet<>();

    void run(String name, JsonValue params, Object doneData) {
      boolean withParams = !params.equals(JsonValue.EMPTY);
      if (name.equals("logOutput")) {
        actions.add("logOutput " + (doneData == null ? "null" : doneData.toString()));
      } else {
        actions.add(withParams ? name + params : name);
      }
      Matcher m = FLAG_ACTION.matcher(name);
      if (m.matches()) {
        change(m.group(1), m.group(2));
      }
      if (withParams && params.kind() == JsonValue.Kind.OBJECT) {
        for (String verb : List.of("set", "clear", "toggle")) {
          if (params.has(verb) && params.get(verb).kind() == JsonValue.Kind.STRING) {
            change(verb, params.string(verb));
          }
        }
      }
    }

    private void change(String verb, String flag) {
      boolean set = verb.equals("set") || (verb.equals("toggle") && !flags.contains(flag));
      if (set) {
        flags.add(flag);
      } else {
        flags.remove(flag);
      }
    }

    List<String> drain() {
      List<String> out = List.copyOf(actions);
      actions.clear();
      return out;
    }
  }

  /** What the generator and the bindings need from a machine's document. */
  record Vocabulary(List<String> events, List<Long> delays, Set<String> actions, Set<String> guards,
      Set<String> delayNames, Set<String> calls) {}

  @BeforeAll
  static void installXState() throws Exception {
    try {
      String version = run(List.of("node", "--version"), Path.of("."), 30).trim();
      assertThat(version).as("node version").matches("v(1[89]|[2-9][0-9])\\..*");
    } catch (IOException e) {
      fail("XStateConformanceTest runs machines in XState with node (18 or later) and npm, and"
          + " node is not on the PATH (" + e.getMessage() + "); install Node.js to run the build's"
          + " tests (CI has it)");
    }
    Files.createDirectories(HARNESS);
    for (String file : List.of("package.json", "package-lock.json", "run.mjs")) {
      Files.copy(SOURCES.resolve(file), HARNESS.resolve(file), StandardCopyOption.REPLACE_EXISTING);
    }
    Path stamp = HARNESS.resolve("node_modules").resolve(".stator-installed-lock.json");
    byte[] lock = Files.readAllBytes(SOURCES.resolve("package-lock.json"));
    boolean installed = Files.exists(HARNESS.resolve("node_modules/xstate/package.json"))
        && Files.exists(stamp) && java.util.Arrays.equals(Files.readAllBytes(stamp), lock);
    if (!installed) {
      try {
        run(List.of("npm", "ci", "--no-audit", "--no-fund", "--loglevel=error"), HARNESS, 600);
      } catch (IOException e) {
        fail("XStateConformanceTest installs xstate with npm (npm ci in " + HARNESS.toAbsolutePath()
            + ") and that failed: " + e.getMessage());
      }
      Files.write(stamp, lock);
    }
  }

  static Stream<String> corpus() throws IOException {
    try (Stream<Path> files = Files.list(CORPUS)) {
      return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".json")).sorted()
          .toList().stream();
    }
  }

  @Test
  void theCorpusIsThere() throws IOException {
    assertThat(corpus().count()).as("machines in " + CORPUS)
        .isGreaterThanOrEqualTo(CORPUS.equals(DEFAULT_CORPUS) ? 14 : 1);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("corpus")
  void behavesAsXStateDoes(String file) throws Exception {
    Path path = CORPUS.resolve(file);
    String json = Files.readString(path);
    Vocabulary vocabulary = vocabulary(file, json);
    JsonMachine<Recorder> machine;
    try {
      machine = JsonMachineReader.of(bindings(vocabulary)).read(path);
    } catch (JsonDefinitionException e) {
      org.junit.jupiter.api.Assumptions.assumeFalse(LENIENT, file + " does not load in Stator: "
          + e.getMessage());
      throw e;
    }
    long seed = SEED ^ file.hashCode();
    Random random = new Random(seed);
    List<List<Input>> sequences = new ArrayList<>();
    for (int i = 0; i < SEQUENCES; i++) {
      sequences.add(sequence(random, vocabulary));
    }
    List<List<Step>> expected = xstate(file, json, sequences);
    int divergent = 0;
    int first = -1;
    for (int i = 0; i < sequences.size(); i++) {
      if (firstDifference(expected.get(i), stator(machine, sequences.get(i))) >= 0) {
        divergent++;
        if (first < 0) {
          first = i;
        }
      }
    }
    if (first >= 0) {
      fail(report(file, json, machine, seed, first, sequences.get(first), divergent));
    }
  }

  // ---------------------------------------------------------------- the two sides

  /** Runs the sequences in XState, in one node process. */
  private static List<List<Step>> xstate(String file, String json, List<List<Input>> sequences)
      throws Exception {
    StringBuilder in = new StringBuilder("{\"lenient\":").append(LENIENT)
        .append(",\"unknownGuardsHold\":").append(UNKNOWN_GUARDS_HOLD).append(",\"machine\":")
        .append(json).append(",\"sequences\":[");
    for (int i = 0; i < sequences.size(); i++) {
      in.append(i == 0 ? "[" : ",[");
      List<Input> sequence = sequences.get(i);
      for (int k = 0; k < sequence.size(); k++) {
        in.append(k == 0 ? "" : ",").append(sequence.get(k).json());
      }
      in.append(']');
    }
    in.append("]}");
    Path input = Files.createTempFile(HARNESS, file.replace(".json", ""), ".in.json");
    try {
      Files.writeString(input, in);
      String out = run(List.of("node", "run.mjs", input.getFileName().toString()), HARNESS, 300);
      Node root = parse("xstate output for " + file, out);
      if (root.get("refused") != null) {
        org.junit.jupiter.api.Assumptions.abort(file + " is refused by XState: "
            + root.get("refused").text);
      }
      List<List<Step>> runs = new ArrayList<>();
      for (Node run : root.get("runs").items) {
        List<Step> steps = new ArrayList<>();
        for (Node step : run.items) {
          steps.add(new Step(strings(step.get("leaves")), strings(step.get("tags")),
              step.get("done").bool, strings(step.get("actions"))));
        }
        runs.add(steps);
      }
      assertThat(runs).as("runs reported by node").hasSize(sequences.size());
      return runs;
    } finally {
      Files.deleteIfExists(input);
    }
  }

  /** Runs one sequence in Stator on virtual time, with the same stopping rule as run.mjs. */
  private static List<Step> stator(JsonMachine<Recorder> loaded, List<Input> sequence) {
    List<Step> steps = new ArrayList<>();
    try (TestLoop loop = TestLoop.create()) {
      Recorder recorder = new Recorder();
      Machine<Recorder> machine = loop.start(loaded.definition(), recorder);
      steps.add(step(machine, recorder));
      for (Input input : sequence) {
        if (steps.get(steps.size() - 1).done()) {
          break;
        }
        if (input.event() != null) {
          machine.send(input.event());
        } else {
          loop.advance(Duration.ofMillis(input.advanceMillis()));
        }
        steps.add(step(machine, recorder));
      }
    }
    return steps;
  }

  private static Step step(Machine<Recorder> machine, Recorder recorder) {
    StateSnapshot state = machine.state();
    List<String> leaves = new ArrayList<>(new TreeSet<>(state.activeStates()));
    if (state.status() == Status.FAILED) {
      leaves = List.of("FAILED: " + state.failure());
    }
    boolean done = state.status() == Status.COMPLETED;
    List<String> actions = recorder.drain();
    if (done) {
      // the machine's output, compared as one more action at the end, as run.mjs reports it
      Object output = machine.lifecycle().toCompletableFuture().getNow(null).output();
      actions = new ArrayList<>(actions);
      actions.add("output " + (output == null ? "null" : output.toString()));
    }
    return new Step(leaves, tags(state), done, actions);
  }

  private static List<String> tags(StateSnapshot state) {
    return List.copyOf(state.tags());
  }

  private static Bindings<Recorder> bindings(Vocabulary vocabulary) {
    Bindings.Builder<Recorder> builder = Bindings.builder();
    for (String name : vocabulary.actions()) {
      builder.action(name, (ParameterizedAction<Recorder>) (recorder, step, params) ->
          recorder.run(name, params, Bindings.doneData(step)));
    }
    for (String name : vocabulary.guards()) {
      ParameterizedGuard<Recorder> guard;
      Matcher m = FLAG_GUARD.matcher(name);
      if (name.equals("yes") || name.equals("no")) {
        boolean value = name.equals("yes");
        guard = (recorder, step, params) -> value;
      } else if (name.equals("flag")) {
        guard = (recorder, step, params) -> params.has("is")
            ? recorder.flags.contains(params.string("is")) : !recorder.flags.contains(params.string("not"));
      } else if (name.equals("outputIs")) {
        guard = (recorder, step, params) -> Bindings.doneData(step) instanceof JsonValue output
            && output.has(params.string("key")) && output.get(params.string("key"))
                .equals(params.get("value"));
      } else if (m.matches()) {
        boolean wanted = m.group(1).equals("is");
        String flag = m.group(2);
        guard = (recorder, step, params) -> recorder.flags.contains(flag) == wanted;
      } else if (LENIENT) {
        guard = (recorder, step, params) -> UNKNOWN_GUARDS_HOLD;
      } else {
        throw new AssertionError("guard \"" + name + "\" does not follow the harness convention"
            + " (isX, notX, yes, no, flag, outputIs)");
      }
      builder.guard(name, guard);
    }
    for (String name : vocabulary.delayNames()) {
      builder.delay(name, Duration.ofMillis(delayOf(name)));
    }
    for (String name : vocabulary.calls()) {
      if (!name.equals("echo") && !LENIENT) {
        throw new AssertionError("call \"" + name + "\" does not follow the harness convention (echo)");
      }
      builder.call(name, (InputCall.Sync<Recorder, JsonValue>) (recorder, step, input) -> input);
    }
    return builder.build();
  }

  /** A named delay's milliseconds: the number its name ends with ("wait700"). */
  private static long delayOf(String name) {
    Matcher m = Pattern.compile("([0-9]+)$").matcher(name);
    if (!m.find()) {
      if (LENIENT) {
        return LENIENT_DELAY_MILLIS;
      }
      throw new AssertionError("delay \"" + name + "\" does not follow the harness convention (a"
          + " name ending with milliseconds)");
    }
    return Long.parseLong(m.group(1));
  }

  // ---------------------------------------------------------------- sequences

  private static List<Input> sequence(Random random, Vocabulary vocabulary) {
    int length = 1 + random.nextInt(MAX_LENGTH);
    List<Input> inputs = new ArrayList<>(length);
    List<Long> delays = vocabulary.delays();
    for (int i = 0; i < length; i++) {
      if (!delays.isEmpty() && random.nextInt(10) < 3) {
        long delay = delays.get(random.nextInt(delays.size()));
        long millis = switch (random.nextInt(5)) {
          case 0 -> delay - 1;
          case 1 -> delay + 1;
          case 2 -> 1 + random.nextInt((int) Math.min(Integer.MAX_VALUE, 2 * delay));
          default -> delay;
        };
        inputs.add(Input.advance(Math.max(1, millis)));
      } else {
        List<String> events = vocabulary.events();
        // now and then an event that no state takes
        inputs.add(Input.send(random.nextInt(20) == 0 ? "UNKNOWN_EVENT"
            : events.get(random.nextInt(events.size()))));
      }
    }
    return inputs;
  }

  /** Collects the events, delays, actions and guards a machine's document names. */
  private static Vocabulary vocabulary(String file, String json) {
    Node root = parse(file, json);
    Set<String> events = new LinkedHashSet<>();
    Set<Long> delays = new TreeSet<>();
    Set<String> actions = new TreeSet<>();
    Set<String> guards = new TreeSet<>();
    Set<String> delayNames = new TreeSet<>();
    Set<String> calls = new TreeSet<>();
    collect(root, new Vocabulary(null, null, actions, guards, delayNames, calls), events, delays);
    if (events.isEmpty()) {
      events.add("UNKNOWN_EVENT");
    }
    return new Vocabulary(List.copyOf(events), List.copyOf(delays), actions, guards, delayNames,
        calls);
  }

  /**
   * Walks a state (or the root): its events, delays, actions, guards, named delays, calls and
   * child states; {@code into} collects the names of code.
   */
  private static void collect(Node state, Vocabulary into, Set<String> events, Set<Long> delays) {
    Set<String> actions = into.actions();
    Set<String> guards = into.guards();
    for (Node.Member member : state.members) {
      Node value = member.value();
      switch (member.name()) {
        case "entry", "exit", "onEntry", "onExit" -> actions(value, actions);
        case "states" -> value.members.forEach(child -> collect(child.value(), into, events, delays));
        case "on" -> {
          for (Node.Member event : value.members) {
            String name = event.name();
            if (name.endsWith(".*")) {
              // events a descriptor matches: its prefix, and one below it
              String prefix = name.substring(0, name.length() - 2);
              events.add(prefix);
              events.add(prefix + ".other");
            } else if (!name.contains("*") && !name.startsWith("done.")
                && !name.startsWith("xstate.")) {
              events.add(name);
            }
            transitions(event.value(), actions, guards);
          }
        }
        case "after" -> {
          for (Node.Member delay : value.members) {
            if (delay.name().matches("[0-9]+")) {
              delays.add(Long.parseLong(delay.name()));
            } else {
              into.delayNames().add(delay.name());
              delays.add(delayOf(delay.name()));
            }
            transitions(delay.value(), actions, guards);
          }
        }
        case "always", "onDone" -> transitions(value, actions, guards);
        case "invoke" -> {
          for (Node invoke : value.kind == Node.Kind.ARRAY ? value.items : List.of(value)) {
            Node src = invoke.get("src");
            if (src != null && src.kind == Node.Kind.OBJECT) {
              // XState 4's source object: its "type" names the call
              src = src.get("type");
            }
            if (src != null && src.isString()) {
              into.calls().add(src.text);
            }
            for (String key : List.of("onDone", "onError")) {
              if (invoke.get(key) != null) {
                transitions(invoke.get(key), actions, guards);
              }
            }
          }
        }
        default -> { }
      }
    }
  }

  private static void transitions(Node node, Set<String> actions, Set<String> guards) {
    for (Node t : node.kind == Node.Kind.ARRAY ? node.items : List.of(node)) {
      if (t.kind == Node.Kind.OBJECT) {
        if (t.get("actions") != null) {
          actions(t.get("actions"), actions);
        }
        for (String key : List.of("guard", "cond")) {
          if (t.get(key) != null) {
            guards.add(name(t.get(key)));
          }
        }
      }
    }
  }

  private static void actions(Node node, Set<String> actions) {
    for (Node action : node.kind == Node.Kind.ARRAY ? node.items : List.of(node)) {
      actions.add(name(action));
    }
  }

  private static String name(Node node) {
    return node.isString() ? node.text : node.get("type").text;
  }

  // ---------------------------------------------------------------- divergences

  /** Returns the index of the first step where the two runs differ, or -1. */
  private static int firstDifference(List<Step> expected, List<Step> actual) {
    int n = Math.max(expected.size(), actual.size());
    for (int i = 0; i < n; i++) {
      if (i >= expected.size() || i >= actual.size() || !expected.get(i).equals(actual.get(i))) {
        return i;
      }
    }
    return -1;
  }

  /**
   * Shrinks a failing sequence: cuts it after its first divergent step, then removes one input at
   * a time while XState and Stator still disagree (one node process per round).
   */
  private static String report(String file, String json, JsonMachine<Recorder> machine, long seed,
      int index, List<Input> failing, int divergent) throws Exception {
    List<Input> current = failing;
    for (int round = 0; round < 100; round++) {
      List<Step> expected = xstate(file, json, List.of(current)).get(0);
      int at = firstDifference(expected, stator(machine, current));
      current = current.subList(0, Math.max(0, at));
      List<List<Input>> candidates = new ArrayList<>();
      for (int i = 0; i < current.size(); i++) {
        List<Input> candidate = new ArrayList<>(current);
        candidate.remove(i);
        candidates.add(candidate);
      }
      if (candidates.isEmpty()) {
        break;
      }
      List<List<Step>> results = xstate(file, json, candidates);
      List<Input> smaller = null;
      for (int i = 0; i < candidates.size() && smaller == null; i++) {
        if (firstDifference(results.get(i), stator(machine, candidates.get(i))) >= 0) {
          smaller = candidates.get(i);
        }
      }
      if (smaller == null) {
        break;
      }
      current = smaller;
    }
    List<Step> expected = xstate(file, json, List.of(current)).get(0);
    List<Step> actual = stator(machine, current);
    int at = firstDifference(expected, actual);
    StringBuilder out = new StringBuilder();
    out.append(file).append(" behaves differently in Stator and in XState: ").append(divergent)
        .append(" of ").append(SEQUENCES).append(" sequences diverge (seed ").append(SEED)
        .append(", machine seed ").append(seed).append("; first: sequence ").append(index)
        .append(", ").append(failing).append(")\nshrunk sequence: ").append(current)
        .append("\nstep ").append(at).append(at == 0 ? " (start)" : " (after " + current.get(at - 1) + ")")
        .append("\n  xstate: ").append(at < expected.size() ? expected.get(at) : "(no step)")
        .append("\n  stator: ").append(at < actual.size() ? actual.get(at) : "(no step)")
        .append("\nwhole runs:\n  xstate: ").append(expected).append("\n  stator: ").append(actual);
    return out.toString();
  }

  // ---------------------------------------------------------------- plumbing

  private static Node parse(String source, String json) {
    List<JsonProblem> problems = new ArrayList<>();
    InputStream in = new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8));
    Node root = new JsonTree(OUTPUT_LIMITS).parse(source, in, problems);
    assertThat(problems).as("problems parsing " + source).isEmpty();
    return root;
  }

  private static List<String> strings(Node array) {
    List<String> out = new ArrayList<>(array.items.size());
    for (Node item : array.items) {
      out.add(item.text);
    }
    return out;
  }

  /** Runs a command, returns its standard output; throws IOException when it fails. */
  private static String run(List<String> command, Path dir, int timeoutSeconds) throws Exception {
    Path out = Files.createTempFile("xstate-harness", ".out");
    Path err = Files.createTempFile("xstate-harness", ".err");
    try {
      Process process = new ProcessBuilder(command).directory(dir.toFile())
          .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
      if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new IOException(String.join(" ", command) + " did not finish in " + timeoutSeconds + " s");
      }
      if (process.exitValue() != 0) {
        throw new IOException(String.join(" ", command) + " exited with " + process.exitValue()
            + ":\n" + Files.readString(err));
      }
      return Files.readString(out);
    } finally {
      Files.deleteIfExists(out);
      Files.deleteIfExists(err);
    }
  }

  private static String quote(String text) {
    StringBuilder out = new StringBuilder("\"");
    for (char c : text.toCharArray()) {
      if (c == '"' || c == '\\') {
        out.append('\\').append(c);
      } else if (c < 0x20) {
        out.append(String.format("\\u%04x", (int) c));
      } else {
        out.append(c);
      }
    }
    return out.append('"').toString();
  }
}
