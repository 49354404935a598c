package dev.stator.examples.docs;

import dev.stator.MachineDefinition;
import dev.stator.dsl.Stator;

/** The names docs/testing.md's snippets take as known. */
class TestingGiven extends Given {

  /** README's player: two regions, one with history. */
  static final MachineDefinition<Object> PLAYER = Stator.<String, Object>machine("player")
      .initial("off")
      .state("off", s -> s.on("power").goTo("on/track/resume"))
      .parallel("on", p -> p
          .on("power").goTo("off")
          .state("track", r -> r.initial("stopped")
              .state("stopped", x -> x.on("play").goTo("playing"))
              .state("playing", x -> x.onEntry(c -> { }).on("stop").goTo("stopped"))
              .history("resume"))
          .state("volume", r -> r.initial("normal")
              .state("normal", x -> x.on("mute").goTo("muted"))
              .state("muted", x -> x.on("mute").goTo("normal"))))
      .build();

  /** A client: connecting (a call), ready (a ping). */
  static final MachineDefinition<Object> CLIENT = Stator.<String, Object>machine("client")
      .initial("idle")
      .state("idle", s -> s.on("connect").goTo("connecting"))
      .state("connecting", s -> s
          .onEntry(c -> { })
          .invokeAsync("dial", (c, step) -> java.util.concurrent.CompletableFuture
              .completedFuture("up"), java.time.Duration.ofSeconds(5))
          .onDone("dial").goTo("ready")
          .onError(java.net.ConnectException.class).goTo("idle"))
      .state("ready", s -> s.on("ping").then(c -> { }).stay().on("quit").goTo("closed"))
      .finalState("closed")
      .build();
}
