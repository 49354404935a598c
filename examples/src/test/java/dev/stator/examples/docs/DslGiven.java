package dev.stator.examples.docs;

import dev.stator.dsl.MachineBuilder;
import dev.stator.dsl.Stator;
import java.io.IOException;

/** The names docs/dsl.md's snippets take as known (its full example declares its own). */
class DslGiven extends Given {
  enum Conn { OFFLINE, CONNECTING, HANDSHAKE, READY, BACKOFF }

  enum Signal { CONNECT, CONNECTED, DISCONNECT }

  enum Stage { CHOOSE, COLLECT, FLUSH }

  interface Transport {}

  static class Link {
    Exception lastError;
    int missedPings;

    java.util.concurrent.CompletableFuture<String> ping() {
      return new java.util.concurrent.CompletableFuture<>();
    }

    Link(Transport transport) {}

    void sendHello() throws IOException {}

    void trace(Object event) {}

    void stopPinging() {}

    void cancelDial() {}

    void note(String text) {}
  }

  static class Job {
    void report() {}
  }

  static class Player {
    void log(String text) {}

    int played() {
      return 0;
    }
  }

  static class Upload {
    void record(Object output) {}

    long bytesSent() {
      return 0;
    }
  }

  static class Account {
    int balance;
  }

  static class Rules {
    int counter;
  }

  static class Batch {
    boolean isFull() {
      return false;
    }
  }

  final Transport transport = fake(Transport.class);
  final MachineBuilder<Conn, Link> builder = Stator.<Conn, Link>machine("link");
}
