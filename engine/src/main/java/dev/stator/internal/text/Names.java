package dev.stator.internal.text;

import java.util.Collection;
import java.util.Locale;

/**
 * Suggestions for misspelt names, shared by every front end's error messages. One {@link Budget}
 * serves one document or one compilation: each suggestion compares a wrong name with every
 * candidate, so a document of many wrong names among many long names would cost the product of
 * the two; the budget bounds the total, and once it is spent no more suggestions are made.
 */
public final class Names {

  /** Longer names get no suggestion: the quadratic distance must stay cheap on hostile input. */
  private static final int MAX_COMPARED_LENGTH = 128;

  /**
   * The work one document may spend on suggestions, in cells of the distance table plus one per
   * candidate looked at: 0.1 to 0.2 s. Ordinary documents stay well within it: twenty
   * typos among 10,000 states of ten-character names take less than half of it.
   */
  public static final long DEFAULT_BUDGET = 50_000_000;

  private Names() {}

  /**
   * What is left of the work that suggestions may take. Not thread-safe: one per reader or
   * compilation, which is single-threaded.
   */
  public static final class Budget {
    private long remaining;

    /**
     * Creates a budget.
     *
     * @param units how many table cells and candidates the suggestions may cost in all
     */
    public Budget(long units) {
      this.remaining = units;
    }

    /** Returns a budget of {@link #DEFAULT_BUDGET}. */
    public static Budget forDocument() {
      return new Budget(DEFAULT_BUDGET);
    }

    /** Returns whether the budget is spent: then {@link #closest} suggests nothing. */
    public boolean spent() {
      return remaining <= 0;
    }

    /**
     * Returns the name of {@code names} closest to {@code wrong} when it is close enough to be a
     * likely typo (about one edit in three characters, a swap of neighbours counting as one), else
     * null; null too once the budget is spent. A search that would overrun the budget is
     * abandoned, so that a suggestion is never a worse name than the closest.
     */
    public String closest(String wrong, Collection<String> names) {
      if (wrong.isEmpty() || wrong.length() > MAX_COMPARED_LENGTH || spent()) {
        return null;
      }
      int allowed = Math.max(1, wrong.length() / 3);
      String lowerWrong = wrong.toLowerCase(Locale.ROOT);
      String best = null;
      int bestDistance = Integer.MAX_VALUE;
      for (String name : names) {
        remaining--;
        if (name.length() > MAX_COMPARED_LENGTH
            || Math.abs(name.length() - wrong.length()) > allowed) {
          if (remaining <= 0) {
            return null;
          }
          continue;
        }
        remaining -= (long) wrong.length() * name.length();
        if (remaining <= 0) {
          return null;
        }
        int d = distance(lowerWrong, name.toLowerCase(Locale.ROOT));
        if (d < bestDistance) {
          bestDistance = d;
          best = name;
        }
      }
      return bestDistance <= allowed && bestDistance < wrong.length() ? best : null;
    }
  }

  /** Edit distance counting a swap of two neighbours as one edit ("dail" is one from "dial"). */
  private static int distance(String first, String second) {
    char[] a = first.toCharArray();
    char[] b = second.toCharArray();
    // three rows of the table: a swap looks two rows back
    int[] twoBack = new int[b.length + 1];
    int[] previous = new int[b.length + 1];
    int[] current = new int[b.length + 1];
    for (int j = 0; j <= b.length; j++) {
      previous[j] = j;
    }
    for (int i = 1; i <= a.length; i++) {
      current[0] = i;
      char ai = a[i - 1];
      for (int j = 1; j <= b.length; j++) {
        int d = Math.min(Math.min(previous[j], current[j - 1]) + 1,
            previous[j - 1] + (ai == b[j - 1] ? 0 : 1));
        if (i > 1 && j > 1 && ai == b[j - 2] && a[i - 2] == b[j - 1]) {
          d = Math.min(d, twoBack[j - 2] + 1);
        }
        current[j] = d;
      }
      int[] recycled = twoBack;
      twoBack = previous;
      previous = current;
      current = recycled;
    }
    return previous[b.length];
  }
}
