package dev.stator.internal.text;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * How events and throwables are described in reports: a null event as {@code null}, an event's
 * text kept up to 200 characters and cut after, a throwable's message kept up to 1,000 characters
 * and cut after.
 */
final class DescribeTest {

  private static Object printingAs(String text) {
    return new Object() {
      @Override
      public String toString() {
        return text;
      }
    };
  }

  @Test
  void aNullEvent_isDescribedAsNull() {
    assertThat(Describe.event(null)).isEqualTo("null");
  }

  @Test
  void anEventOf200Characters_isKeptWhole_aLongerOneIsCutAfter200() {
    String exactly = "e".repeat(200);

    assertThat(Describe.event(printingAs(exactly))).isEqualTo(exactly);
    assertThat(Describe.event(printingAs(exactly + "f"))).isEqualTo(exactly + "…");
  }

  @Test
  void aMessageOf1000Characters_isKeptWhole_aLongerOneIsCutAfter1000() {
    String exactly = "m".repeat(1000);

    assertThat(Describe.throwable(new IllegalStateException(exactly)))
        .isEqualTo("java.lang.IllegalStateException: " + exactly);
    assertThat(Describe.throwable(new IllegalStateException(exactly + "n")))
        .isEqualTo("java.lang.IllegalStateException: " + exactly + "…");
  }
}
