package dev.stator.dsl.json;

import java.nio.file.Files;
import java.nio.file.Path;

/** Finds files of the repository from a test, whichever module directory it runs in. */
final class Repository {
  private Repository() {}

  /** The folder holding the example machines that README and the docs show. */
  static Path exampleMachines() {
    return root().resolve("examples/src/main/resources/machines");
  }

  static Path root() {
    Path start = Path.of("").toAbsolutePath();
    for (Path dir = start; dir != null; dir = dir.getParent()) {
      if (Files.isRegularFile(dir.resolve("docs/stator-machine.schema.json"))) {
        return dir;
      }
    }
    throw new IllegalStateException("no docs/stator-machine.schema.json in " + start + " or above it");
  }
}
