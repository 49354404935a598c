package dev.stator.internal.text;

/**
 * Makes text from input safe to print: Stator's one escaping rule for every message that quotes a
 * document, a name or a file name, so that a hostile file can neither forge lines of output (with
 * a newline) nor drive the terminal (with ESC, BEL or a C1 control), nor reorder what is shown
 * (with a bidirectional override).
 *
 * <p>The rule: every control character (U+0000–U+001F, U+007F, U+0080–U+009F), line and
 * paragraph separator (U+2028, U+2029), format character (invisible ones: bidirectional controls,
 * zero-width characters, U+FEFF…) and unpaired surrogate is written as JSON writes it:
 * {@code \n}, {@code \r}, {@code \t}, {@code \b}, {@code \f}, else a backslash, {@code u} and
 * the character's four hexadecimal digits (ESC is {@code \}{@code u001b}). Everything else is
 * kept, backslashes included, so that ordinary names and Windows paths read as written; escaping
 * is therefore idempotent, and text escaped twice reads the same.
 *
 * <p><b>Thread-safety:</b> stateless; safe from any thread.
 */
public final class Printable {

  private Printable() {}

  /**
   * Returns {@code text} with every character that is not safe to print escaped; the same string
   * when there is none.
   *
   * @param text the text, may be null
   * @return the printable text, {@code "null"} for null
   */
  public static String escape(CharSequence text) {
    if (text == null) {
      return "null";
    }
    int length = text.length();
    int first = 0;
    while (first < length && !unsafe(text, first)) {
      first++;
    }
    if (first == length) {
      return text.toString();
    }
    StringBuilder out = new StringBuilder(length + 16).append(text, 0, first);
    for (int i = first; i < length; i++) {
      char c = text.charAt(i);
      if (!unsafe(text, i)) {
        out.append(c);
        continue;
      }
      switch (c) {
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        case '\b' -> out.append("\\b");
        case '\f' -> out.append("\\f");
        default -> out.append(String.format("\\u%04x", (int) c));
      }
    }
    return out.toString();
  }

  /** Whether the char at {@code i} must be escaped; a well-formed surrogate pair is kept. */
  private static boolean unsafe(CharSequence text, int i) {
    char c = text.charAt(i);
    if (c >= 0x20 && c < 0x7f) {
      // the common case, printable ASCII, decided without a table look-up
      return false;
    }
    if (Character.isHighSurrogate(c)) {
      return i + 1 >= text.length() || !Character.isLowSurrogate(text.charAt(i + 1));
    }
    if (Character.isLowSurrogate(c)) {
      return i == 0 || !Character.isHighSurrogate(text.charAt(i - 1));
    }
    int type = Character.getType(c);
    return type == Character.CONTROL || type == Character.FORMAT
        || type == Character.LINE_SEPARATOR || type == Character.PARAGRAPH_SEPARATOR;
  }
}
