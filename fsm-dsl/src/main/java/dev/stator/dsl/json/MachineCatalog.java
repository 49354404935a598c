package dev.stator.dsl.json;

import dev.stator.MachineDefinition;
import dev.stator.internal.text.Printable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.FileSystem;
import java.nio.file.FileSystemNotFoundException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The machine definitions a service loads at startup: every {@code *.json} file of a folder (on
 * disk or on the class path), read and validated together, found by machine id. Loading is all or
 * nothing: the problems of every file are reported together, one bad file does not hide the
 * others' problems, and two files defining the same id are an error.
 *
 * <pre>{@code
 * MachineCatalog<Conn> catalog = MachineCatalog.load(Path.of("machines"), JsonMachineReader.of(bindings));
 * loop.start(catalog.definition("connection"), new Conn());
 * }</pre>
 *
 * <p><b>Thread-safety:</b> immutable once loaded.
 *
 * @param <C> the context type of the machines
 */
public final class MachineCatalog<C> {

  private final Map<String, JsonMachine<C>> machines;
  private final List<String> warnings;

  private MachineCatalog(Map<String, JsonMachine<C>> machines, List<String> warnings) {
    this.machines = Collections.unmodifiableMap(machines);
    this.warnings = List.copyOf(warnings);
  }

  /**
   * Loads every {@code *.json} file directly inside a folder (not its subfolders), in name order.
   *
   * @param folder the folder
   * @param reader the reader, with its bindings and limits
   * @param <C> the context type
   * @return the catalog
   * @throws JsonDefinitionException listing the problems of every file
   * @throws UncheckedIOException if the folder cannot be listed or a file read
   */
  public static <C> MachineCatalog<C> load(Path folder, JsonMachineReader<C> reader) {
    List<Path> files;
    try (Stream<Path> listing = Files.list(folder)) {
      files = listing.filter(f -> f.getFileName().toString().endsWith(".json") && Files.isRegularFile(f))
          .sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + folder, e);
    }
    Loader<C> loader = new Loader<>(reader);
    for (Path file : files) {
      loader.add(file.toString(), reader.parse(file));
    }
    return loader.finish(folder.toString());
  }

  /**
   * Loads every {@code *.json} resource directly inside a class path folder, from a directory or
   * a jar, in name order.
   *
   * @param classLoader the loader whose class path holds the folder
   * @param folder the folder, such as {@code "machines"}
   * @param reader the reader, with its bindings and limits
   * @param <C> the context type
   * @return the catalog
   * @throws JsonDefinitionException listing the problems of every file
   * @throws IllegalArgumentException if the folder is not on the class path
   */
  public static <C> MachineCatalog<C> loadResources(ClassLoader classLoader, String folder,
      JsonMachineReader<C> reader) {
    String name = folder.endsWith("/") ? folder.substring(0, folder.length() - 1) : folder;
    URL url = classLoader.getResource(name);
    if (url == null) {
      throw new IllegalArgumentException("no folder '" + name + "' on the class path");
    }
    try {
      URI uri = url.toURI();
      if (uri.getScheme().equals("jar")) {
        FileSystem zip;
        boolean opened = false;
        try {
          zip = FileSystems.getFileSystem(uri);
        } catch (FileSystemNotFoundException notOpen) {
          zip = FileSystems.newFileSystem(uri, Map.of());
          opened = true;
        }
        try {
          return load(zip.provider().getPath(uri), reader);
        } finally {
          if (opened) {
            zip.close();
          }
        }
      }
      return load(Path.of(uri), reader);
    } catch (URISyntaxException | IOException e) {
      throw new IllegalArgumentException("cannot list class path folder '" + name + "' at " + url, e);
    }
  }

  /** Collects the files' machines and problems, then checks ids across files. */
  private static final class Loader<C> {
    final JsonMachineReader<C> reader;
    final List<JsonProblem> problems = new ArrayList<>();
    final Map<String, JsonMachine<C>> machines = new LinkedHashMap<>();
    final List<Map<Bindings.Kind, Set<String>>> uses = new ArrayList<>();
    final List<String> warnings = new ArrayList<>();

    Loader(JsonMachineReader<C> reader) {
      this.reader = reader;
    }

    void add(String source, JsonMachineReader.Parsed<C> parsed) {
      problems.addAll(parsed.problems());
      uses.add(parsed.used());
      JsonMachine<C> machine = parsed.machine();
      if (machine == null) {
        return;
      }
      JsonMachine<C> earlier = machines.putIfAbsent(machine.id(), machine);
      if (earlier != null) {
        Node id = parsed.root().get("id");
        problems.add(new JsonProblem(source, id.pointer(), id.line, id.column, "machine id '"
            + machine.id() + "' is already defined by " + earlier.source()));
      }
      warnings.addAll(machine.warnings());
    }

    MachineCatalog<C> finish(String folder) {
      if (!problems.isEmpty()) {
        throw new JsonDefinitionException(problems);
      }
      warnings.addAll(reader.unusedBindings(uses, "any machine of " + folder));
      return new MachineCatalog<>(new LinkedHashMap<>(machines), warnings);
    }
  }

  /**
   * Returns the definition of a machine.
   *
   * @param id the machine's id
   * @return the definition
   * @throws NoSuchElementException naming the ids the catalog has
   */
  public MachineDefinition<C> definition(String id) {
    JsonMachine<C> machine = machines.get(id);
    if (machine == null) {
      // the ids come from documents
      throw new NoSuchElementException(Printable.escape("no machine '" + id + "' in the catalog;"
          + " it has " + machines.keySet()));
    }
    return machine.definition();
  }

  /** {@return the machines by id, in the order of their files' names} */
  public Map<String, JsonMachine<C>> machines() {
    return machines;
  }

  /** {@return what loading noticed: unreachable states, and bindings no machine uses} */
  public List<String> warnings() {
    return warnings;
  }

  @Override
  public String toString() {
    return "MachineCatalog" + machines.keySet();
  }
}
