package dev.stator.examples.mqtt.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The fault proxy on its own, between plain sockets: it forwards faithfully when no fault is
 * planned, and each kind of fault does what it says, at the byte it was planned for.
 */
final class FaultProxyTest {

  private static final int PATIENCE_MILLIS = 5000;

  private LoopbackServer server;
  private FaultProxy proxy;

  @BeforeEach
  void startServer() throws IOException {
    server = new LoopbackServer();
  }

  @AfterEach
  void stopAll() throws IOException {
    if (proxy != null) {
      proxy.close();
    }
    server.close();
  }

  private FaultProxy start(FaultPlan plan) throws IOException {
    return start(plan, (connection, direction) -> Framing.none());
  }

  private FaultProxy start(FaultPlan plan, FramingFactory framing)
      throws IOException {
    proxy = FaultProxy.builder(server.address()).plan(plan).framing(framing).broker(server).start();
    return proxy;
  }

  private Socket connect() throws IOException {
    Socket socket = new Socket(InetAddress.getLoopbackAddress(), proxy.port());
    socket.setSoTimeout(PATIENCE_MILLIS);
    return socket;
  }

  private static Socket patient(Socket socket) throws SocketException {
    socket.setSoTimeout(PATIENCE_MILLIS);
    return socket;
  }

  /** {@return every byte until the end of the stream} */
  private static byte[] readToEnd(Socket socket) throws IOException {
    return socket.getInputStream().readAllBytes();
  }

  private static byte[] readExactly(Socket socket, int count) throws IOException {
    byte[] bytes = socket.getInputStream().readNBytes(count);
    assertThat(bytes).as("bytes before the end of the stream").hasSize(count);
    return bytes;
  }

  private static void write(Socket socket, String text) throws IOException {
    socket.getOutputStream().write(text.getBytes(StandardCharsets.US_ASCII));
    socket.getOutputStream().flush();
  }

  private static String ascii(byte[] bytes) {
    return new String(bytes, StandardCharsets.US_ASCII);
  }

  @Test
  void withNoFaultPlanned_everyByteArrivesUnchangedBothWays_andAHalfCloseIsPassedOn()
      throws Exception {
    start(FaultPlan.none());
    byte[] up = new byte[200_000];
    byte[] down = new byte[150_000];
    new Random(7).nextBytes(up);
    new Random(8).nextBytes(down);
    try (Socket client = connect()) {
      Socket peer = patient(server.next());
      CompletableFuture<byte[]> atServer = CompletableFuture.supplyAsync(() -> {
        try {
          return readToEnd(peer);
        } catch (IOException e) {
          throw new IllegalStateException(e);
        }
      });
      client.getOutputStream().write(up);
      client.shutdownOutput();
      peer.getOutputStream().write(down);
      peer.shutdownOutput();

      assertThat(readToEnd(client)).isEqualTo(down);
      assertThat(atServer.get(PATIENCE_MILLIS, TimeUnit.MILLISECONDS)).isEqualTo(up);
    }
    assertThat(proxy.fired()).isEmpty();
  }

  @Test
  void drop_passesTheBytesBeforeIt_thenEndsBothSidesWithAnOrderlyClose() throws Exception {
    start(FaultPlan.of(Fault.after(10, Direction.UPSTREAM, FaultKind.DROP)));
    try (Socket client = connect()) {
      Socket peer = patient(server.next());
      write(client, "0123456789abcdefghij");

      assertThat(ascii(readToEnd(peer))).isEqualTo("0123456789");
      assertThat(readToEnd(client)).isEmpty();
    }
    assertThat(proxy.fired()).singleElement().satisfies(fired -> {
      assertThat(fired.fault().kind()).isEqualTo(FaultKind.DROP);
      assertThat(fired.position()).isEqualTo(10);
    });
    assertThat(proxy.log().firedByKind()).containsEntry(FaultKind.DROP, 1);
  }

  @Test
  void reset_abortsBothSidesWithATcpReset() throws Exception {
    start(FaultPlan.of(Fault.after(5, Direction.DOWNSTREAM, FaultKind.RESET)));
    try (Socket client = connect()) {
      Socket peer = patient(server.next());
      write(peer, "abcdefghij");

      assertThatThrownBy(() -> readToEnd(client))
          .isInstanceOf(SocketException.class).hasMessageContaining("reset");
      assertThatThrownBy(() -> readToEnd(peer))
          .isInstanceOf(SocketException.class).hasMessageContaining("reset");
    }
    assertThat(proxy.fired()).extracting(fired -> fired.fault().kind())
        .containsExactly(FaultKind.RESET);
  }

