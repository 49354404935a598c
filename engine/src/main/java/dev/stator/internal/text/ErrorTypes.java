package dev.stator.internal.text;

import java.util.ArrayDeque;
import java.util.HashSet;
import java.util.Set;

/**
 * Matches thrown errors against type names. Expected errors and recovery cases name their types
 * by fully qualified class name so that definitions read from files can name them without any
 * class being loaded: a name matches the thrown class, any superclass or any interface it
 * implements.
 */
public final class ErrorTypes {

  private ErrorTypes() {}

  /**
   * Returns how far {@code typeName} lies above {@code thrown} in its type hierarchy: 0 for the
   * class itself, 1 for its superclass or a directly implemented interface, and so on (breadth
   * first), or -1 when no type of the hierarchy has that name.
   */
  public static int distance(Class<?> thrown, String typeName) {
    ArrayDeque<Class<?>> level = new ArrayDeque<>();
    Set<Class<?>> seen = new HashSet<>();
    level.add(thrown);
    for (int distance = 0; !level.isEmpty(); distance++) {
      ArrayDeque<Class<?>> next = new ArrayDeque<>();
      for (Class<?> type : level) {
        if (!seen.add(type)) {
          continue;
        }
        if (type.getName().equals(typeName)) {
          return distance;
        }
        if (type.getSuperclass() != null) {
          next.add(type.getSuperclass());
        }
        for (Class<?> implemented : type.getInterfaces()) {
          next.add(implemented);
        }
      }
      level = next;
    }
    return -1;
  }

  /**
   * Returns the least rank among the types of {@code thrown}'s hierarchy nearest to it that
   * {@code ranks} names, or -1 when it names none: what choosing the ranked name of least
   * {@link #distance}, the lowest rank among equals, gives, without a walk per name.
   */
  public static int nearest(Class<?> thrown, java.util.Map<String, Integer> ranks) {
    ArrayDeque<Class<?>> level = new ArrayDeque<>();
    Set<Class<?>> seen = new HashSet<>();
    level.add(thrown);
    while (!level.isEmpty()) {
      int best = -1;
      ArrayDeque<Class<?>> next = new ArrayDeque<>();
      for (Class<?> type : level) {
        if (!seen.add(type)) {
          continue;
        }
        Integer rank = ranks.get(type.getName());
        if (rank != null && (best < 0 || rank < best)) {
          best = rank;
        }
        if (type.getSuperclass() != null) {
          next.add(type.getSuperclass());
        }
        for (Class<?> implemented : type.getInterfaces()) {
          next.add(implemented);
        }
      }
      if (best >= 0) {
        return best;
      }
      level = next;
    }
    return -1;
  }

  /** Returns whether {@code thrown} is, extends or implements the type named {@code typeName}. */
  public static boolean matches(Class<?> thrown, String typeName) {
    for (Class<?> c = thrown; c != null; c = c.getSuperclass()) {
      if (c.getName().equals(typeName)) {
        return true;
      }
    }
    return distance(thrown, typeName) >= 0;
  }

  /**
   * Checks that {@code typeName} is a Java binary class name ({@code java.io.IOException},
   * {@code com.example.Outer$Inner}).
   *
   * @throws IllegalArgumentException naming what is wrong
   */
  public static String checkName(String typeName) {
    if (typeName == null || typeName.isEmpty()) {
      throw new IllegalArgumentException("an error type needs a class name, such as java.io.IOException");
    }
    for (String part : typeName.split("\\.", -1)) {
      boolean valid = !part.isEmpty() && Character.isJavaIdentifierStart(part.charAt(0));
      for (int i = 1; valid && i < part.length(); i++) {
        valid = Character.isJavaIdentifierPart(part.charAt(i));
      }
      if (!valid) {
        throw new IllegalArgumentException("\"" + typeName + "\" is not a Java class name, such as "
            + "java.io.IOException");
      }
    }
    return typeName;
  }

  /** Returns the simple name of a binary class name, for labels. */
  public static String simpleName(String typeName) {
    int cut = Math.max(typeName.lastIndexOf('.'), typeName.lastIndexOf('$'));
    return typeName.substring(cut + 1);
  }
}
