package dev.stator.examples.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Method;
import java.lang.invoke.MethodHandles;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;

/**
 * Every {@code ```java} block of README.md and docs/*.md compiles, against the test class path of
 * this module (the engine, the JSON front end, the examples, JUnit).
 *
 * <p>Each block is wrapped as little as it needs, in a class of its own: its {@code import} lines
 * open the file, its declarations (types, {@code static} fields and methods) become members, and
 * its statements the body of {@code void run() throws Exception}. The class extends the page's
 * given class ({@code ReadmeGiven} for README.md, {@code DslGiven} for docs/dsl.md, ...), whose
 * nested types and fields are the names the page takes as known (a {@code Session}, a
 * {@code loop}), unless the block is declared to continue another. Lines of HTML comments right
 * above the fence say more, and show nothing on the rendered page:
 *
 * <ul>
 *   <li>{@code <!-- snippet after: EXPR -->}: the block is a chain of calls ({@code .state(...)})
 *       on EXPR, such as {@code Stator.<Conn, Link>machine("link")};
 *   <li>{@code <!-- snippet name: NAME -->} and {@code <!-- snippet extends: NAME -->}: a block
 *       continues the one named NAME, on any page, and sees its declarations;
 *   <li>{@code <!-- snippet given: DECLARATION -->}: a field the block takes as known;
 *   <li>{@code <!-- snippet run -->}: the block is also run, from the repository's root.
 * </ul>
 *
 * A block that does not compile fails this test with its page and line.
 */
final class DocSnippetsTest {

  private static final Pattern DIRECTIVE = Pattern.compile("<!-- snippet (\\w+)(?:: (.*?))? -->");
  private static final Pattern MEMBER = Pattern.compile(
      "(?:public |protected |private |static |abstract |final |sealed )*"
          + "(?:class|interface|enum|record|@interface)\\b.*"
          + "|static .*|public .*|private .*|protected .*"
          + "|[\\w.<>\\[\\], ?]+ \\w+\\([^)]*\\)\\s*(?:throws [\\w., ]+)?\\s*\\{");
  private static final Pattern TYPE = Pattern.compile("(?:(?:public|final|abstract) )*class\\b");

  private static final String IMPORTS = String.join("\n",
      "import dev.stator.*;",
      "import dev.stator.dsl.*;",
      "import dev.stator.dsl.json.*;",
      "import dev.stator.durable.*;",
      "import dev.stator.model.*;",
      "import dev.stator.store.*;",
      "import dev.stator.testing.*;",
      "import dev.stator.testkit.*;",
      "import java.io.*;",
      "import java.net.*;",
      "import java.nio.*;",
      "import java.nio.channels.*;",
      "import java.nio.file.*;",
      "import java.time.*;",
      "import java.util.*;",
      "import java.util.concurrent.*;",
      "import org.junit.jupiter.api.Test;",
      "import static org.junit.jupiter.api.Assertions.*;");

  /** One {@code ```java} block and what the lines above its fence say about it. */
  record Snippet(String page, int firstLine, List<String> lines, Map<String, List<String>> directives) {
    String where(int lineInBlock) {
      return page + ":" + (firstLine + lineInBlock);
    }

    String className() {
      List<String> name = directives.get("name");
      return name != null ? "Snippet_" + name.get(0)
          : "Snippet_" + page.replaceAll("\\W", "_") + "_" + firstLine;
    }
  }

  /** A generated file: its text, and for each of its lines the page line it came from, or null. */
  record Unit(Snippet snippet, String className, String text, List<String> origins) {}

  @Test
  void everyJavaSnippetOfReadmeAndDocs_compiles_andTheRunnableOnesRun() throws Exception {
    Path root = root();
    List<Snippet> snippets = new ArrayList<>();
    List<Path> pages = new ArrayList<>();
    pages.add(root.resolve("README.md"));
    try (Stream<Path> docs = Files.list(root.resolve("docs"))) {
      docs.filter(p -> p.toString().endsWith(".md")).sorted().forEach(pages::add);
    }
    for (Path page : pages) {
      snippets.addAll(snippetsOf(root.relativize(page).toString().replace('\\', '/'), page));
    }
    assertThat(snippets).as("java blocks in README.md and docs/*.md").hasSizeGreaterThan(40);

    List<Unit> units = new ArrayList<>();
    List<String> problems = new ArrayList<>();
    for (Snippet snippet : snippets) {
      try {
        units.add(wrap(snippet));
      } catch (IllegalArgumentException e) {
        problems.add(e.getMessage());
      }
    }
    Path classes = root.resolve("examples/target/doc-snippets");
    if (Files.exists(classes)) {
      try (Stream<Path> old = Files.walk(classes)) {
        for (Path path : old.sorted(java.util.Comparator.reverseOrder()).toList()) {
          Files.delete(path);
        }
      }
    }
    Files.createDirectories(classes);
    problems.addAll(compile(units, classes));
    assertThat(problems).as("snippets of README.md and docs/*.md that do not compile").isEmpty();

    for (Unit unit : units) {
      if (unit.snippet().directives().containsKey("run")) {
        run(classes, unit);
      }
    }
  }

