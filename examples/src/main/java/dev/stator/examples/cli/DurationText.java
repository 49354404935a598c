package dev.stator.examples.cli;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a duration typed on the command line, in the forms JSON machines use for their delays:
 * whole milliseconds ({@code 1500}), a number and a unit ({@code 250ms}, {@code 5s},
 * {@code 1.5m}, {@code 2h}) or ISO-8601 ({@code PT1M30S}).
 */
final class DurationText {

  /** A number and a unit, or whole milliseconds without one. */
  private static final Pattern NUMBER = Pattern.compile("(\\d+)(\\.\\d+)?(ms|s|m|h)?");

  private DurationText() {}

  /**
   * Parses a duration.
   *
   * @param text the text
   * @return the duration, zero or positive
   * @throws IllegalArgumentException saying what is wrong and which forms are accepted
   */
  static Duration parse(String text) {
    try {
      Matcher number = NUMBER.matcher(text);
      // a fraction needs a unit: "1.5" could mean seconds as well as milliseconds
      if (number.matches() && (number.group(2) == null || number.group(3) != null)) {
        String unit = number.group(3) == null ? "ms" : number.group(3);
        BigDecimal nanosPerUnit = BigDecimal.valueOf(switch (unit) {
          case "ms" -> 1_000_000L;
          case "s" -> 1_000_000_000L;
          case "m" -> 60_000_000_000L;
          default -> 3_600_000_000_000L;
        });
        BigDecimal value = new BigDecimal(number.group(1)
            + (number.group(2) == null ? "" : number.group(2)));
        return Duration.ofNanos(value.multiply(nanosPerUnit).toBigIntegerExact().longValueExact());
      }
      if (text.toUpperCase(Locale.ROOT).startsWith("P")) {
        Duration iso = Duration.parse(text);
        if (iso.isNegative()) {
          throw new IllegalArgumentException("'" + text + "' is negative; time only moves forward");
        }
        return iso;
      }
    } catch (ArithmeticException outOfRange) {
      // the text has the right form but no long number of nanoseconds holds it
      throw new IllegalArgumentException("'" + text + "' is out of range, or finer than a"
          + " nanosecond", outOfRange);
    } catch (DateTimeParseException unreadable) {
      // reported below with the accepted forms
    }
    if (text.startsWith("-")) {
      throw new IllegalArgumentException("'" + text + "' is negative; time only moves forward");
    }
    throw new IllegalArgumentException("'" + text + "' is not a duration; expected milliseconds"
        + " (1500), a number with a unit (250ms, 5s, 1.5m, 2h) or ISO-8601 (PT1M30S)");
  }
}