  @Test
  void truncate_ofRawBytes_cutsExactlyAtItsByte() throws Exception {
    start(FaultPlan.of(Fault.after(2, Direction.DOWNSTREAM, FaultKind.TRUNCATE)));
    try (Socket client = connect()) {
      Socket peer = patient(server.next());
      write(peer, "abcdef");

      assertThat(ascii(readToEnd(client))).isEqualTo("ab");
    }
  }

  @Test
  void truncate_ofMqttPackets_cutsInsideAPacket_whenItsByteFallsBetweenTwo() throws Exception {
    start(FaultPlan.of(Fault.after(2, Direction.DOWNSTREAM, FaultKind.TRUNCATE)),
        (connection, direction) -> new MqttFraming());
    byte[] pingRespThenPublish = {(byte) 0xD0, 0, 0x30, 5, 0, 1, 't', 'x', 'y'};
    try (Socket client = connect()) {
      Socket peer = patient(server.next());
      peer.getOutputStream().write(pingRespThenPublish);

      assertThat(readToEnd(client)).containsExactly((byte) 0xD0, 0, 0x30);
    }
    assertThat(proxy.log().dump()).contains("cut downstream at byte 3, inside a packet");
  }

  @Test
  void truncate_ofMqttPackets_cutsAtItsByte_whenThatIsInsideAPacketAlready() throws Exception {
    start(FaultPlan.of(Fault.after(4, Direction.UPSTREAM, FaultKind.TRUNCATE)),
        (connection, direction) -> new MqttFraming());
    byte[] publish = {0x30, 5, 0, 1, 't', 'x', 'y'};
    try (Socket client = connect()) {
      Socket peer = patient(server.next());
      client.getOutputStream().write(publish);

      assertThat(readToEnd(peer)).containsExactly(0x30, 5, 0, 1);
    }
  }

