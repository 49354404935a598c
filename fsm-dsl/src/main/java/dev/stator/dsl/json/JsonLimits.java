package dev.stator.dsl.json;

/**
 * Bounds on what the JSON loader accepts, so that a hostile or broken file is refused quickly and in
 * bounded memory instead of exhausting the service that loads it. The defaults accept a machine of
 * 10,000 states with room to spare.
 *
 * <p><b>Thread-safety:</b> immutable.
 *
 * @param maxDocumentBytes the largest document read, in bytes (default 16 MiB)
 * @param maxNestingDepth the deepest nesting of JSON objects and arrays (default 512)
 * @param maxStringLength the longest string, in characters (default 65,536)
 * @param maxNumberLength the longest number literal, in characters (default 100)
 * @param maxTokens the most JSON tokens (names, values, brackets) in a document (default
 *     1,000,000): what bounds the memory a document may take while it is read
 * @param maxStates the most states in one machine (default 100,000)
 */
public record JsonLimits(
    long maxDocumentBytes,
    int maxNestingDepth,
    int maxStringLength,
    int maxNumberLength,
    long maxTokens,
    int maxStates) {

  /**
   * The defaults: 16 MiB, 512 levels, 65,536 characters, 100 digits, 1,000,000 tokens, 100,000
   * states.
   */
  public static final JsonLimits DEFAULTS =
      new JsonLimits(16L << 20, 512, 65_536, 100, 1_000_000, 100_000);

  /**
   * Checks that every limit is positive.
   *
   * @param maxDocumentBytes the largest document read, in bytes (default 16 MiB)
   * @param maxNestingDepth the deepest nesting of JSON objects and arrays (default 512)
   * @param maxStringLength the longest string, in characters (default 65,536)
   * @param maxNumberLength the longest number literal, in characters (default 100)
   * @param maxTokens the most JSON tokens (names, values, brackets) in a document (default
   *     1,000,000): what bounds the memory a document may take while it is read
   * @param maxStates the most states in one machine (default 100,000)
   */
  public JsonLimits {
    positive(maxDocumentBytes, "maxDocumentBytes");
    positive(maxNestingDepth, "maxNestingDepth");
    positive(maxStringLength, "maxStringLength");
    positive(maxNumberLength, "maxNumberLength");
    positive(maxTokens, "maxTokens");
    positive(maxStates, "maxStates");
  }

  private static void positive(long value, String name) {
    if (value <= 0) {
      throw new IllegalArgumentException(name + " must be positive, not " + value);
    }
  }

  /**
   * {@return a copy with another document size limit, in bytes}
   *
   * @param bytes the new limit, positive
   */
  public JsonLimits withMaxDocumentBytes(long bytes) {
    return new JsonLimits(bytes, maxNestingDepth, maxStringLength, maxNumberLength, maxTokens, maxStates);
  }

  /**
   * {@return a copy with another nesting depth limit}
   *
   * @param depth the new limit, positive
   */
  public JsonLimits withMaxNestingDepth(int depth) {
    return new JsonLimits(maxDocumentBytes, depth, maxStringLength, maxNumberLength, maxTokens, maxStates);
  }

  /**
   * {@return a copy with another string length limit, in characters}
   *
   * @param length the new limit, positive
   */
  public JsonLimits withMaxStringLength(int length) {
    return new JsonLimits(maxDocumentBytes, maxNestingDepth, length, maxNumberLength, maxTokens, maxStates);
  }

  /**
   * {@return a copy with another number length limit, in characters}
   *
   * @param length the new limit, positive
   */
  public JsonLimits withMaxNumberLength(int length) {
    return new JsonLimits(maxDocumentBytes, maxNestingDepth, maxStringLength, length, maxTokens, maxStates);
  }

  /**
   * {@return a copy with another limit on the number of tokens of a document}
   *
   * @param tokens the new limit, positive
   */
  public JsonLimits withMaxTokens(long tokens) {
    return new JsonLimits(maxDocumentBytes, maxNestingDepth, maxStringLength, maxNumberLength,
        tokens, maxStates);
  }

  /**
   * {@return a copy with another limit on the number of states of one machine}
   *
   * @param states the new limit, positive
   */
  public JsonLimits withMaxStates(int states) {
    return new JsonLimits(maxDocumentBytes, maxNestingDepth, maxStringLength, maxNumberLength,
        maxTokens, states);
  }
}
