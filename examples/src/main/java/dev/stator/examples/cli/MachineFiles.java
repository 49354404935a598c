package dev.stator.examples.cli;

import dev.stator.dsl.json.Bindings;
import dev.stator.dsl.json.JsonDefinitionException;
import dev.stator.dsl.json.JsonMachine;
import dev.stator.dsl.json.JsonMachineReader;
import dev.stator.dsl.json.JsonProblem;
import dev.stator.internal.text.Printable;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.function.Consumer;

/**
 * Reads the machine files named on the command line with no-op bindings, and reports what is wrong
 * with them in the compilers' {@code FILE:LINE:COLUMN: message} form. A FILE of {@code -} is
 * standard input, named {@code <stdin>} in messages and read within the same limits as a file.
 */
final class MachineFiles {

  /** What a FILE of {@code -} is called in messages, as compilers call it. */
  static final String STDIN = "<stdin>";

  private static final JsonMachineReader<Object> READER = JsonMachineReader.of(Bindings.noOps());

  private MachineFiles() {}

  /** Whether {@code file} names standard input. */
  static boolean isStdin(Path file) {
    return file.toString().equals("-");
  }

  /**
   * Reads one file, or standard input for {@code -}. Only regular files are read: the reader
   * refuses FIFOs and devices by their kind, before opening them, so nothing here can block.
   *
   * @param file the file
   * @param stdin what {@code -} reads
   * @param err receives one line per problem
   * @return the machine, or null when the file is invalid or unreadable (its problems printed)
   */
  static JsonMachine<Object> read(Path file, InputStream stdin, PrintWriter err) {
    return read(file, stdin, problem -> err.println(problem));
  }

  /**
   * Reads one file, or standard input for {@code -}, handing each problem to {@code problems}. A
   * file that cannot be read is one problem at line and column 0, with an empty pointer.
   *
   * @param file the file
   * @param stdin what {@code -} reads
   * @param problems receives the problems, in order
   * @return the machine, or null when the file is invalid or unreadable
   */
  static JsonMachine<Object> read(Path file, InputStream stdin, Consumer<JsonProblem> problems) {
    try {
      // the reader stops reading standard input at JsonLimits.maxDocumentBytes, as it does a file
      return isStdin(file) ? READER.read(STDIN, stdin) : READER.read(file);
    } catch (JsonDefinitionException refused) {
      refused.problems().forEach(problems);
      return null;
    } catch (UncheckedIOException unreadable) {
      problems.accept(new JsonProblem(file.toString(), "", 0, 0,
          "cannot read the file: " + reason(unreadable.getCause())));
      return null;
    }
  }

  /** Returns the name a file goes by in messages, escaped to print. */
  static String name(Path file) {
    return Printable.escape(isStdin(file) ? STDIN : file.toString());
  }

  /**
   * Returns a warning without the {@code "FILE: "} the reader puts in front of it, so that the
   * caller can print {@code FILE: warning: …} without naming the file twice.
   */
  static String withoutSource(JsonMachine<?> machine, String warning) {
    String prefix = Printable.escape(machine.source()) + ": ";
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
