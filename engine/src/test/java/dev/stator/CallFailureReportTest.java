package dev.stator;

import static dev.stator.Charts.machine;
import static dev.stator.Charts.state;
import static org.assertj.core.api.Assertions.assertThat;

import dev.stator.model.Invocation;
import dev.stator.testing.TestLoop;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** A failed call is named in the failure, whether it failed as it started or when it completed. */
final class CallFailureReportTest {

  /** Where the call fails. */
  enum Where { SYNC_CALL, ASYNC_START, BLOCKING_PREPARE, ASYNC_RESULT }

  @ParameterizedTest
  @EnumSource(Where.class)
  void failingCall_isNamedInTheFailureAndItsSummary(Where where) {
    IllegalStateException refused = new IllegalStateException("refused");
    Invocation<Object> dial = switch (where) {
      case SYNC_CALL -> new Invocation<>("dial", Invocation.Kind.SYNC,
          (Invocation.Sync<Object, Object>) (context, step) -> {
            throw refused;
          }, null);
      case ASYNC_START -> new Invocation<>("dial", Invocation.Kind.ASYNC,
          (Invocation.Async<Object, Object>) (context, step) -> {
            throw refused;
          }, null);
      case BLOCKING_PREPARE -> new Invocation<>("dial", Invocation.Kind.BLOCKING,
          (Invocation.Blocking<Object, Object>) context -> {
            throw refused;
          }, null);
      case ASYNC_RESULT -> new Invocation<>("dial", Invocation.Kind.ASYNC,
          (Invocation.Async<Object, Object>) (context, step) ->
              CompletableFuture.failedFuture(refused), null);
    };
    MachineDefinition<Object> definition = machine("caller",
        state("idle").on("go", "dialling"), Charts.<Object>state("dialling").call(dial));
    TestLoop loop = TestLoop.create();
    Machine<Object> machine = loop.start(definition, new Object());

    machine.send("go");

    Failure failure = machine.state().failure();
    assertThat(failure).isNotNull();
    assertThat(failure.phase()).isEqualTo(Phase.CALL);
    assertThat(failure.call()).isEqualTo("dial");
    assertThat(failure.summary()).contains("during CALL 'dial'").contains("refused");
  }
}
