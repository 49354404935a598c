package dev.stator.dsl.json;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The duration strings of Stator's JSON format ({@code after} keys, timeouts, deadlines), for tools
 * that read durations the way the format does, such as the command-line tool's {@code wait:}:
 * whole milliseconds ({@code "1000"}), a number with the unit {@code ms}, {@code s}, {@code m} or
 * {@code h} and up to nine decimals ({@code "250ms"}, {@code "1.5s"}), or an ISO-8601 duration in
 * days, hours, minutes and seconds, upper case, without signs ({@code "PT5S"}).
 *
 * <p><b>Thread-safety:</b> stateless; safe from any thread.
 */
public final class DurationText {

  private static final Pattern NUMBER =
      Pattern.compile("(\\d{1,18})|(\\d{1,18}(?:\\.\\d{1,9})?)(ms|s|m|h)");
  private static final Pattern ISO = Pattern.compile(
      "P(?=[0-9T])(?:[0-9]+D)?(?:T(?=[0-9])(?:[0-9]+H)?(?:[0-9]+M)?(?:[0-9]+(?:[.,][0-9]{1,9})?S)?)?");

  private DurationText() {}

  /**
   * Reads a duration string.
   *
   * @param text the text
   * @return the duration, zero or positive
   * @throws IllegalArgumentException saying what is wrong and which forms are accepted
   */
  public static Duration parse(String text) {
    return parse(text, "a duration");
  }

  /**
   * Whether {@code text} is written as a duration, well or not: it starts with a digit, a sign or
   * a decimal point, or with ISO-8601's {@code P} and then a digit or {@code T}. An {@code after}
   * key that does not is a delay's name.
   */
  static boolean readsAsDuration(String text) {
    if (text.isEmpty()) {
      return true;
    }
    char first = text.charAt(0);
    return Character.isDigit(first) || first == '-' || first == '+' || first == '.'
        || (first == 'P' && text.length() > 1
            && (Character.isDigit(text.charAt(1)) || text.charAt(1) == 'T'));
  }

  /** Reads a duration; {@code what} names it in messages ("a delay", "a timeout"). */
  static Duration parse(String text, String what) {
    Matcher number = NUMBER.matcher(text);
    if (number.matches()) {
      try {
        if (number.group(1) != null) {
          return Duration.ofMillis(Long.parseLong(number.group(1)));
        }
        long nanosPerUnit = switch (number.group(3)) {
          case "ms" -> 1_000_000L;
          case "s" -> 1_000_000_000L;
          case "m" -> 60_000_000_000L;
          default -> 3_600_000_000_000L;
        };
        BigDecimal nanos = new BigDecimal(number.group(2)).multiply(BigDecimal.valueOf(nanosPerUnit));
        return Duration.ofNanos(nanos.setScale(0, RoundingMode.HALF_UP).longValueExact());
      } catch (ArithmeticException overflow) {
        throw new IllegalArgumentException(what + " \"" + text + "\" is out of range");
      }
    }
    if (text.startsWith("-")) {
      throw new IllegalArgumentException(what + " cannot be negative, found \"" + text + "\"");
    }
    if (ISO.matcher(text).matches()) {
      try {
        Duration parsed = Duration.parse(text);
        if (!parsed.isNegative()) {
          return parsed;
        }
        throw new IllegalArgumentException(what + " cannot be negative, found \"" + text + "\"");
      } catch (DateTimeParseException | ArithmeticException unreadable) {
        // reported below with the accepted forms
      }
    }
    throw new IllegalArgumentException("\"" + text + "\" is not " + what + "; expected milliseconds"
        + " (\"1000\"), a number with a unit (\"250ms\", \"5s\", \"2m\", \"1h\") or an ISO-8601"
        + " duration (\"PT5S\")");
  }
}
