package dev.stator.examples.kv;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stator.EventLoop;
import dev.stator.LoopOptions;
import dev.stator.Machine;
import dev.stator.MachineListener;
import dev.stator.examples.kv.KvClient.Request;
import dev.stator.examples.kv.KvClient.Session;
import dev.stator.examples.kv.Protocol.Message;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Issue 4, item 5: the protocol example over real loopback sockets, ephemeral ports. */
final class KvProtocolTest {

  private final List<EventLoop> loops = new ArrayList<>();

  private EventLoop loop(String name) {
    EventLoop loop = EventLoop.start(name, LoopOptions.DEFAULTS.withDeadLetterHandler(d -> { }));
    loops.add(loop);
    return loop;
  }

  @AfterEach
  void closeLoops() {
    loops.forEach(EventLoop::close);
  }

  private static InetSocketAddress anyLoopbackPort() {
    return new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
  }

  private static KvClient.Config config(InetSocketAddress address, String id, Duration heartbeat) {
    return new KvClient.Config(address, id, heartbeat, Duration.ofMillis(20),
        Duration.ofMillis(200), 3);
  }

  /** Completes each time the client enters READY after a handshake, counting connections. */
  private static final class Readiness implements MachineListener<Session> {
    final ConcurrentLinkedQueue<CompletableFuture<Void>> waiting = new ConcurrentLinkedQueue<>();
    final AtomicInteger handshakes = new AtomicInteger();
    volatile CompletableFuture<Void> next = new CompletableFuture<>();

    @Override
    public void onTransition(Machine<Session> m, String from, Object event, String to) {
      if (from.endsWith("HANDSHAKE") && to.endsWith("READY")) {
        handshakes.incrementAndGet();
        CompletableFuture<Void> done = next;
        next = new CompletableFuture<>();
        done.complete(null);
      }
    }
  }

  private static Message ask(Machine<Session> client, String line) throws Exception {
    CompletableFuture<Message> reply = new CompletableFuture<>();
    client.send(new Request(line, reply));
    return reply.get(10, TimeUnit.SECONDS);
  }

  @Test
  void clientAgainstServer_handshakesHeartbeatsAndAnswersRequests() throws Exception {
    EventLoop loop = loop("kv-both");
    KvServer.Running server = KvServer.start(loop, anyLoopbackPort(), KvServer.newStore());
    Readiness ready = new Readiness();
    CompletableFuture<Void> firstReady = ready.next;
    KvClient.Config config = config(server.address(), "c1", Duration.ofMillis(20));
    Machine<Session> client = loop.start(KvClient.definition(config), "c1", new Session(config),
        ready);

    firstReady.get(10, TimeUnit.SECONDS);

    assertThat(ask(client, "PUT answer 42")).isEqualTo(new Protocol.Ok());
    assertThat(ask(client, "GET answer")).isEqualTo(new Protocol.Value("answer", "42"));
    assertThat(ask(client, "GET question")).isEqualTo(new Protocol.NotFound("question"));
    client.send("quit");
    assertThat(client.lifecycle().get(10, TimeUnit.SECONDS).context().heartbeats())
        .isGreaterThanOrEqualTo(0);
    assertThat(ready.handshakes).hasValue(1);
  }

  @Test
  void serverStoppedMidSession_clientBacksOffAndReconnectsWhenItReturns() throws Exception {
    EventLoop serverLoop = loop("kv-server-loop");
    EventLoop clientLoop = loop("kv-client-loop");
    KvServer.Running first = KvServer.start(serverLoop, anyLoopbackPort(), KvServer.newStore());
    Readiness ready = new Readiness();
    CompletableFuture<Void> connected = ready.next;
    KvClient.Config config = config(first.address(), "c1", Duration.ofMillis(20));
    Machine<Session> client = clientLoop.start(KvClient.definition(config), "c1",
        new Session(config), ready);
    connected.get(10, TimeUnit.SECONDS);
    CompletableFuture<Void> reconnected = ready.next;

    first.listener().stop().get(10, TimeUnit.SECONDS);
    KvServer.Running second = KvServer.start(serverLoop, first.address(), KvServer.newStore());

    reconnected.get(10, TimeUnit.SECONDS);
    assertThat(ready.handshakes).hasValue(2);
    assertThat(ask(client, "PUT back yes")).isEqualTo(new Protocol.Ok());
    assertThat(client.lifecycle()).isNotDone();
    second.listener().stop().get(10, TimeUnit.SECONDS);
  }

