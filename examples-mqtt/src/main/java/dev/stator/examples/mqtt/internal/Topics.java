package dev.stator.examples.mqtt.internal;

/**
 * Topic names and filters of MQTT 3.1.1 section 4.7: validation of what the application passes,
 * and matching of a received topic name against a subscription's filter.
 */
public final class Topics {
  private Topics() {}

  /**
   * Checks a topic name to publish to: no wildcards [MQTT-3.3.2-2], not empty [MQTT-4.7.3-1].
   *
   * @param topic the name
   * @throws IllegalArgumentException naming what is wrong
   */
  public static void checkName(String topic) {
    if (topic == null || topic.isEmpty()) {
      throw new IllegalArgumentException("topic: expected a topic name of at least one character");
    }
    if (topic.indexOf('+') >= 0 || topic.indexOf('#') >= 0) {
      throw new IllegalArgumentException("topic \"" + topic
          + "\": a topic name to publish to contains no wildcard ('+' or '#')");
    }
    if (topic.indexOf('\0') >= 0) {
      throw new IllegalArgumentException("topic \"" + topic + "\": contains U+0000");
    }
  }

  /**
   * Checks a topic filter to subscribe to: '#' only last and alone in its level, '+' alone in its
   * level (section 4.7.1).
   *
   * @param filter the filter
   * @throws IllegalArgumentException naming what is wrong
   */
  public static void checkFilter(String filter) {
    if (filter == null || filter.isEmpty()) {
      throw new IllegalArgumentException(
          "filter: expected a topic filter of at least one character");
    }
    String[] levels = filter.split("/", -1);
    for (int i = 0; i < levels.length; i++) {
      String level = levels[i];
      if (level.contains("#") && (!level.equals("#") || i != levels.length - 1)) {
        throw new IllegalArgumentException("filter \"" + filter + "\": '#' must be the whole last"
            + " level (level " + (i + 1) + " is \"" + level + "\")");
      }
      if (level.contains("+") && !level.equals("+")) {
        throw new IllegalArgumentException("filter \"" + filter + "\": '+' must be a whole level"
            + " (level " + (i + 1) + " is \"" + level + "\")");
      }
    }
  }

  /**
   * {@return whether a topic name matches a filter}
   *
   * @param filter a valid filter
   * @param topic a topic name
   */
  public static boolean matches(String filter, String topic) {
    if (topic.startsWith("$") && (filter.startsWith("+") || filter.startsWith("#"))) {
      return false;                                // [MQTT-4.7.2-1]
    }
    String[] f = filter.split("/", -1);
    String[] t = topic.split("/", -1);
    for (int i = 0; i < f.length; i++) {
      if (f[i].equals("#")) {
        return true;
      }
      if (i >= t.length) {
        return false;
      }
      if (!f[i].equals("+") && !f[i].equals(t[i])) {
        return false;
      }
    }
    return f.length == t.length;
  }
}
