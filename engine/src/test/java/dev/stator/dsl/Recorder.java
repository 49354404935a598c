package dev.stator.dsl;

import java.util.ArrayList;
import java.util.List;

/** A context that records what the machine did, for assertions. */
final class Recorder {
  final List<String> log = new ArrayList<>();
  int counter;

  void add(String entry) {
    log.add(entry);
  }
}
