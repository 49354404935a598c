package dev.stator.dsl.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

final class DurationTextTest {

  @Test
  void everyFormOfTheFormat_isRead() {
    assertThat(DurationText.parse("1500")).isEqualTo(Duration.ofMillis(1500));
    assertThat(DurationText.parse("250ms")).isEqualTo(Duration.ofMillis(250));
    assertThat(DurationText.parse("5s")).isEqualTo(Duration.ofSeconds(5));
    assertThat(DurationText.parse("1.5m")).isEqualTo(Duration.ofSeconds(90));
    assertThat(DurationText.parse("2h")).isEqualTo(Duration.ofHours(2));
    assertThat(DurationText.parse("PT1M")).isEqualTo(Duration.ofMinutes(1));
    assertThat(DurationText.parse("P1DT2H")).isEqualTo(Duration.ofHours(26));
    assertThat(DurationText.parse("0")).isEqualTo(Duration.ZERO);
  }

  @Test
  void textsOutsideTheFormat_areRefusedNamingTheText() {
    for (String text : List.of("", "soon", "1.5", "5 s", "5S", "-5s", "PT-5S", "pt5s", "P", "ms",
        "99999999999999999999s", "0.0000000001ms")) {
      assertThatThrownBy(() -> DurationText.parse(text)).as(text)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("\"" + text + "\"");
    }
  }
}
