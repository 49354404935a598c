package dev.stator.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.module.ModuleDescriptor;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.spi.ToolProvider;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The engine's internal packages form no cycle, and the module exports only what it means to.
 *
 * <p>The package graph is read from the compiled classes by the JDK's {@code jdeps}, so it sees
 * every dependency the bytecode has (field and method types, calls, casts, constants), whatever
 * the source's imports say. The public packages ({@code dev.stator}, {@code model}, {@code dsl},
 * {@code testing}) are outside the rule: the API and the runtime behind it refer to each other by
 * design ({@code EventLoop.create} makes a loop that implements {@code EventLoop}).
 */
class PackageDependenciesTest {
  private static final String INTERNAL = "dev.stator.internal.";
  private static final Pattern EDGE = Pattern.compile("^\\s+(\\S+)\\s+->\\s+(\\S+)\\s+");

  private static Path classes;
  private static Map<String, Set<String>> graph;

  @BeforeAll
  static void readGraph() throws IOException, URISyntaxException {
    classes = Path.of(dev.stator.Machine.class.getProtectionDomain().getCodeSource().getLocation()
        .toURI());
    assertThat(classes.resolve("module-info.class")).as("the engine's compiled classes").exists();
    graph = packageGraph(classes);
  }

  @Test
  void internalPackagesFormNoCycle() {
    Map<String, Set<String>> internal = restrictTo(graph, INTERNAL);
    // the analysis must see the layers, or a broken parse would pass for an acyclic graph
    assertThat(internal).containsKeys(INTERNAL + "loop", INTERNAL + "machine",
        INTERNAL + "definition");
    assertThat(internal.get(INTERNAL + "loop")).contains(INTERNAL + "machine");
    assertThat(internal.get(INTERNAL + "machine")).contains(INTERNAL + "definition");
    assertThat(cycle(internal)).as("a cycle among the engine's internal packages; edges: %s",
        internal).isEmpty();
  }

  @Test
  void exportedTextHelpersDependOnNoOtherInternalPackage() {
    assertThat(graph.getOrDefault(INTERNAL + "text", Set.of()))
        .noneMatch(target -> target.startsWith(INTERNAL));
  }

  @Test
  void cycleFinderFindsACycle() {
    Map<String, Set<String>> g = new TreeMap<>();
    g.put("a", Set.of("b"));
    g.put("b", Set.of("c", "d"));
    g.put("c", Set.of("a"));
    assertThat(cycle(g)).containsExactly("a", "b", "c", "a");
    g.put("c", Set.of("d"));
    assertThat(cycle(g)).isEmpty();
  }

  @Test
  void onlyPublicPackagesAreExportedToEveryone() throws IOException {
    ModuleDescriptor module;
    try (InputStream in = Files.newInputStream(classes.resolve("module-info.class"))) {
      module = ModuleDescriptor.read(in);
    }
    Set<String> unqualified = new TreeSet<>();
    Map<String, Set<String>> qualified = new TreeMap<>();
    for (ModuleDescriptor.Exports export : module.exports()) {
      if (export.isQualified()) {
        qualified.put(export.source(), export.targets());
      } else {
        unqualified.add(export.source());
      }
    }
    assertThat(unqualified).containsExactlyInAnyOrder("dev.stator", "dev.stator.dsl",
        "dev.stator.durable", "dev.stator.model", "dev.stator.testing");
    assertThat(qualified).containsOnlyKeys(INTERNAL + "text");
    assertThat(qualified.get(INTERNAL + "text"))
        .containsExactlyInAnyOrder("dev.stator.dsl", "dev.stator.examples");
    assertThat(module.opens()).isEmpty();
  }

  /**
   * The package dependencies among the engine's classes, by {@code jdeps -verbose:package}. The
   * classes are copied without {@code module-info.class}: on the module descriptor, jdeps would
   * resolve the module's requirements, which the test's class path does not lay out as modules.
   */
  private static Map<String, Set<String>> packageGraph(Path classes) throws IOException {
    ToolProvider jdeps = ToolProvider.findFirst("jdeps")
        .orElseThrow(() -> new AssertionError("this JDK has no jdeps tool"));
    Path copy = Files.createTempDirectory("stator-classes");
    try {
      try (Stream<Path> files = Files.walk(classes)) {
        for (Path file : (Iterable<Path>) files::iterator) {
          Path target = copy.resolve(classes.relativize(file).toString());
          if (Files.isDirectory(file)) {
            Files.createDirectories(target);
          } else if (file.toString().endsWith(".class")
              && !file.getFileName().toString().equals("module-info.class")) {
            Files.copy(file, target);
          }
        }
      }
      StringWriter out = new StringWriter();
      StringWriter err = new StringWriter();
      int status = jdeps.run(new PrintWriter(out), new PrintWriter(err), "-verbose:package",
          "-e", "dev\\.stator\\..*", copy.toString());
      assertThat(status).as("jdeps failed: %s%s", out, err).isZero();
      Map<String, Set<String>> edges = new TreeMap<>();
      for (String line : out.toString().split("\\R")) {
        Matcher m = EDGE.matcher(line);
        if (m.find() && !m.group(1).equals(m.group(2))) {
          edges.computeIfAbsent(m.group(1), k -> new TreeSet<>()).add(m.group(2));
        }
      }
      assertThat(edges).as("jdeps output: %s", out).isNotEmpty();
      return edges;
    } finally {
      try (Stream<Path> files = Files.walk(copy)) {
        files.sorted((a, b) -> b.compareTo(a)).forEach(p -> p.toFile().delete());
      }
    }
  }

  private static Map<String, Set<String>> restrictTo(Map<String, Set<String>> g, String prefix) {
    Map<String, Set<String>> sub = new TreeMap<>();
    g.forEach((from, tos) -> {
      if (from.startsWith(prefix)) {
        Set<String> kept = new TreeSet<>();
        for (String to : tos) {
          if (to.startsWith(prefix)) {
            kept.add(to);
          }
        }
        sub.put(from, kept);
      }
    });
    return sub;
  }

  /** A cycle as the path of packages from one back to itself, or an empty list if there is none. */
  static List<String> cycle(Map<String, Set<String>> g) {
    Set<String> done = new HashSet<>();
    for (String start : g.keySet()) {
      List<String> found = cycleFrom(g, start, done, new ArrayDeque<>(), new HashMap<>());
      if (!found.isEmpty()) {
        return found;
      }
    }
    return List.of();
  }

  private static List<String> cycleFrom(Map<String, Set<String>> g, String node, Set<String> done,
      Deque<String> path, Map<String, Integer> onPath) {
    if (done.contains(node)) {
      return List.of();
    }
    if (onPath.containsKey(node)) {
      List<String> cycle = new ArrayList<>(path).subList(onPath.get(node), path.size());
      List<String> closed = new ArrayList<>(cycle);
      closed.add(node);
      return closed;
    }
    onPath.put(node, path.size());
    path.addLast(node);
    for (String next : g.getOrDefault(node, Set.of())) {
      List<String> found = cycleFrom(g, next, done, path, onPath);
      if (!found.isEmpty()) {
        return found;
      }
    }
    path.removeLast();
    onPath.remove(node);
    done.add(node);
    return List.of();
  }
}
