package dev.stator.examples.docs;

import dev.stator.dsl.json.Bindings;
import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** The names docs/json-format.md's snippets take as known. */
class JsonFormatGiven extends Given {
  static class Conn {
    int retries;

    void open() {}

    void close() {}

    void ping() throws IOException {}

    CompletionStage<String> dial() {
      return new CompletableFuture<>();
    }
  }

  final Bindings<Conn> bindings = Bindings.<Conn>builder().build();
}
