package dev.stator.dsl.json;

import dev.stator.DefinitionException;
import dev.stator.MachineDefinition;
import dev.stator.internal.text.Printable;
import dev.stator.model.MachineSpec;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Reads machine definitions from JSON documents in Stator's format (XState's machine configuration
 * plus Stator's keys; see {@code docs/json-format.md}). Every problem of a document is reported at
 * once, each with its JSON pointer, line and column; a document with any problem yields no machine.
 * Input is read within {@link JsonLimits}, so hostile documents are refused quickly and in bounded
 * memory. Names of code resolve through {@link Bindings}; JSON never names a class to load.
 *
 * <pre>{@code
 * JsonMachine<Conn> machine = JsonMachineReader.of(bindings).read(Path.of("machines/conn.json"));
 * loop.start(machine.definition(), new Conn());
 * }</pre>
 *
 * <p><b>Thread-safety:</b> immutable; one reader may read many documents from many threads.
 *
 * @param <C> the context type
 */
public final class JsonMachineReader<C> {

  private final Bindings<C> bindings;
  private final JsonLimits limits;
  private final JsonTree tree;

  private JsonMachineReader(Bindings<C> bindings, JsonLimits limits) {
    this.bindings = Objects.requireNonNull(bindings, "bindings");
    this.limits = Objects.requireNonNull(limits, "limits");
    this.tree = new JsonTree(limits);
  }

  /**
   * Returns a reader with the default limits.
   *
   * @param bindings the code that documents may name
   * @param <C> the context type
   * @return the reader
   */
  public static <C> JsonMachineReader<C> of(Bindings<C> bindings) {
    return new JsonMachineReader<>(bindings, JsonLimits.DEFAULTS);
  }

  /**
   * Returns a copy that reads within other limits.
   *
   * @param newLimits the limits
   * @return the reader
   */
  public JsonMachineReader<C> withLimits(JsonLimits newLimits) {
    return new JsonMachineReader<>(bindings, newLimits);
  }

  /** {@return the limits this reader enforces} */
  public JsonLimits limits() {
    return limits;
  }

  /**
   * Reads a file. Only a regular file (or a link to one) is read: a FIFO, a device, a socket or a
   * directory is refused by its kind before it is opened, since opening a FIFO blocks until
   * something writes to it, and a device may never end.
   *
   * @param file the file
   * @return the machine, with warnings
   * @throws JsonDefinitionException listing every problem, with the file name as the source
   * @throws UncheckedIOException if the file cannot be read, or is not a regular file: its cause
   *     is then a {@link FileSystemException} naming the file, with a reason such as {@code "it is
   *     not a regular file (a FIFO)"}
   */
  public JsonMachine<C> read(Path file) {
    return machineOf(file.toString(), parse(file));
  }

