package dev.stator.examples.docs;

import dev.stator.Stall;
import dev.stator.Step;
import java.nio.channels.SelectableChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** The names docs/io-and-calls.md's snippets take as known. */
class IoAndCallsGiven extends Given {
  static class Client {
    final CompletableFuture<String> dial = new CompletableFuture<>();
    final List<String> log = new ArrayList<>();
    String host = "localhost";
  }

  // the parameters of Step.registerIo, as its description names them
  Step<Object> step;
  String name;
  SelectableChannel channel;
  int ops;
  boolean machineScoped;

  final List<Stall> stalls = new ArrayList<>();
}
