package dev.stator.mutation;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

import org.pitest.mutationtest.build.InterceptorParameters;
import org.pitest.mutationtest.build.MutationInterceptor;
import org.pitest.mutationtest.build.MutationInterceptorFactory;
import org.pitest.plugin.Feature;
import org.pitest.plugin.FeatureParameter;

/**
 * The {@code EQUIVALENTS} feature of PIT: {@code +EQUIVALENTS(file[path/to/mutation-equivalents.txt])}
 * leaves out of the run, and so out of the score, each mutant that the file lists as equivalent.
 */
public final class EquivalentMutantsFilterFactory implements MutationInterceptorFactory {

  private static final FeatureParameter FILE =
      FeatureParameter.named("file").withDescription("the list of equivalent mutants, with reasons");

  @Override
  public String description() {
    return "Leaves out the equivalent mutants listed, each with its reason, in a file";
  }

  @Override
  public Feature provides() {
    return Feature.named("EQUIVALENTS")
        .withDescription(description())
        .withOnByDefault(false)
        .withParameter(FILE);
  }

  @Override
  public MutationInterceptor createInterceptor(InterceptorParameters params) {
    String file = params.getString(FILE).orElseThrow(
        () -> new IllegalArgumentException("EQUIVALENTS needs file[...]: the list of equivalent mutants"));
    try {
      return new EquivalentMutantsFilter(EquivalentMutants.read(Path.of(file)));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the equivalent mutants of " + file, e);
    }
  }
}
