package dev.stator.mutation;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.pitest.mutationtest.engine.MutationDetails;

/**
 * The list of equivalent mutants. One mutant a line, five fields separated by {@code |}:
 *
 * <pre>
 * class | method | mutator | description | reason
 * </pre>
 *
 * <ul>
 *   <li>class: the simple name of the mutated class ({@code Outer$Inner} for a nested one), so that
 *       an entry outlives a move of the class to another package;
 *   <li>method: the mutated method's name, then {@code @} and the line when the method has other
 *       mutants of the same kind ({@code buildTables@598}); an entry whose line no longer holds the
 *       mutant matches nothing, so a stale entry makes a mutant count again, never hides another;
 *   <li>mutator: the last part of PIT's mutator name, e.g. {@code RemoveConditionalMutator_EQUAL_ELSE};
 *   <li>description: a text that PIT's description of the mutant contains, e.g. the removed call;
 *   <li>reason: why the mutant cannot change behaviour. Required.
 * </ul>
 *
 * Every mutant an entry matches is left out and named in the build log ("EQUIVALENT (left out)").
 * {@code #} starts a comment line.
 */
final class EquivalentMutants {

  record Entry(String className, String method, int atLine, String mutator, String description,
      String reason, int line) {

    boolean matches(MutationDetails m) {
      String fqcn = m.getClassName().asJavaName();
      String simple = fqcn.substring(fqcn.lastIndexOf('.') + 1);
      String mutator = m.getMutator();
      return simple.equals(className)
          && m.getMethod().equals(method)
          && (atLine < 0 || m.getLineNumber() == atLine)
          && (mutator.equals(this.mutator) || mutator.endsWith("." + this.mutator))
          && m.getDescription().contains(description);
    }

    @Override
    public String toString() {
      return "mutation-equivalents.txt:" + line + ": " + className + "::" + method
          + (atLine < 0 ? "" : "@" + atLine) + " " + mutator
          + " '" + description + "'";
    }
  }

  private EquivalentMutants() {}

  static List<Entry> read(Path file) throws IOException {
    List<Entry> entries = new ArrayList<>();
    List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i).strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      String[] f = line.split("\\|", -1);
      if (f.length != 5 || f[4].isBlank()) {
        throw new IllegalArgumentException(file + ":" + (i + 1)
            + ": want 'class | method | mutator | description | reason', the reason not empty");
      }
      String method = f[1].strip();
      int at = method.indexOf('@');
      int atLine = at < 0 ? -1 : Integer.parseInt(method.substring(at + 1));
      entries.add(new Entry(f[0].strip(), at < 0 ? method : method.substring(0, at), atLine,
          f[2].strip(), f[3].strip(), f[4].strip(), i + 1));
    }
    return entries;
  }
}
