package dev.stator.internal;

import java.util.Collection;
import java.util.Locale;

/** Suggestions for misspelt names, shared by every front end's error messages. */
public final class Names {

  /** Longer names get no suggestion: the quadratic distance must stay cheap on hostile input. */
  private static final int MAX_COMPARED_LENGTH = 128;

  private Names() {}

  /**
   * Returns the name of {@code names} closest to {@code wrong} when it is close enough to be a
   * likely typo (about one edit in three characters, a swap of neighbours counting as one), else
   * null.
   */
  public static String closest(String wrong, Collection<String> names) {
    if (wrong.isEmpty() || wrong.length() > MAX_COMPARED_LENGTH) {
      return null;
    }
    int allowed = Math.max(1, wrong.length() / 3);
    String lowerWrong = wrong.toLowerCase(Locale.ROOT);
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (String name : names) {
      if (name.length() > MAX_COMPARED_LENGTH || Math.abs(name.length() - wrong.length()) > allowed) {
        continue;
      }
      int d = distance(lowerWrong, name.toLowerCase(Locale.ROOT));
      if (d < bestDistance) {
        bestDistance = d;
        best = name;
      }
    }
    return bestDistance <= allowed && bestDistance < wrong.length() ? best : null;
  }

  /** Edit distance counting a swap of two neighbours as one edit ("dail" is one from "dial"). */
  private static int distance(String a, String b) {
    int[][] d = new int[a.length() + 1][b.length() + 1];
    for (int i = 0; i <= a.length(); i++) {
      d[i][0] = i;
    }
    for (int j = 0; j <= b.length(); j++) {
      d[0][j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
        if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2)
            && a.charAt(i - 2) == b.charAt(j - 1)) {
          d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
        }
      }
    }
    return d[a.length()][b.length()];
  }
}
