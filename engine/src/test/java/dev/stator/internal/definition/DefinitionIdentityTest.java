package dev.stator.internal.definition;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stator.MachineDefinition;
import dev.stator.RecoveryPolicy;
import dev.stator.dsl.Stator;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What a machine's image records of its definition: the fingerprint, the same for two compilations
 * of one source and changed by a state, a kind of state, a timeout or a call; and the numbers of
 * the declared recovery policies, breadth first from the top, each value once, that restart marks
 * are stored by.
 */
final class DefinitionIdentityTest {

  private static CompiledDefinition<Object> compile(String second, boolean secondFinal,
      Duration delay, String call) {
    var builder = Stator.<String, Object>machine("identity")
        .initial("A")
        .state("A", a -> a.after(delay).goTo(second).invoke(call, (c, step) -> 1));
    MachineDefinition<Object> definition =
        (secondFinal ? builder.finalState(second) : builder.state(second)).build();
    return (CompiledDefinition<Object>) definition;
  }

  @Test
  void theFingerprint_isTheSameForTheSameSource_andChangesWithAStateATimeoutOrACall() {
    Duration second = Duration.ofSeconds(1);
    long original = compile("B", false, second, "fetch").fingerprint();

    assertThat(compile("B", false, second, "fetch").fingerprint()).isEqualTo(original);
    List<Long> changed = List.of(
        compile("C", false, second, "fetch").fingerprint(),
        compile("B", true, second, "fetch").fingerprint(),
        compile("B", false, Duration.ofSeconds(2), "fetch").fingerprint(),
        compile("B", false, Duration.ofSeconds(10), "fetch").fingerprint(),
        compile("B", false, second, "fetcher").fingerprint(),
        compile("B", false, second, "gfetch").fingerprint());
    assertThat(changed).doesNotContain(original).doesNotHaveDuplicates();
  }

  @Test
  void theDeclaredRecoveryPolicies_areNumberedBreadthFirstFromTheTop_eachOnce() {
    RecoveryPolicy<Object> exit = RecoveryPolicy.exit();
    RecoveryPolicy<Object> onIo = RecoveryPolicy.reset(Object::new);
    RecoveryPolicy<Object> otherwise = RecoveryPolicy.reset(Object::new).then(exit);
    RecoveryPolicy<Object> top = RecoveryPolicy.<Object>byCause()
        .on(IOException.class, onIo)
        .otherwise(otherwise);
    CompiledDefinition<Object> definition = (CompiledDefinition<Object>) Stator
        .<String, Object>machine("policies").initial("A").state("A").recovery(top).build();

    List<RecoveryPolicy<?>> declared = List.of(top, onIo, otherwise, exit);
    for (int i = 0; i < declared.size(); i++) {
      assertThat(definition.policyIndex(declared.get(i))).as("policy %d", i).isEqualTo(i);
      assertThat(definition.policyAt(i)).isSameAs(declared.get(i));
      assertThat(definition.declares(declared.get(i))).isTrue();
    }
    assertThat(definition.policyAt(declared.size())).isNull();
    assertThat(definition.policyAt(-1)).isNull();
    RecoveryPolicy<Object> madeAtAFault = RecoveryPolicy.reset(Object::new);
    assertThat(definition.declares(madeAtAFault)).isFalse();
    assertThat(definition.policyIndex(madeAtAFault)).isEqualTo(-1);
  }

  @Test
  void aDefinition_printsAsItsIdAndItsNumberOfStates() {
    MachineDefinition<Object> definition = Stator.<String, Object>machine("printed")
        .initial("A").state("A", a -> a.initial("B").state("B")).state("C").build();

    assertThat(definition).hasToString("MachineDefinition[printed, 3 states]");
  }
}