  @Test
  void malformedLine_closesThatSessionWithAClearReasonAndTheServerStaysUp() throws Exception {
    EventLoop loop = loop("kv-malformed");
    KvServer.Running server = KvServer.start(loop, anyLoopbackPort(), KvServer.newStore());

    try (Socket bad = new Socket()) {
      bad.connect(server.address(), 5_000);
      bad.setSoTimeout(5_000);
      OutputStream out = bad.getOutputStream();
      BufferedReader in = new BufferedReader(new InputStreamReader(bad.getInputStream(),
          StandardCharsets.UTF_8));
      out.write("HELLO bad\nFROB the knob\n".getBytes(StandardCharsets.UTF_8));
      out.flush();
      assertThat(in.readLine()).isEqualTo("WELCOME s1");
      assertThat(in.readLine()).isEqualTo("ERROR unknown command 'FROB'");
      assertThat(in.readLine()).as("the server closed the session").isNull();
    }
    try (Socket good = new Socket()) {
      good.connect(server.address(), 5_000);
      good.setSoTimeout(5_000);
      good.getOutputStream().write("HELLO good\nPING\n".getBytes(StandardCharsets.UTF_8));
      BufferedReader in = new BufferedReader(new InputStreamReader(good.getInputStream(),
          StandardCharsets.UTF_8));
      assertThat(in.readLine()).isEqualTo("WELCOME s2");
      assertThat(in.readLine()).isEqualTo("PONG");
    }
    assertThat(server.listener().lifecycle()).isNotDone();
  }

  @Test
  void aThousandConcurrentClients_areAllServedByOneServerLoop() throws Exception {
    int clients = 1_000;
    EventLoop serverLoop = loop("kv-server-1000");
    EventLoop clientLoop = loop("kv-clients-1000");
    KvServer.Running server = KvServer.start(serverLoop, anyLoopbackPort(), KvServer.newStore());
    CountDownLatch served = new CountDownLatch(clients);
    ConcurrentLinkedQueue<String> wrong = new ConcurrentLinkedQueue<>();
    List<Machine<Session>> machines = new ArrayList<>();
    for (int i = 0; i < clients; i++) {
      String key = "k" + i;
      KvClient.Config config = config(server.address(), "c" + i, Duration.ofSeconds(30));
      machines.add(clientLoop.start(KvClient.definition(config), "c" + i, new Session(config),
          new MachineListener<>() {
            @Override
            public void onTransition(Machine<Session> m, String from, Object event, String to) {
              if (from.endsWith("HANDSHAKE") && to.endsWith("READY")) {
                CompletableFuture<Message> put = new CompletableFuture<>();
                CompletableFuture<Message> get = new CompletableFuture<>();
                m.send(new Request("PUT " + key + " v" + key, put));
                m.send(new Request("GET " + key, get));
                get.whenComplete((reply, error) -> {
                  if (!new Protocol.Value(key, "v" + key).equals(reply)) {
                    wrong.add(key + ": " + reply + " / " + error);
                  }
                  served.countDown();
                });
              }
            }
          }));
    }

    assertThat(served.await(60, TimeUnit.SECONDS)).as("all served").isTrue();
    assertThat(wrong).isEmpty();
    assertThat(machines).allSatisfy(m -> assertThat(m.lifecycle()).isNotDone());
  }
}
