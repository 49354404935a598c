package dev.stator.examples.mqtt.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Topic names and filters, MQTT 3.1.1 section 4.7. */
class TopicsTest {

  @ParameterizedTest(name = "{0} matches {1}: {2}")
  @CsvSource({
      "sport/tennis/#, sport/tennis/player1, true",
      "sport/tennis/#, sport/tennis/player1/ranking, true",
      "sport/tennis/#, sport/tennis, true",
      "sport/#, sport, true",
      "#, any/thing, true",
      "sport/tennis/+, sport/tennis/player1, true",
      "sport/tennis/+, sport/tennis/player1/ranking, false",
      "sport/+, sport, false",
      "sport/+, sport/, true",
      "+/+, /finance, true",
      "/+, /finance, true",
      "+, /finance, false",
      "#, $SYS/uptime, false",
      "+/uptime, $SYS/uptime, false",
      "$SYS/#, $SYS/uptime, true",
      "a/b, a/b, true",
      "a/b, a/c, false",
      "a/b, A/b, false"})
  void aFilterMatchesTheTopicNamesOfSection47(String filter, String topic, boolean matches) {
    Topics.checkFilter(filter);
    assertThat(Topics.matches(filter, topic)).isEqualTo(matches);
  }

  @Test
  void aFilterWithAMisplacedWildcardIsRefusedNamingTheLevel() {
    assertThatThrownBy(() -> Topics.checkFilter("sport/tennis#"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("filter \"sport/tennis#\": '#' must be the whole last level (level 2 is"
            + " \"tennis#\")");
    assertThatThrownBy(() -> Topics.checkFilter("sport/#/ranking"))
        .hasMessageContaining("'#' must be the whole last level (level 2 is \"#\")");
    assertThatThrownBy(() -> Topics.checkFilter("sport+"))
        .hasMessage("filter \"sport+\": '+' must be a whole level (level 1 is \"sport+\")");
    assertThatThrownBy(() -> Topics.checkFilter(""))
        .hasMessage("filter: expected a topic filter of at least one character");
  }

  @Test
  void aTopicNameToPublishToHasNoWildcardAndIsNotEmpty() {
    assertThatThrownBy(() -> Topics.checkName("sport/+"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("topic \"sport/+\": a topic name to publish to contains no wildcard ('+' or"
            + " '#')");
    assertThatThrownBy(() -> Topics.checkName(""))
        .hasMessage("topic: expected a topic name of at least one character");
    Topics.checkName("sport/tennis");
  }
}
