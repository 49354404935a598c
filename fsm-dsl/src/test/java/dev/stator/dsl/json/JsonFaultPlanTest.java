package dev.stator.dsl.json;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stator.Failure;
import dev.stator.Machine;
import dev.stator.MachineDefinition;
import dev.stator.Phase;
import dev.stator.testing.FaultPlan;
import dev.stator.testing.InjectedFaultException;
import dev.stator.testing.TestLoop;
import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * A fault plan names the sites of a JSON machine as it names a DSL machine's: by state path, event
 * and call id, whatever the bindings behind them.
 */
final class JsonFaultPlanTest {

  private static final String JSON = """
      {"id": "conn", "initial": "connecting",
       "states": {
         "connecting": {
           "invoke": {"id": "dial", "src": "dial", "timeout": "5s", "onDone": "online",
                      "onError": "backoff"}
         },
         "backoff": {"on": {"RETRY": "connecting"}},
         "online": {"initial": "idle", "states": {
           "idle": {"entry": "countIdle", "on": {"PING": {"target": "idle", "actions": "ping"}}}
         }}
       }}
      """;

  /** The machine's context. */
  static final class Conn {
    int idles;
    int pings;
  }

  private static MachineDefinition<Conn> definition() {
    Bindings<Conn> bindings = Bindings.<Conn>builder()
        .callAsync("dial", (conn, step) -> CompletableFuture.completedFuture("up"))
        .action("countIdle", conn -> conn.idles++)
        .action("ping", conn -> conn.pings++)
        .build();
    return JsonMachineReader.of(bindings).read("conn.json", JSON).definition();
  }

  @Test
  void anActionOfANestedJsonState_failsOnItsRun() {
    TestLoop loop = TestLoop.create().injecting(FaultPlan.builder()
        .action("online/idle", "PING").onRun(2).throwing()
        .build());
    Conn conn = new Conn();
    Machine<Conn> machine = loop.start(definition(), conn);
    assertThat(machine.state().path()).isEqualTo("online/idle");

    machine.send("PING");
    machine.send("PING");

    assertThat(conn.pings).isEqualTo(1);
    Failure failure = machine.state().failure();
    assertThat(failure.phase()).isEqualTo(Phase.ACTION);
    assertThat(failure.cause()).isInstanceOf(InjectedFaultException.class);
    assertThat(failure.summary()).contains("action of state online/idle on PING, run 2");
  }

  @Test
  void aJsonCall_completingExceptionallyWithAnExpectedError_takesOnError() {
    TestLoop loop = TestLoop.create().injecting(FaultPlan.builder()
        .call("connecting", "dial").completingExceptionally(new IOException("refused"))
        .build());
    Machine<Conn> machine = loop.start(definition(), new Conn());

    assertThat(machine.state().path()).isEqualTo("backoff");
    machine.send("RETRY");
    assertThat(machine.state().path()).isEqualTo("online/idle");
    assertThat(loop.failures()).isEmpty();
  }
}