  /**
   * Reads a document held in a string.
   *
   * @param source the name to give in messages, such as a file or resource name
   * @param json the document
   * @return the machine, with warnings
   * @throws JsonDefinitionException listing every problem
   */
  public JsonMachine<C> read(String source, String json) {
    return read(source, new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)));
  }

  /**
   * Reads a document from a stream, which it does not close. At most
   * {@link JsonLimits#maxDocumentBytes()} bytes are read.
   *
   * @param source the name to give in messages, such as a file or resource name
   * @param in the document, in UTF-8 (or UTF-16/32 with a byte order mark)
   * @return the machine, with warnings
   * @throws JsonDefinitionException listing every problem
   */
  public JsonMachine<C> read(String source, InputStream in) {
    return machineOf(source, parse(source, in));
  }

  private JsonMachine<C> machineOf(String source, Parsed<C> parsed) {
    if (!parsed.problems().isEmpty()) {
      throw new JsonDefinitionException(parsed.problems());
    }
    List<String> warnings = new ArrayList<>(parsed.machine().warnings());
    warnings.addAll(unusedBindings(List.of(parsed.used()), "machine '" + parsed.machine().id() + "'"));
    return new JsonMachine<>(source, parsed.machine().definition(), warnings);
  }

  /**
   * Reads a file without throwing for its problems, for {@link #read(Path)} and the catalog. What
   * is not a regular file is refused by its kind, and a file over the size limit by its size,
   * before it is opened.
   *
   * @throws UncheckedIOException if the file cannot be read or is not a regular file
   */
  Parsed<C> parse(Path file) {
    String source = file.toString();
    try {
      // follows links, so a link is judged by what it points to; a file swapped for a FIFO
      // between this look and the open below would still block: Java cannot open without blocking
      BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
      if (!attributes.isRegularFile()) {
        String reason = attributes.isDirectory() ? "it is a directory"
            : "it is not a regular file" + kind(file);
        throw new UncheckedIOException("cannot read " + source + ": " + reason,
            new FileSystemException(source, null, reason));
      }
      long size = attributes.size();
      if (size > limits.maxDocumentBytes()) {
        return new Parsed<>(null, List.of(new JsonProblem(source, "", 0, 0, "the document is " + size
            + " bytes, longer than " + limits.maxDocumentBytes() + " bytes (JsonLimits.maxDocumentBytes)")),
            Map.of(), null);
      }
      try (InputStream in = Files.newInputStream(file)) {
        return parse(source, in);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + source, e);
    }
  }

  /**
   * Says what kind of special file this is, as {@code " (a FIFO)"}, from its Unix file type; ""
   * where the file system does not tell.
   */
  private static String kind(Path file) {
    try {
      int mode = (Integer) Files.getAttribute(file, "unix:mode");
      return switch (mode & 0170000) {
        case 0010000 -> " (a FIFO)";
        case 0020000 -> " (a character device)";
        case 0060000 -> " (a block device)";
        case 0140000 -> " (a socket)";
        default -> "";
      };
    } catch (IOException | RuntimeException noUnixView) {
      // "unix:" attributes exist on Linux and macOS only; elsewhere the kind goes unnamed
      return "";
    }
  }

  /** Warns of each binding that none of {@code uses} names. */
  List<String> unusedBindings(List<Map<Bindings.Kind, Set<String>>> uses, String users) {
    List<String> warnings = new ArrayList<>();
    if (bindings.bindsEverything()) {
      return warnings;
    }
    for (Bindings.Kind kind : Bindings.Kind.values()) {
      for (String name : bindings.names(kind)) {
        if (uses.stream().noneMatch(used -> used.getOrDefault(kind, Set.of()).contains(name))) {
          // the users name machines, whose ids come from documents
          warnings.add(Printable.escape("the " + kind.label + " bound as \"" + name
              + "\" is not used by " + users));
        }
      }
    }
    return warnings;
  }

  /** What reading one document gave: the machine or the problems, and the names it used. */
  record Parsed<C>(JsonMachine<C> machine, List<JsonProblem> problems,
      Map<Bindings.Kind, Set<String>> used, Node root) {}

  /** Reads without throwing, for the catalog, which reports every file's problems together. */
  Parsed<C> parse(String source, InputStream in) {
    List<JsonProblem> problems = new ArrayList<>();
    Node root = tree.parse(source, in, problems);
    if (root == null) {
      return new Parsed<>(null, problems, Map.of(), null);
    }
    SpecReader<C> reader = new SpecReader<>(source, bindings, limits);
    MachineSpec<C> spec = reader.read(root);
    if (spec == null) {
      return new Parsed<>(null, reader.problems(), reader.used(), root);
    }
    try {
      MachineDefinition<C> definition = MachineDefinition.compile(spec);
      List<String> warnings = new ArrayList<>();
      for (String note : reader.notes()) {
        warnings.add(Printable.escape(source) + ": " + Printable.escape(note));
      }
      for (String warning : definition.warnings()) {
        // the compiler escaped the warning's names; the source is a file name, as raw as they were
        warnings.add(Printable.escape(source) + ": " + warning);
      }
      return new Parsed<>(new JsonMachine<>(source, definition, warnings), List.of(), reader.used(),
          root);
    } catch (DefinitionException refused) {
      // the reader checks everything it can place; what only the compiler catches is reported at
      // the document's root
      List<JsonProblem> found = new ArrayList<>();
      for (String problem : refused.problems()) {
        found.add(new JsonProblem(source, "", root.line, root.column, problem));
      }
      return new Parsed<>(null, found, reader.used(), root);
    }
  }
}
