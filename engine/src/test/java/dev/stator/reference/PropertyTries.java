package dev.stator.reference;

/**
 * The reference suite's tries: {@value #CI_TRIES} random charts per property in CI (about 15
 * seconds on two cores), or {@code jqwik.tries.default} when set.
 */
public final class PropertyTries extends dev.stator.dsl.property.PropertyTries {

  static final int CI_TRIES = 1_000;

  public PropertyTries() {
    super(CI_TRIES);
  }
}
