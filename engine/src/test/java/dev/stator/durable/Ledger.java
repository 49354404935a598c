package dev.stator.durable;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** A context that records what the machine did, and its codec: one entry a line. */
final class Ledger {
  final List<String> log = new ArrayList<>();

  void add(String entry) {
    log.add(entry);
  }

  static final ContextCodec<Ledger> CODEC = new ContextCodec<>() {
    @Override
    public byte[] encode(Ledger ledger) {
      return String.join("\n", ledger.log).getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public Ledger decode(byte[] bytes) {
      Ledger ledger = new Ledger();
      String text = new String(bytes, StandardCharsets.UTF_8);
      if (!text.isEmpty()) {
        ledger.log.addAll(Arrays.asList(text.split("\n")));
      }
      return ledger;
    }
  };

  static final Durability<Ledger> NOT_STORED = new Durability<>(CODEC, Durability.NO_SINK);
}
