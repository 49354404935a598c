package dev.stator.examples.kv;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stator.IoReady;
import dev.stator.testing.Exploration;
import dev.stator.testing.ExplorationReport;
import java.net.InetSocketAddress;
import java.nio.channels.SelectionKey;
import java.time.Duration;
import java.util.HashMap;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * The protocol example's controllers, explored with every single-fault injection (depth 6 for the
 * client, 5 for a server session), their callbacks stubbed since they need real sockets:
 * docs/testing.md gives the figures and what it found.
 */
final class KvExplorationTest {

  static final int CLIENT_DEPTH = 6;
  static final int SESSION_DEPTH = 5;

  private static final KvClient.Config CONFIG = new KvClient.Config(
      new InetSocketAddress("127.0.0.1", 1), "explorer", Duration.ofSeconds(5),
      Duration.ofMillis(100), Duration.ofSeconds(2), 3);

  static ExplorationReport exploreClient() {
    return Exploration.of(KvClient.definition(CONFIG), () -> new KvClient.Session(CONFIG))
        .events(new KvClient.Connected(), new Protocol.Welcome("s1"), new Protocol.Pong(),
            new Protocol.Ok(), new Protocol.Value("k", "v"), new Protocol.NotFound("k"),
            new Protocol.PeerClosed(), new Protocol.Error("bad"), new KvClient.Retry(), "quit")
        .event("IoReady", random -> new IoReady(null, SelectionKey.OP_READ))
        .event("Request", random ->
            new KvClient.Request("GET k" + random.nextInt(2), new CompletableFuture<>()))
        .depth(CLIENT_DEPTH)
        .singleFaults()
        .stubbingCallbacks()
        .explore();
  }

  static ExplorationReport exploreSession() {
    return Exploration.of(KvServer.SESSION, () -> new KvServer.Session(null, new HashMap<>(), "s1"))
        .events(new Protocol.Hello("c"), new Protocol.Ping(), new Protocol.Get("k"),
            new Protocol.Put("k", "v"), new Protocol.Bye(), new Protocol.Malformed("x", "bad"),
            new Protocol.PeerClosed(), new Protocol.Welcome("s9"))
        .event("IoReady", random -> new IoReady(null, SelectionKey.OP_READ))
        .depth(SESSION_DEPTH)
        .singleFaults()
        .stubbingCallbacks()
        .explore();
  }

  @Test
  void theClient_reachesEveryState_andResetsAfterEverySingleFault() {
    ExplorationReport report = exploreClient();

    assertThat(report.unreachedStates()).isEmpty();
    assertThat(report.unhandledEvents()).isEmpty();
    assertThat(report.configurations()).contains("CONNECTING", "CONNECTED/HANDSHAKE",
        "CONNECTED/READY", "CONNECTED/AWAIT_PONG", "BACKOFF", "CLOSED");
    // its policy resets it after a fault: no single fault ends it
    assertThat(report.findings()).isEmpty();
    // the stubs never throw an IOException, so the expected-error transitions never run
    assertThat(report.faultSitesNeverRun()).containsExactly(
        "action of state CONNECTING on error IOException",
        "action of state CONNECTED on error IOException");
  }

  @Test
  void aServerSession_reachesEveryState_andEndsOnEverySingleFault() {
    ExplorationReport report = exploreSession();

    assertThat(report.unreachedStates()).isEmpty();
    assertThat(report.unhandledEvents()).isEmpty();
    assertThat(report.ownFindings()).isEmpty();
    assertThat(report.faultSitesNeverRun())
        .containsExactly("action of state OPEN on error IOException");
    // a session's policy is exit (its listener counts the failure): each fault that ran ends it
    assertThat(report.findings()).hasSize(report.faultSites().size() - 1)
        .allSatisfy(finding -> assertThat(finding.ending()).isEqualTo("FAILED"));
    assertThat(report.findings()).anySatisfy(finding -> {
      assertThat(finding.fault()).isEqualTo("entry of state CLOSED");
      assertThat(finding.script()).containsExactly("wait for the next timer");
    });
  }
}
