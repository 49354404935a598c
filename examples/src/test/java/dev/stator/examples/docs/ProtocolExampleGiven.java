package dev.stator.examples.docs;

/** The names docs/protocol-example.md's snippets take as known: KvClient's, in brief. */
class ProtocolExampleGiven extends Given {
  record Config(int restarts) {}

  static class Session {
    Session(Config config) {}

    void disconnected() {}
  }

  final Config config = new Config(3);
}
