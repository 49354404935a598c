package dev.stator.dsl.json;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stator.Machine;
import dev.stator.MachineDefinition;
import dev.stator.MachineListener;
import dev.stator.RecoveryPolicy;
import dev.stator.dsl.Stator;
import dev.stator.model.Invocation;
import dev.stator.testing.TestLoop;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** The example connection machine in JSON and the same machine in the DSL behave the same. */
final class JsonAndDslTwinTest {

  /** The connection's context: what the machine did, and whether the next dial succeeds. */
  static final class Link {
    final List<String> log = new ArrayList<>();
    int retries;
    int dialsToFail;
    boolean heartbeatFails;
  }

  static final Invocation.Async<Link, String> DIAL = (link, step) -> link.dialsToFail-- > 0
      ? CompletableFuture.failedFuture(new java.net.ConnectException("refused"))
      : CompletableFuture.completedFuture("session-1");

  static void sendHeartbeat(Link link) throws IOException {
    link.log.add("heartbeat");
    if (link.heartbeatFails) {
      throw new IOException("broken pipe");
    }
  }

  static Bindings<Link> bindings() {
    return Bindings.<Link>builder()
        .action("openSocket", l -> l.log.add("open"))
        .action("closeSocket", l -> l.log.add("close"))
        .action("countRetry", l -> l.retries++)
        .action("resetRetries", l -> l.retries = 0)
        .action("sendHeartbeat", JsonAndDslTwinTest::sendHeartbeat)
        .guard("hasRetriesLeft", l -> l.retries < 2)
        .callAsync("dial", DIAL)
        .context("freshConnection", Link::new)
        .build();
  }

  /** The twin of examples/src/main/resources/machines/connection.json, written in the DSL. */
  static MachineDefinition<Link> dslTwin() {
    return Stator.<String, Link>machine("connection")
        .initial("idle")
        .recovery(RecoveryPolicy.<Link>reset(Link::new)
            .atMost(5, Duration.ofMinutes(1))
            .backoff(Duration.ofMillis(100), Duration.ofSeconds(30))
            .jitter(0.2))
        .state("idle", s -> s
            .on("CONNECT").goTo("connecting")
            .on("CLOSE").goTo("closed"))
        .state("connecting", s -> s
            .onEntry(l -> l.log.add("open"))
            .invokeAsync("dial", DIAL, Duration.ofSeconds(5))
            .on("CLOSE").goTo("closed")
            .onDone("dial").then(l -> l.retries = 0).goTo("connected")
            .onError(Exception.class).when(l -> l.retries < 2).then(l -> l.retries++).goTo("backoff")
            .onError(Exception.class).goTo("closed"))
        .state("connected", s -> s
            .initial("alive")
            .on("DROPPED").goTo("backoff")
            .on("CLOSE").goTo("closed")
            .onError(IOException.class).goTo("backoff")
            .state("alive", a -> a
                .after(Duration.ofSeconds(30)).then(JsonAndDslTwinTest::sendHeartbeat).goTo("alive")))
        .state("backoff", s -> s
            .onEntry(l -> l.log.add("close"))
            .after(Duration.ofSeconds(2)).goTo("connecting")
            .on("CLOSE").goTo("closed"))
        .finalState("closed", s -> s.onEntry(l -> l.log.add("close")))
        .build();
  }

  /** Drives a machine through connect, heartbeats, a broken heartbeat, failed dials and close. */
  static List<String> run(MachineDefinition<Link> definition) {
    TestLoop loop = TestLoop.create();
    Link link = new Link();
    List<String> trace = new ArrayList<>();
    Machine<Link> machine = loop.start(definition, "conn-1", link, new MachineListener<>() {
      @Override
      public void onTransition(Machine<Link> m, String from, Object event, String to) {
        trace.add(loop.elapsed().toMillis() + "ms " + from + " -" + label(event) + "-> " + to);
      }
    });
    machine.send("CONNECT");
    loop.advance(Duration.ofSeconds(65));
    link.heartbeatFails = true;
    link.dialsToFail = 3;
    loop.advance(Duration.ofSeconds(40));
    trace.add("log " + link.log);
    trace.add("final " + machine.state());
    loop.checkFailures();
    return trace;
  }

  static String label(Object event) {
    return event instanceof Throwable t ? t.getClass().getSimpleName() : String.valueOf(event);
  }

  @Test
  void connectionMachineFromJson_andItsDslTwin_produceTheSameTrace() {
    JsonMachine<Link> fromJson = JsonMachineReader.of(bindings())
        .read(Repository.exampleMachines().resolve("connection.json"));

    List<String> jsonTrace = run(fromJson.definition());
    List<String> dslTrace = run(dslTwin());

    assertThat(fromJson.warnings()).isEmpty();
    assertThat(jsonTrace).isEqualTo(dslTrace);
    assertThat(jsonTrace).contains("90000ms connected -IOException-> backoff",
        "96000ms connecting -ConnectException-> closed",
        "log [open, heartbeat, heartbeat, heartbeat, close, open, close, open, close, open, close]");
    assertThat(jsonTrace.get(jsonTrace.size() - 1)).contains("closed");
  }
}
