package dev.stator.examples.cli;

import dev.stator.dsl.json.Bindings;
import dev.stator.dsl.json.JsonDefinitionException;
import dev.stator.dsl.json.JsonMachine;
import dev.stator.dsl.json.JsonMachineReader;
import dev.stator.dsl.json.JsonProblem;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Reads the machine files named on the command line with no-op bindings, and reports what is wrong
 * with them in the compilers' {@code FILE:LINE:COLUMN: message} form.
 */
final class MachineFiles {

  private static final JsonMachineReader<Object> READER = JsonMachineReader.of(Bindings.noOps());

  private MachineFiles() {}

  /**
   * Reads one file.
   *
   * @param file the file
   * @param err receives one line per problem
   * @return the machine, or null when the file is invalid or unreadable (its problems printed)
   */
  static JsonMachine<Object> read(Path file, PrintWriter err) {
    if (Files.isDirectory(file)) {
      // reading a directory fails only part-way through the parse; say what is wrong plainly
      err.println(file + ":0:0: cannot read the file: it is a directory");
      return null;
    }
    try {
      return READER.read(file);
    } catch (JsonDefinitionException refused) {
      for (JsonProblem problem : refused.problems()) {
        err.println(problem);
      }
      return null;
    } catch (UncheckedIOException unreadable) {
      err.println(file + ":0:0: cannot read the file: " + reason(unreadable.getCause()));
      return null;
    }
  }

  /**
   * Returns a warning without the {@code "FILE: "} the reader puts in front of it, so that the
   * caller can print {@code FILE: warning: …} without naming the file twice.
   */
  static String withoutSource(JsonMachine<?> machine, String warning) {
    String prefix = machine.source() + ": ";
    return warning.startsWith(prefix) ? warning.substring(prefix.length()) : warning;
  }

  /** Says why a file could not be read, without repeating its name. */
  static String reason(IOException e) {
    if (e instanceof NoSuchFileException) {
      return "no such file";
    }
    if (e instanceof AccessDeniedException) {
      return "permission denied";
    }
    if (e instanceof FileSystemException fileSystem && fileSystem.getReason() != null) {
      return fileSystem.getReason();
    }
    return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
  }
}
