package dev.stator.dsl.json;

import java.io.StringWriter;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.ObjectWriteContext;
import tools.jackson.core.PrettyPrinter;
import tools.jackson.core.SerializableString;
import tools.jackson.core.io.CharacterEscapes;
import tools.jackson.core.io.SerializedString;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.core.json.JsonWriteFeature;
import tools.jackson.core.util.DefaultIndenter;
import tools.jackson.core.util.DefaultPrettyPrinter;
import tools.jackson.core.util.Separators;

/**
 * Serialises the document {@link JsonMachineWriter} builds (maps, lists, strings, numbers,
 * booleans and {@link JsonValue}s) with Jackson's generator, which does all the escaping.
 *
 * <p>The layout: objects one member a line, indented by two spaces, {@code "name": value}; arrays
 * on one line, {@code [a, b]}, an object in an array opening on the array's line; {@code {}} and
 * {@code []} when empty; a list of one value other than an object written as that value (the
 * reader takes either); a {@link JsonValue} (params, input, output) compact, as its
 * {@link JsonValue#toString()} is. Strings escape what a terminal or an editor could misread, as
 * the library's messages do ({@link JsonValue#quote}):
 * control characters, DEL, the C1 controls and the line and paragraph separators, as
 * {@code \u005Cuxxxx} (except {@code \u005Cn}, {@code \u005Cr} and {@code \u005Ct}); every other
 * character, non-BMP ones included, is written as itself.
 *
 * <p><b>Thread-safety:</b> stateless; safe from any thread (each call has its own generator).
 */
final class JsonPrinter {
  private static final JsonFactory FACTORY = JsonFactory.builder()
      // Jackson 3 escapes '/' by default; paths such as "a/b" stay readable
      .disable(JsonWriteFeature.ESCAPE_FORWARD_SLASHES)
      .disable(JsonWriteFeature.WRITE_HEX_UPPER_CASE)
      .disable(JsonWriteFeature.ESCAPE_NON_ASCII)
      .characterEscapes(new Invisibles())
      .build();
  /** The layout above; a template: each generator takes its own copy, which counts the nesting. */
  private static final DefaultPrettyPrinter LAYOUT = new DefaultPrettyPrinter(
      Separators.createDefaultInstance()
          .withObjectNameValueSpacing(Separators.Spacing.AFTER)
          .withObjectEntrySpacing(Separators.Spacing.NONE)
          .withObjectEmptySeparator("")
          .withArrayElementSpacing(Separators.Spacing.AFTER)
          .withArrayEmptySeparator(""))
      .withObjectIndenter(new DefaultIndenter("  ", "\n"))
      .withArrayIndenter(DefaultPrettyPrinter.NopIndenter.instance());
  /** What a generator of the layout is made with. */
  private static final ObjectWriteContext LAID_OUT = new ObjectWriteContext.Base() {
    @Override
    public PrettyPrinter getPrettyPrinter() {
      return LAYOUT.createInstance();
    }
  };

  private JsonPrinter() {}

  /** {@return the document's text, without a final line break} */
  static String write(Object document) {
    StringWriter out = new StringWriter();
    try (JsonGenerator generator = FACTORY.createGenerator(LAID_OUT, out)) {
      value(generator, document);
    }
    return out.toString();
  }

  private static void value(JsonGenerator out, Object value) {
    if (value instanceof Map<?, ?> map) {
      out.writeStartObject();
      for (Map.Entry<?, ?> entry : map.entrySet()) {
        out.writeName(String.valueOf(entry.getKey()));
        value(out, entry.getValue());
      }
      out.writeEndObject();
    } else if (value instanceof List<?> list) {
      if (list.size() == 1 && !(list.get(0) instanceof Map<?, ?>)) {
        value(out, list.get(0));
        return;
      }
      out.writeStartArray();
      for (Object item : list) {
        value(out, item);
      }
      out.writeEndArray();
    } else if (value instanceof String text) {
      out.writeString(text);
    } else if (value instanceof JsonValue written) {
      out.writeRawValue(compact(written));
    } else if (value instanceof Boolean bool) {
      out.writeBoolean(bool);
    } else if (value instanceof Number number) {
      // its own literal: a double's shortest form, as Double.toString gives it
      out.writeNumber(number.toString());
    } else if (value == null) {
      out.writeNull();
    } else {
      throw new IllegalArgumentException("no JSON form for a " + value.getClass().getName());
    }
  }

  /** {@return a value as written in the document, on one line without spaces} */
  private static String compact(JsonValue value) {
    StringWriter out = new StringWriter();
    try (JsonGenerator generator = FACTORY.createGenerator(ObjectWriteContext.empty(), out)) {
      data(generator, value);
    }
    return out.toString();
  }

  private static void data(JsonGenerator out, JsonValue value) {
    switch (value.kind()) {
      case OBJECT -> {
        out.writeStartObject();
        for (String name : value.names()) {
          out.writeName(name);
          data(out, value.get(name));
        }
        out.writeEndObject();
      }
      case ARRAY -> {
        out.writeStartArray();
        for (JsonValue item : value.items()) {
          data(out, item);
        }
        out.writeEndArray();
      }
      case STRING -> out.writeString(value.asString());
      // the literal as the document wrote it: 1e3 stays 1e3
      case NUMBER -> out.writeNumber(value.toString());
      case BOOLEAN -> out.writeBoolean(value.asBoolean());
      case NULL -> out.writeNull();
    }
  }

  /**
   * Jackson's escapes for JSON (quote, backslash, control characters), and a {@code \u005Cu}
   * escape with four hexadecimal digits for DEL, the C1 controls and U+2028 and U+2029, which JSON allows raw but terminals, editors and
   * JavaScript misread. Immutable.
   */
  private static final class Invisibles extends CharacterEscapes {
    private static final long serialVersionUID = 1L;
    private final int[] ascii;

    Invisibles() {
      ascii = standardAsciiEscapesForJSON();
      // backspace and form feed as six-character escapes, as the library always wrote them
      ascii['\b'] = ESCAPE_STANDARD;
      ascii['\f'] = ESCAPE_STANDARD;
      ascii[0x7f] = ESCAPE_STANDARD;
    }

    @Override
    public int[] getEscapeCodesForAscii() {
      return ascii.clone();
    }

    @Override
    public SerializableString getEscapeSequence(int c) {
      if ((c >= 0x80 && c < 0xa0) || c == 0x2028 || c == 0x2029) {
        return new SerializedString(String.format(Locale.ROOT, "\\u%04x", c));
      }
      return null;
    }
  }
}
