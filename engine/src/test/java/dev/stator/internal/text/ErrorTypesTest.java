package dev.stator.internal.text;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stator.RecoveryPolicy;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import org.junit.jupiter.api.Test;

final class ErrorTypesTest {

  interface Transient {}

  static final class FlakyLink extends ConnectException implements Transient {
    FlakyLink() {
      super("flaky");
    }
  }

  @Test
  void aNameMatchesTheClassItsSuperclassesAndItsInterfacesAtTheirDistance() {
    assertThat(ErrorTypes.distance(FlakyLink.class, FlakyLink.class.getName())).isZero();
    assertThat(ErrorTypes.distance(FlakyLink.class, Transient.class.getName())).isEqualTo(1);
    assertThat(ErrorTypes.distance(FlakyLink.class, "java.net.ConnectException")).isEqualTo(1);
    assertThat(ErrorTypes.distance(FlakyLink.class, "java.io.IOException")).isEqualTo(3);
    assertThat(ErrorTypes.distance(FlakyLink.class, "java.io.Serializable")).isPositive();
    assertThat(ErrorTypes.matches(FlakyLink.class, "java.lang.Exception")).isTrue();
    assertThat(ErrorTypes.matches(FlakyLink.class, "java.lang.RuntimeException")).isFalse();
    assertThat(ErrorTypes.distance(FlakyLink.class, "IOException")).isEqualTo(-1);
  }

  @Test
  void namesThatAreNotJavaClassNamesAreRefusedWithAnExample() {
    assertThatThrownBy(() -> ErrorTypes.checkName("java..IOException"))
        .hasMessageContaining("\"java..IOException\" is not a Java class name, such as java.io.IOException");
    assertThatThrownBy(() -> ErrorTypes.checkName("1up.Error")).hasMessageContaining("not a Java class name");
    assertThatThrownBy(() -> ErrorTypes.checkName("")).hasMessageContaining("needs a class name");
    assertThat(ErrorTypes.checkName("com.example.Outer$Inner")).isEqualTo("com.example.Outer$Inner");
  }

  @Test
  void recoveryCasesNamedByTypeNameSelectTheClosestMatchWithoutLoadingAClass() {
    RecoveryPolicy<Object> transientCase = RecoveryPolicy.exit();
    RecoveryPolicy<Object> ioCase = RecoveryPolicy.shutdown((c, f) -> { }, java.time.Duration.ofSeconds(1));
    RecoveryPolicy.ByCause<Object> policy = RecoveryPolicy.<Object>byCause()
        .on("java.io.IOException", ioCase)
        .on(Transient.class.getName(), transientCase);

    assertThat(policy.select(new FlakyLink())).isSameAs(transientCase);
    assertThat(policy.select(new IOException("disk"))).isSameAs(ioCase);
    assertThat(policy.select(new UncheckedIOException(new IOException()))).isSameAs(policy.fallback());
    assertThat(policy.cases()).containsOnlyKeys("java.io.IOException", Transient.class.getName());
  }
}