  @Test
  void delay_holdsItsSpanBack_keepsTheOrder_andEndsAfterTheSpan() throws Exception {
    long delayMillis = 700;
    start(FaultPlan.of(Fault.delay(4, Direction.UPSTREAM, delayMillis, 10)));
    try (Socket client = connect()) {
      Socket peer = patient(server.next());
      write(client, "head");
      assertThat(ascii(readExactly(peer, 4))).isEqualTo("head");

      long sent = System.nanoTime();
      write(client, "0123456789after");
      assertThat(ascii(readExactly(peer, 15))).isEqualTo("0123456789after");
      long heldMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - sent);
      assertThat(heldMillis).as("the delayed span, and what followed it").isGreaterThanOrEqualTo(
          delayMillis);

      long sentLater = System.nanoTime();
      write(client, "tail");
      assertThat(ascii(readExactly(peer, 4))).isEqualTo("tail");
      assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - sentLater))
          .as("bytes after the span go straight through").isLessThan(delayMillis);
    }
  }

  @Test
  void blackhole_forwardsNothingEitherWay_andPassesOnNoClose() throws Exception {
    start(FaultPlan.of(Fault.after(3, Direction.UPSTREAM, FaultKind.BLACKHOLE)));
    try (Socket client = connect()) {
      Socket peer = patient(server.next());
      write(client, "abc");
      assertThat(ascii(readExactly(peer, 3))).isEqualTo("abc");

      // the hole is open once the third byte is through, not when a fourth arrives
      write(peer, "reply");
      write(client, "def");
      peer.setSoTimeout(300);
      client.setSoTimeout(300);
      assertThatThrownBy(() -> peer.getInputStream().read())
          .isInstanceOf(SocketTimeoutException.class);
      assertThatThrownBy(() -> client.getInputStream().read())
          .isInstanceOf(SocketTimeoutException.class);

      peer.close();
      assertThatThrownBy(() -> client.getInputStream().read())
          .as("the server's close is swallowed too").isInstanceOf(SocketTimeoutException.class);
    }
  }

  @Test
  void fireNow_blackholesAnOpenConnection_atOnce_andTellsTheListener() throws Exception {
    CompletableFuture<FaultProxy.FiredFault> told = new CompletableFuture<>();
    proxy = FaultProxy.builder(server.address()).listener(told::complete).start();
    try (Socket client = connect()) {
      Socket peer = patient(server.next());
      write(client, "abc");
      assertThat(ascii(readExactly(peer, 3))).isEqualTo("abc");

      assertThat(proxy.fireNow(Fault.after(0, Direction.DOWNSTREAM, FaultKind.BLACKHOLE)))
          .isEqualTo(1);

      FaultProxy.FiredFault fired = told.get(PATIENCE_MILLIS, TimeUnit.MILLISECONDS);
      assertThat(fired.fault().kind()).isEqualTo(FaultKind.BLACKHOLE);
      assertThat(fired.connection()).isEqualTo(1);
      write(client, "more");
      peer.setSoTimeout(300);
      assertThatThrownBy(() -> peer.getInputStream().read())
          .isInstanceOf(SocketTimeoutException.class);
    }
  }

  @Test
  void killBroker_killsThroughTheCallback_refusesConnectionsWhileDown_andRestartsAfterTheDowntime()
      throws Exception {
    start(FaultPlan.of(Fault.killBroker(1, Direction.UPSTREAM, 1500)));
    try (Socket client = connect()) {
      server.next();
      write(client, "xy");
      assertThat(endsWithoutData(client)).isTrue();
    }
    CompletableFuture<Void> up = proxy.brokerUp();
    assertThat(up).isNotDone();
    assertThat(server.calls()).containsExactly("kill");
    try (Socket refused = connect()) {
      assertThat(endsWithoutData(refused)).as("a connection while the broker is down").isTrue();
    }

    up.get(PATIENCE_MILLIS, TimeUnit.MILLISECONDS);
    assertThat(server.calls()).containsExactly("kill", "restart");
    try (Socket client = connect()) {
      Socket peer = patient(server.next());
      write(client, "back");
      assertThat(ascii(readExactly(peer, 4))).isEqualTo("back");
    }
  }

  /** {@return whether the socket's stream ends, by a close or a reset, with no byte read} */
  private static boolean endsWithoutData(Socket socket) throws IOException {
    InputStream in = socket.getInputStream();
    try {
      return in.read() == -1;
    } catch (SocketException reset) {
      return true;
    }
  }

  @Test
  void aSeededPlan_isTheSameForTheSameSeed_andDiffersForAnother() {
    FaultPlan.Shape shape = new FaultPlan.Shape(List.of(FaultKind.values()), 500, 200, 300, 100,
        400);
    FaultPlan first = FaultPlan.seeded(42, 20, shape);
    FaultPlan again = FaultPlan.seeded(42, 20, shape);
    FaultPlan other = FaultPlan.seeded(43, 20, shape);

    assertThat(again.faults()).isEqualTo(first.faults());
    assertThat(other.faults()).isNotEqualTo(first.faults());
    assertThat(first.faults()).extracting(Fault::kind).contains(FaultKind.values());
    assertThat(first.faults()).allSatisfy(fault -> {
      assertThat(fault.gapBytes()).isBetween(0L, 500L);
      if (fault.kind() == FaultKind.KILL_BROKER) {
        assertThat(fault.millis()).isBetween(100L, 400L);
      }
    });
    assertThat(first.describe()).startsWith("plan, seed 42, 20 faults").contains("#19 ");
  }

  @Test
  void theLog_recordsThePlan_eachArming_andEachFiring() throws Exception {
    start(FaultPlan.of(Fault.after(1, Direction.UPSTREAM, FaultKind.DROP)));
    try (Socket client = connect()) {
      server.next();
      write(client, "ab");
      assertThat(readToEnd(client)).isEmpty();
    }
    String log = proxy.log().dump();
    assertThat(log).contains("#0 DROP after 1 B upstream")
        .contains("conn#1 open, armed DROP after 1 B upstream (fires at byte 1)")
        .contains("conn#1 FIRED DROP upstream at byte 1");
  }

  @Test
  void aUsedUpOrQuiescedPlan_leavesConnectionsClean() throws Exception {
    start(FaultPlan.of(Fault.after(0, Direction.UPSTREAM, FaultKind.DROP),
        Fault.after(0, Direction.UPSTREAM, FaultKind.DROP)));
    try (Socket client = connect()) {
      server.next();
      write(client, "a");
      assertThat(readToEnd(client)).isEmpty();
    }
    proxy.quiesce();
    try (Socket client = connect()) {
      Socket peer = patient(server.next());
      write(client, "still here");
      assertThat(ascii(readExactly(peer, 10))).isEqualTo("still here");
    }
    assertThat(proxy.log().firedCount()).isEqualTo(1);
  }

  @Test
  void mqttFraming_findsBoundaries_acrossChunks_andMultiByteLengths() {
    MqttFraming framing = new MqttFraming();
    assertThat(framing.atBoundary()).isTrue();
    byte[] longPublish = new byte[3 + 200];
    longPublish[0] = 0x30;
    longPublish[1] = (byte) 0xC8;
    longPublish[2] = 0x01;
    for (int i = 0; i < longPublish.length; i++) {
      framing.advance(longPublish, i, 1);
      assertThat(framing.atBoundary()).as("after byte %d", i)
          .isEqualTo(i == longPublish.length - 1);
    }
    framing.advance(new byte[] {(byte) 0xC0, 0, (byte) 0xD0}, 0, 3);
    assertThat(framing.atBoundary()).isFalse();
    framing.advance(new byte[] {0}, 0, 1);
    assertThat(framing.atBoundary()).isTrue();
  }
}
