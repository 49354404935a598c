package dev.stator.mutation;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.pitest.bytecode.analysis.ClassTree;
import org.pitest.mutationtest.build.InterceptorType;
import org.pitest.mutationtest.build.MutationInterceptor;
import org.pitest.mutationtest.engine.Mutater;
import org.pitest.mutationtest.engine.MutationDetails;

/** Filters out the listed equivalent mutants and logs each one it leaves out. */
final class EquivalentMutantsFilter implements MutationInterceptor {

  private final List<EquivalentMutants.Entry> entries;
  private final Set<String> used = new HashSet<>();

  EquivalentMutantsFilter(List<EquivalentMutants.Entry> entries) {
    this.entries = entries;
  }

  @Override
  public InterceptorType type() {
    return InterceptorType.FILTER;
  }

  @Override
  public void begin(ClassTree clazz) {}

  @Override
  public Collection<MutationDetails> intercept(Collection<MutationDetails> mutations, Mutater m) {
    List<MutationDetails> kept = new ArrayList<>(mutations.size());
    for (MutationDetails mutation : mutations) {
      EquivalentMutants.Entry match = null;
      for (EquivalentMutants.Entry e : entries) {
        if (e.matches(mutation)) {
          match = e;
          break;
        }
      }
      if (match == null) {
        kept.add(mutation);
      } else if (used.add(mutation.getId().toString())) {
        // the interceptor runs in PIT's main process: this lands in the build log
        System.out.println("EQUIVALENT (left out) " + mutation.getClassName().asJavaName() + "::"
            + mutation.getMethod() + " line " + mutation.getLineNumber() + ": " + mutation.getDescription()
            + " -- " + match.reason());
      }
    }
    return kept;
  }

  @Override
  public void end() {}

}
