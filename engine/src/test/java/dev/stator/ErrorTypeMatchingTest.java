package dev.stator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stator.model.Action;
import dev.stator.model.MachineSpec;
import dev.stator.model.StateSpec;
import dev.stator.model.TransitionSpec;
import dev.stator.model.Trigger;
import dev.stator.testing.TestLoop;
import java.io.IOException;
import java.net.ConnectException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * An error type named in an {@code onError} transition or a {@code byCause} case matches the
 * thrown class, any superclass and any interface it implements, directly or through another
 * interface. Among {@code byCause} cases the nearest type wins, and among equally near ones the
 * case added first.
 */
final class ErrorTypeMatchingTest {

  interface Retryable {}

  interface Transient extends Retryable {}

  static final class FlakyLink extends ConnectException implements Transient {
    FlakyLink() {
      super("flaky");
    }
  }

  private final TestLoop loop = TestLoop.create(
      LoopOptions.DEFAULTS.withUnobservedFailureHandler(failure -> { }), 0);

  /** A machine whose action throws {@code error} on "go"; its error transition names {@code type}. */
  private static MachineDefinition<Object> throwing(Supplier<Exception> error, String type) {
    Action<Object, Object> fail = (context, step) -> {
      throw error.get();
    };
    StateSpec<Object> idle = new StateSpec<>("idle", null, StateSpec.Type.NORMAL, null, List.of(),
        List.of(), List.of(),
        List.of(new TransitionSpec<>(new Trigger.OnEvent("go"), null, (String) null, false,
            List.of(fail)),
            new TransitionSpec<>(new Trigger.OnError(type), null, "recovered", false, List.of())),
        List.of(), null, null);
    StateSpec<Object> recovered = new StateSpec<>("recovered", null, StateSpec.Type.NORMAL, null,
        List.of(), List.of(), List.of(), List.of(), List.of(), null, null);
    return MachineDefinition.compile(new MachineSpec<>("thrower", "idle", List.of(idle, recovered),
        UnhandledEventPolicy.IGNORE, RecoveryPolicy.exit()));
  }

  private StateSnapshot after(Supplier<Exception> error, String type) {
    Machine<Object> machine = loop.start(throwing(error, type), new Object());
    machine.send("go");
    loop.runUntilIdle();
    return machine.state();
  }

  @Test
  void onError_matchesTheThrownClassItself() {
    assertThat(after(FlakyLink::new, FlakyLink.class.getName()).path()).isEqualTo("recovered");
  }

  @Test
  void onError_matchesASuperclassSeveralLevelsUp() {
    assertThat(after(FlakyLink::new, "java.io.IOException").path()).isEqualTo("recovered");
  }

  @Test
  void onError_matchesAnImplementedInterface() {
    assertThat(after(FlakyLink::new, Transient.class.getName()).path()).isEqualTo("recovered");
  }

  @Test
  void onError_matchesAnInterfaceThatAnImplementedInterfaceExtends() {
    assertThat(after(FlakyLink::new, Retryable.class.getName()).path()).isEqualTo("recovered");
  }

  @Test
  void onError_matchesAnInterfaceOfASuperclass() {
    // IOException implements Serializable through Throwable
    assertThat(after(IOException::new, "java.io.Serializable").path()).isEqualTo("recovered");
  }

  @Test
  void onError_ofAnotherType_doesNotMatch_andTheErrorFaultsTheMachine() {
    StateSnapshot state = after(IOException::new, Transient.class.getName());

    assertThat(state.status()).isEqualTo(Status.FAILED);
    assertThat(state.failure().cause()).isInstanceOf(IOException.class);
  }

  private final RecoveryPolicy<Object> first = RecoveryPolicy.reset(Object::new);
  private final RecoveryPolicy<Object> second = RecoveryPolicy.reset(Object::new);
  private final RecoveryPolicy<Object> fallback = RecoveryPolicy.exit();

  @Test
  void byCause_equallyNearCases_theFirstAddedWins() {
    // ConnectException and Transient are both one step above FlakyLink
    RecoveryPolicy.ByCause<Object> connectFirst = RecoveryPolicy.byCause()
        .on(ConnectException.class, first)
        .on(Transient.class.getName(), second)
        .otherwise(fallback);
    RecoveryPolicy.ByCause<Object> transientFirst = RecoveryPolicy.byCause()
        .on(Transient.class.getName(), first)
        .on(ConnectException.class, second)
        .otherwise(fallback);

    assertThat(connectFirst.select(new FlakyLink())).isSameAs(first);
    assertThat(transientFirst.select(new FlakyLink())).isSameAs(first);
  }

  @Test
  void byCause_theNearestTypeWins_whateverTheOrderOfTheCases() {
    RecoveryPolicy.ByCause<Object> far = RecoveryPolicy.byCause()
        .on(Retryable.class.getName(), first)
        .on(Transient.class.getName(), second)
        .otherwise(fallback);
    RecoveryPolicy.ByCause<Object> nearFirst = RecoveryPolicy.byCause()
        .on(IOException.class, first)
        .on(ConnectException.class, second)
        .otherwise(fallback);

    assertThat(far.select(new FlakyLink())).isSameAs(second);
    assertThat(nearFirst.select(new FlakyLink())).isSameAs(second);
    assertThat(nearFirst.select(new IOException())).isSameAs(first);
  }

  @Test
  void byCause_matchesAnInterfaceByName_andFallsBackWhenNothingMatches() {
    RecoveryPolicy.ByCause<Object> policy = RecoveryPolicy.byCause()
        .on(Retryable.class.getName(), first)
        .otherwise(fallback);

    assertThat(policy.select(new FlakyLink())).isSameAs(first);
    assertThat(policy.select(new IllegalStateException())).isSameAs(fallback);
    assertThat(RecoveryPolicy.byCause().otherwise(fallback).select(new FlakyLink()))
        .isSameAs(fallback);
  }

  @Test
  void aFailureCarriesTheCauseAndThePhase() {
    List<Failure> failures = new ArrayList<>();
    TestLoop observed = TestLoop.create(
        LoopOptions.DEFAULTS.withUnobservedFailureHandler(failures::add), 0);
    Machine<Object> machine = observed.start(throwing(IOException::new, Transient.class.getName()),
        new Object());

    machine.send("go");
    observed.runUntilIdle();

    assertThat(failures).singleElement().satisfies(failure -> {
      assertThat(failure.cause()).isInstanceOf(IOException.class);
      assertThat(failure.phase()).isEqualTo(Phase.ACTION);
      assertThat(failure.machineId()).isEqualTo(machine.id());
    });
  }
}