  /**
   * Defines a unit's classes beside this test's, in its package and class loader, where the
   * package-private given classes are, and calls its {@code run()}.
   */
  private static void run(Path classes, Unit unit) throws Exception {
    Path folder = classes.resolve("dev/stator/examples/docs");
    List<Path> files;
    try (Stream<Path> listing = Files.list(folder)) {
      files = listing.filter(f -> {
        String file = f.getFileName().toString();
        return file.equals(unit.className() + ".class") || file.startsWith(unit.className() + "$");
      }).sorted(java.util.Comparator.comparing(f -> f.toString().length())).toList();
    }
    Class<?> type = null;
    for (Path file : files) {
      Class<?> defined = MethodHandles.lookup().defineClass(Files.readAllBytes(file));
      type = type == null ? defined : type;
    }
    Object instance = type.getDeclaredConstructor().newInstance();
    Method run = type.getDeclaredMethod("run");
    try {
      run.invoke(instance);
    } catch (java.lang.reflect.InvocationTargetException e) {
      throw new AssertionError(unit.snippet().where(0) + ": the snippet threw " + e.getCause(),
          e.getCause());
    } finally {
      if (instance instanceof AutoCloseable closeable) {
        closeable.close();
      }
    }
  }

  static List<Snippet> snippetsOf(String page, Path file) throws IOException {
    List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    List<Snippet> out = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      String fence = lines.get(i).strip();
      if (!fence.startsWith("```")) {
        continue;
      }
      int end = i + 1;
      while (end < lines.size() && !lines.get(end).strip().startsWith("```")) {
        end++;
      }
      if (fence.equals("```java")) {
        Map<String, List<String>> directives = new LinkedHashMap<>();
        for (int d = i - 1; d >= 0; d--) {
          Matcher m = DIRECTIVE.matcher(lines.get(d).strip());
          if (!m.matches()) {
            break;
          }
          directives.computeIfAbsent(m.group(1), k -> new ArrayList<>())
              .add(0, m.group(2) == null ? "" : m.group(2));
        }
        out.add(new Snippet(page, i + 2, List.copyOf(lines.subList(i + 1, end)), directives));
      }
      i = end;
    }
    return out;
  }

  /** Splits a block into its imports, members and statements, and wraps them in a class. */
  static Unit wrap(Snippet snippet) {
    List<String> origins = new ArrayList<>();
    StringBuilder text = new StringBuilder();
    String className = snippet.className();
    List<String> extendsName = snippet.directives().get("extends");
    String superclass = extendsName != null ? "Snippet_" + extendsName.get(0) : givenClass(snippet.page());

    List<int[]> chunks = chunks(snippet);
    List<int[]> imports = new ArrayList<>();
    List<int[]> members = new ArrayList<>();
    List<int[]> statements = new ArrayList<>();
    for (int[] chunk : chunks) {
      String first = firstCode(snippet, chunk);
      if (first.startsWith("import ")) {
        imports.add(chunk);
      } else if (first.startsWith(".")) {
        if (!snippet.directives().containsKey("after")) {
          throw new IllegalArgumentException(snippet.where(chunk[0]) + ": a block that starts with"
              + " '.' needs a line <!-- snippet after: EXPR --> right above its fence, EXPR being"
              + " what the chain is called on");
        }
        statements.add(chunk);
      } else if (MEMBER.matcher(first).matches() && !first.startsWith("return ")) {
        members.add(chunk);
      } else {
        statements.add(chunk);
      }
    }

    line(text, origins, "package dev.stator.examples.docs;", null);
    for (String importLine : IMPORTS.split("\n")) {
      line(text, origins, importLine, null);
    }
    for (int[] chunk : imports) {
      copy(snippet, chunk, text, origins, null);
    }
    line(text, origins, "@SuppressWarnings(\"all\")", null);
    line(text, origins, "class " + className + " extends " + superclass + " {", null);
    for (String given : snippet.directives().getOrDefault("given", List.of())) {
      line(text, origins, given, snippet.where(-1));
    }
    for (int[] chunk : members) {
      copy(snippet, chunk, text, origins, "member");
    }
    line(text, origins, "void run() throws Exception {", null);
    int n = 0;
    for (int[] chunk : statements) {
      if (firstCode(snippet, chunk).startsWith(".")) {
        line(text, origins, "var chain" + n++ + " = " + snippet.directives().get("after").get(0),
            snippet.where(-1));
        copy(snippet, chunk, text, origins, null);
        line(text, origins, ";", null);
      } else {
        copy(snippet, chunk, text, origins, null);
        String last = lastCode(snippet, chunk);
        if (!last.endsWith(";") && !last.endsWith("}")) {
          // an expression shown on its own, such as a policy: a statement once it has its ';'
          line(text, origins, ";", null);
        }
      }
    }
    line(text, origins, "}", null);
    line(text, origins, "}", null);
    return new Unit(snippet, className, text.toString(), origins);
  }

  private static void line(StringBuilder text, List<String> origins, String line, String origin) {
    text.append(line).append('\n');
    origins.add(origin);
  }

  private static void copy(Snippet snippet, int[] chunk, StringBuilder text, List<String> origins,
      String as) {
    boolean madeStatic = false;
    for (int i = chunk[0]; i < chunk[1]; i++) {
      String line = snippet.lines().get(i);
      // a class declared at the top of a block is a nested class here: static, as a top-level one
      if ("member".equals(as) && !madeStatic && !line.startsWith(" ")) {
        Matcher type = TYPE.matcher(line);
        if (type.lookingAt() && !line.contains("static ")) {
          line = line.replaceFirst("\\bclass\\b", "static class");
          madeStatic = true;
        } else if (line.startsWith("public ") || line.startsWith("final ") || line.startsWith("class ")) {
          Matcher inner = Pattern.compile("^((?:public |final )*)class\\b").matcher(line);
          if (inner.find()) {
            line = inner.group(1) + "static class" + line.substring(inner.end());
            madeStatic = true;
          }
        }
      }
      line(text, origins, line, snippet.where(i));
    }
  }

  private static String lastCode(Snippet snippet, int[] chunk) {
    String last = "";
    boolean inComment = false;
    for (int i = chunk[0]; i < chunk[1]; i++) {
      String line = snippet.lines().get(i);
      String code = stripComments(line, inComment).strip();
      inComment = endsInComment(line, inComment);
      if (!code.isEmpty()) {
        last = code;
      }
    }
    return last;
  }

  private static String firstCode(Snippet snippet, int[] chunk) {
    boolean inComment = false;
    for (int i = chunk[0]; i < chunk[1]; i++) {
      String line = snippet.lines().get(i).strip();
      if (inComment) {
        inComment = !line.contains("*/");
        continue;
      }
      if (line.startsWith("/*")) {
        inComment = !line.contains("*/");
        continue;
      }
      if (line.isEmpty() || line.startsWith("//") || line.startsWith("@")) {
        continue;
      }
      return line;
    }
    return "";
  }

  /**
   * Cuts a block into top-level chunks: a chunk begins on a line at column 0 when the brackets of
   * the one before are closed and it ended a declaration or statement.
   */
  static List<int[]> chunks(Snippet snippet) {
    List<int[]> chunks = new ArrayList<>();
    List<String> lines = snippet.lines();
    int depth = 0;
    int start = 0;
    boolean inComment = false;
    String lastCode = "";
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
      boolean topLevel = !line.isEmpty() && !Character.isWhitespace(line.charAt(0));
      boolean continuesChain = line.startsWith(".") && lastCode.length() > 0
          && !lastCode.endsWith(";") && !lastCode.endsWith("}");
      boolean previousEnded = lastCode.endsWith(";") || lastCode.endsWith("}")
          || lastCode.endsWith(")") && !line.startsWith(".");
      if (i > start && topLevel && depth == 0 && !inComment && !continuesChain
          && (previousEnded || lastCode.isEmpty())) {
        chunks.add(new int[] {start, i});
        start = i;
        lastCode = "";
      }
      // bracket depth, outside strings, chars and comments
      String code = stripComments(line, inComment);
      inComment = endsInComment(line, inComment);
      for (int c = 0; c < code.length(); c++) {
        char ch = code.charAt(c);
        if (ch == '"' || ch == '\'') {
          int close = code.indexOf(ch, c + 1);
          while (close > 0 && code.charAt(close - 1) == '\\') {
            close = code.indexOf(ch, close + 1);
          }
          c = close < 0 ? code.length() : close;
        } else if (ch == '(' || ch == '{' || ch == '[') {
          depth++;
        } else if (ch == ')' || ch == '}' || ch == ']') {
          depth--;
        }
      }
      if (!code.isBlank()) {
        lastCode = code.strip();
      }
    }
    chunks.add(new int[] {start, lines.size()});
    return chunks;
  }

  private static String stripComments(String line, boolean inComment) {
    StringBuilder out = new StringBuilder();
    int i = 0;
    while (i < line.length()) {
      if (inComment) {
        int end = line.indexOf("*/", i);
        if (end < 0) {
          return out.toString();
        }
        inComment = false;
        i = end + 2;
      } else if (line.startsWith("//", i)) {
        return out.toString();
      } else if (line.startsWith("/*", i)) {
        inComment = true;
        i += 2;
      } else if (line.charAt(i) == '"') {
        int close = line.indexOf('"', i + 1);
        while (close > 0 && line.charAt(close - 1) == '\\') {
          close = line.indexOf('"', close + 1);
        }
        close = close < 0 ? line.length() - 1 : close;
        out.append(line, i, close + 1);
        i = close + 1;
      } else {
        out.append(line.charAt(i++));
      }
    }
    return out.toString();
  }

  private static boolean endsInComment(String line, boolean inComment) {
    int i = 0;
    while (i < line.length()) {
      if (inComment) {
        int end = line.indexOf("*/", i);
        if (end < 0) {
          return true;
        }
        inComment = false;
        i = end + 2;
      } else if (line.startsWith("//", i)) {
        return false;
      } else if (line.startsWith("/*", i)) {
        inComment = true;
        i += 2;
      } else if (line.charAt(i) == '"') {
        int close = line.indexOf('"', i + 1);
        i = close < 0 ? line.length() : close + 1;
      } else {
        i++;
      }
    }
    return inComment;
  }

  static String givenClass(String page) {
    String stem = page.substring(page.lastIndexOf('/') + 1).replace(".md", "");
    StringBuilder name = new StringBuilder();
    for (String part : stem.toLowerCase(Locale.ROOT).split("[^a-z0-9]+")) {
      if (!part.isEmpty()) {
        name.append(Character.toUpperCase(part.charAt(0))).append(part.substring(1));
      }
    }
    String given = name + "Given";
    try {
      Class.forName("dev.stator.examples.docs." + given);
      return given;
    } catch (ClassNotFoundException e) {
      return "Given";
    }
  }

  /** Compiles every unit at once; returns the problems, each with the page and line it is on. */
  static List<String> compile(List<Unit> units, Path classes) throws IOException {
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
    Map<String, Unit> byName = new LinkedHashMap<>();
    List<JavaFileObject> sources = new ArrayList<>();
    for (Unit unit : units) {
      byName.put(unit.className(), unit);
      sources.add(new SimpleJavaFileObject(
          java.net.URI.create("string:///dev/stator/examples/docs/" + unit.className() + ".java"),
          JavaFileObject.Kind.SOURCE) {
        @Override
        public CharSequence getCharContent(boolean ignoreEncodingErrors) {
          return unit.text();
        }
      });
    }
    String classPath = System.getProperty("surefire.test.class.path",
        System.getProperty("java.class.path"));
    List<String> options = List.of("-classpath", classPath, "-d", classes.toString(),
        "--release", "17", "-proc:none", "-implicit:none", "-Xlint:none", "-nowarn");
    try (StandardJavaFileManager files = javac.getStandardFileManager(diagnostics, Locale.ROOT,
        StandardCharsets.UTF_8)) {
      javac.getTask(null, files, diagnostics, options, null, sources).call();
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
    List<String> problems = new ArrayList<>();
    for (Diagnostic<? extends JavaFileObject> d : diagnostics.getDiagnostics()) {
      if (d.getKind() != Diagnostic.Kind.ERROR) {
        continue;
      }
      String name = d.getSource() == null ? "" : d.getSource().getName();
      name = name.substring(name.lastIndexOf('/') + 1).replace(".java", "");
      Unit unit = byName.get(name);
      String where = "?";
      String shown = "";
      if (unit != null) {
        int line = (int) d.getLineNumber() - 1;
        String origin = line >= 0 && line < unit.origins().size() ? unit.origins().get(line) : null;
        where = origin != null ? origin : unit.snippet().where(-1) + " (in the wrapping)";
        shown = line >= 0 && line < unit.origins().size()
            ? "\n        " + unit.text().lines().skip(line).findFirst().orElse("").strip() : "";
      }
      problems.add(where + ": " + d.getMessage(Locale.ROOT).lines().findFirst().orElse("") + shown);
    }
    return problems;
  }

  static Path root() {
    Path start = Path.of("").toAbsolutePath();
    for (Path dir = start; dir != null; dir = dir.getParent()) {
      if (Files.isRegularFile(dir.resolve("docs/stator-machine.schema.json"))) {
        return dir;
      }
    }
    throw new IllegalStateException("no docs/stator-machine.schema.json in " + start + " or above");
  }
}
