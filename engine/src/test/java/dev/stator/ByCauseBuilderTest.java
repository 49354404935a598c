package dev.stator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.ConnectException;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

final class ByCauseBuilderTest {

  interface Transient {}

  static final class FlakyLink extends ConnectException implements Transient {
    FlakyLink() {
      super("flaky");
    }
  }

  private final Supplier<Object> fresh = Object::new;
  private final RecoveryPolicy<Object> reset = RecoveryPolicy.reset(fresh);
  private final RecoveryPolicy<Object> shutdown =
      RecoveryPolicy.shutdown((c, failure) -> { }, java.time.Duration.ofSeconds(1));

  @Test
  void aBuilder_givesThePolicyThatChainedOnCallsGive() {
    RecoveryPolicy.ByCause<Object> chained = RecoveryPolicy.byCause()
        .on(ConnectException.class, reset)
        .on("java.io.IOException", shutdown)
        .otherwise(reset);

    RecoveryPolicy.ByCause<Object> built = RecoveryPolicy.byCauseBuilder()
        .on(ConnectException.class, reset)
        .on("java.io.IOException", shutdown)
        .otherwise(reset)
        .build();

    assertThat(built.cases()).containsExactlyEntriesOf(chained.cases());
    assertThat(built.fallback()).isSameAs(chained.fallback());
    assertThat(built).hasToString(chained.toString());
    assertThat(built.select(new FlakyLink())).isSameAs(reset);
    assertThat(built.select(new IOException())).isSameAs(shutdown);
    assertThat(built.select(new IllegalStateException())).isSameAs(reset);
  }

  @Test
  void aRepeatedType_isRefusedAndLeavesTheBuilderAsItWas() {
    RecoveryPolicy.ByCause.Builder<Object> builder = RecoveryPolicy.byCauseBuilder()
        .on(IOException.class, reset);

    assertThatThrownBy(() -> builder.on("java.io.IOException", shutdown))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("java.io.IOException already has a recovery case");
    assertThatThrownBy(() -> builder.on("not a name", shutdown))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(builder.build().cases()).containsExactly(java.util.Map.entry("java.io.IOException", reset));
  }

  @Test
  void toBuilder_keepsTheCasesAndTheFallbackAndLeavesThePolicyAlone() {
    RecoveryPolicy.ByCause<Object> policy = RecoveryPolicy.byCause()
        .on(IOException.class, reset).otherwise(shutdown);

    RecoveryPolicy.ByCause<Object> more = policy.toBuilder().on(ConnectException.class, shutdown).build();

    assertThat(policy.cases()).hasSize(1);
    assertThat(more.cases()).containsOnlyKeys("java.io.IOException", "java.net.ConnectException");
    assertThat(more.fallback()).isSameAs(shutdown);
  }

  @Test
  void theNearestTypeWins_andAmongEquallyNearOnesTheFirstCase() {
    RecoveryPolicy<Object> exit = RecoveryPolicy.exit();
    // the interface and the superclass are both one step above FlakyLink
    RecoveryPolicy.ByCause<Object> interfaceFirst = RecoveryPolicy.byCause()
        .on(IOException.class, exit)
        .on(Transient.class.getName(), reset)
        .on(ConnectException.class, shutdown);
    RecoveryPolicy.ByCause<Object> superclassFirst = RecoveryPolicy.byCause()
        .on(ConnectException.class, shutdown)
        .on(Transient.class.getName(), reset)
        .on(IOException.class, exit);

    assertThat(interfaceFirst.select(new FlakyLink())).isSameAs(reset);
    assertThat(superclassFirst.select(new FlakyLink())).isSameAs(shutdown);
    assertThat(interfaceFirst.select(new java.io.EOFException())).isSameAs(exit);
  }

  @Test
  @Timeout(value = 10, unit = TimeUnit.SECONDS)
  void aFaultAmongManyCases_isMatchedByLookingUpItsOwnTypes() {
    RecoveryPolicy.ByCause.Builder<Object> builder = RecoveryPolicy.byCauseBuilder();
    for (int i = 0; i < 150_000; i++) {
      builder.on("x.E" + i, RecoveryPolicy.exit());
    }
    RecoveryPolicy.ByCause<Object> policy = builder.on(ConnectException.class, reset).build();

    for (int fault = 0; fault < 1_000; fault++) {
      assertThat(policy.select(new FlakyLink())).isSameAs(reset);
    }
  }
}
