package dev.stator.examples.docs;

import dev.stator.testing.TestLoop;
import java.net.ConnectException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** The names README.md's snippets take as known. */
class ReadmeGiven extends Given implements AutoCloseable {
  /** The loop README's JSON example starts its machine on. */
  final TestLoop loop = TestLoop.create();

  /** The context of the machine in twenty lines. */
  static class Session {
    void dial() throws ConnectException {}

    boolean connected() {
      return true;
    }

    boolean done() {
      return false;
    }

    void heartbeat() {}
  }

  /** The context of the statechart example. */
  static class Player {}

  /** The context of the JSON example: ordinary client code, with a typed asynchronous dial. */
  static class Connection {
    int retries;

    void open() {}

    void close() {}

    void ping() throws java.io.IOException {}

    CompletionStage<String> dial() {
      return new CompletableFuture<>();
    }
  }

  @Override
  public void close() {
    loop.close();
  }
}
