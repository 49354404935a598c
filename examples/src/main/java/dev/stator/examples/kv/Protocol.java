package dev.stator.examples.kv;

import java.util.Locale;

/**
 * The line protocol of the key-value example. One command or reply per line, words separated by
 * one space, at most {@link #MAX_LINE} bytes:
 *
 * <pre>
 *   client                         server
 *   HELLO &lt;client-id&gt;      ──►   WELCOME &lt;session-id&gt;
 *   PING                   ──►   PONG
 *   PUT &lt;key&gt; &lt;value&gt;      ──►   OK
 *   GET &lt;key&gt;              ──►   VALUE &lt;key&gt; &lt;value&gt;  |  NOTFOUND &lt;key&gt;
 *   BYE                    ──►   BYE, then the server closes
 *   anything else          ──►   ERROR &lt;reason&gt;, then the server closes
 * </pre>
 */
public final class Protocol {

  /** The longest line either side accepts, in bytes. */
  public static final int MAX_LINE = 1024;

  private Protocol() {}

  /** A line, parsed. */
  public sealed interface Message {}

  /** {@code HELLO <client-id>}. @param clientId the client's name */
  public record Hello(String clientId) implements Message {}

  /** {@code WELCOME <session-id>}. @param sessionId the server's session name */
  public record Welcome(String sessionId) implements Message {}

  /** {@code PING}. */
  public record Ping() implements Message {}

  /** {@code PONG}. */
  public record Pong() implements Message {}

  /** {@code PUT <key> <value>}. @param key the key @param value the value */
  public record Put(String key, String value) implements Message {}

  /** {@code OK}. */
  public record Ok() implements Message {}

  /** {@code GET <key>}. @param key the key */
  public record Get(String key) implements Message {}

  /** {@code VALUE <key> <value>}. @param key the key @param value the value */
  public record Value(String key, String value) implements Message {}

  /** {@code NOTFOUND <key>}. @param key the key */
  public record NotFound(String key) implements Message {}

  /** {@code BYE}. */
  public record Bye() implements Message {}

  /** {@code ERROR <reason>}. @param reason why the server closes */
  public record Error(String reason) implements Message {}

  /** A line that is none of the above. @param line the line @param reason what is wrong */
  public record Malformed(String line, String reason) implements Message {}

  /** Not a line: the peer closed the connection. */
  public record PeerClosed() {}

  /**
   * Parses a line (without its line break).
   *
   * @param line the line
   * @return the message, or a {@link Malformed} naming what was expected
   */
  public static Message parse(String line) {
    String[] words = line.split(" ", -1);
    String verb = words[0].toUpperCase(Locale.ROOT);
    return switch (verb) {
      case "HELLO" -> words.length == 2 && !words[1].isEmpty() ? new Hello(words[1])
          : malformed(line, "expected HELLO <client-id>");
      case "WELCOME" -> words.length == 2 ? new Welcome(words[1])
          : malformed(line, "expected WELCOME <session-id>");
      case "PING" -> words.length == 1 ? new Ping() : malformed(line, "expected PING");
      case "PONG" -> words.length == 1 ? new Pong() : malformed(line, "expected PONG");
      case "PUT" -> words.length == 3 && !words[1].isEmpty() ? new Put(words[1], words[2])
          : malformed(line, "expected PUT <key> <value>");
      case "OK" -> words.length == 1 ? new Ok() : malformed(line, "expected OK");
      case "GET" -> words.length == 2 && !words[1].isEmpty() ? new Get(words[1])
          : malformed(line, "expected GET <key>");
      case "VALUE" -> words.length == 3 ? new Value(words[1], words[2])
          : malformed(line, "expected VALUE <key> <value>");
      case "NOTFOUND" -> words.length == 2 ? new NotFound(words[1])
          : malformed(line, "expected NOTFOUND <key>");
      case "BYE" -> words.length == 1 ? new Bye() : malformed(line, "expected BYE");
      case "ERROR" -> new Error(line.length() > 6 ? line.substring(6) : "");
      default -> malformed(line, "unknown command '" + words[0] + "'");
    };
  }

  private static Malformed malformed(String line, String reason) {
    return new Malformed(line, reason);
  }
}
