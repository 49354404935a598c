package dev.stator.dsl.json;

import dev.stator.RecoveryPolicy;
import dev.stator.model.Invocation;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** The context of the JSON tests' machines, and the bindings that name its code. */
final class Conn {
  final List<String> log = new ArrayList<>();
  int retries;

  /** Bindings for the corpus and the connection machines: every kind of name, at least once. */
  static Bindings<Conn> bindings() {
    RecoveryPolicy.ShutdownHook<Conn> goodbye = (c, failure) -> CompletableFuture.completedFuture(null);
    Invocation.Async<Conn, String> dial = (c, step) -> new CompletableFuture<>();
    Invocation.Blocking<Conn, String> resolve = c -> () -> "127.0.0.1";
    return Bindings.<Conn>builder()
        .action("open", c -> c.log.add("open"))
        .action("close", c -> c.log.add("close"))
        .action("log", (c, step) -> c.log.add("event " + step.event()))
        .action("countRetry", c -> c.retries++)
        .action("resetRetries", c -> c.retries = 0)
        .guard("hasRetriesLeft", c -> c.retries < 3)
        .callAsync("dial", dial)
        .callBlocking("resolve", resolve)
        .call("sum", (c, step) -> 42)
        .context("fresh", Conn::new)
        .hook("closeAll", (c, failure) -> c.log.add("closed all"))
        .asyncHook("sayGoodbye", goodbye)
        .build();
  }
}
