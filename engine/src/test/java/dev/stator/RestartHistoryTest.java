package dev.stator;

import static dev.stator.Charts.machine;
import static org.assertj.core.api.Assertions.assertThat;

import dev.stator.testing.TestLoop;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Restart intensity belongs to a place in the machine's policy, not to a policy value: a deciding
 * policy that builds a fresh reset value for every fault gets one bounded history, so its
 * "at most N within T" holds and the bookkeeping does not grow with every value it returns.
 */
final class RestartHistoryTest {

  @Test
  void decidingPolicyReturningFreshResets_isBoundByTheirIntensity() {
    AtomicInteger decisions = new AtomicInteger();
    RecoveryPolicy<Object> policy = RecoveryPolicy.deciding(failure -> {
      decisions.incrementAndGet();
      return RecoveryPolicy.<Object>reset(Object::new).atMost(3, Duration.ofMinutes(1));
    });
    Machine<Object> machine = survivingThreeFaults(policy);
    machine.send("boom");

    assertThat(machine.state().status()).isEqualTo(Status.FAILED);
    assertThat(machine.state().failure().restartCount()).isEqualTo(3);
    assertThat(decisions).hasValue(4);
  }

  @Test
  void decidingPolicyReturningFreshChains_keepsEachLinksOwnIntensity() {
    // reset at most 1, then reset at most 2 more, then exit: three restarts in all
    RecoveryPolicy<Object> policy = RecoveryPolicy.deciding(failure ->
        RecoveryPolicy.<Object>reset(Object::new).atMost(1, Duration.ofMinutes(1))
            .then(RecoveryPolicy.<Object>reset(Object::new).atMost(2, Duration.ofMinutes(1))));
    Machine<Object> machine = survivingThreeFaults(policy);
    machine.send("boom");

    assertThat(machine.state().status()).isEqualTo(Status.FAILED);
  }

  /** A machine whose "boom" always faults, after three faults its policy let it survive. */
  private static Machine<Object> survivingThreeFaults(RecoveryPolicy<Object> policy) {
    MachineDefinition<Object> definition = machine("fragile", policy,
        Charts.<Object>state("a").on("boom", null, (context, step) -> {
          throw new IllegalStateException("boom");
        }));
    Machine<Object> machine = TestLoop.create().start(definition, new Object());
    for (int i = 0; i < 3; i++) {
      machine.send("boom");
      assertThat(machine.state().status()).as("after fault %d", i + 1).isEqualTo(Status.RUNNING);
    }
    return machine;
  }
}
