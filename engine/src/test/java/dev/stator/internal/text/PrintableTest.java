package dev.stator.internal.text;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

final class PrintableTest {

  @Test
  void printableText_isReturnedAsItIs() {
    String text = "state 'connected/alive' -- \"ok\" \\ ünïcödé 状態 😀 \u00a0";

    assertThat(Printable.escape(text)).isSameAs(text);
  }

  @Test
  void c0Controls_areEscapedAsInJson() {
    assertThat(Printable.escape("a\nb\rc\td\be\ff")).isEqualTo("a\\nb\\rc\\td\\be\\ff");
    assertThat(Printable.escape("\u0000\u0007\u001b[31m")).isEqualTo("\\u0000\\u0007\\u001b[31m");
  }

  @Test
  void delAndC1Controls_areEscaped() {
    // U+009B is the one-character CSI: some terminals take it like ESC [
    assertThat(Printable.escape("\u007f\u0080\u0085\u009b2J\u009f"))
        .isEqualTo("\\u007f\\u0080\\u0085\\u009b2J\\u009f");
  }

  @Test
  void lineAndParagraphSeparators_areEscaped() {
    assertThat(Printable.escape("a\u2028b\u2029c")).isEqualTo("a\\u2028b\\u2029c");
  }

  @Test
  void bidiControlsAndOtherInvisibleFormatCharacters_areEscaped() {
    assertThat(Printable.escape("\u202eevil\u202c \u2066x\u2069 \u200e\u200f\u061c \u200b\ufeff"))
        .isEqualTo("\\u202eevil\\u202c \\u2066x\\u2069 \\u200e\\u200f\\u061c \\u200b\\ufeff");
  }

  @Test
  void unpairedSurrogates_areEscaped_pairsAreKept() {
    assertThat(Printable.escape("\ud83d\ude00 \ud83d x \ude00")).isEqualTo("\ud83d\ude00 \\ud83d x \\ude00");
  }

  @Test
  void aHighSurrogateThatEndsTheText_isEscaped() {
    assertThat(Printable.escape("end \ud83d")).isEqualTo("end \\ud83d");
  }

  @Test
  void escaping_isIdempotent_soTextEscapedTwiceReadsTheSame() {
    String once = Printable.escape("x\n\u001b\u202e");

    assertThat(Printable.escape(once)).isSameAs(once);
  }

  @Test
  void null_isWrittenAsNull() {
    assertThat(Printable.escape(null)).isEqualTo("null");
  }
}
