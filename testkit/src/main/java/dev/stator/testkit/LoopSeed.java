package dev.stator.testkit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Fixes the seed of the {@link dev.stator.testing.TestLoop} that {@link StatorExtension} gives a
 * test, on the test method or its class (the method's wins), to replay the run a failure printed.
 * Without it the seed comes from the system property {@value StatorExtension#SEED_PROPERTY}, else
 * it is drawn at random.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.METHOD, ElementType.TYPE})
public @interface LoopSeed {
  /** {@return the seed of the loop's randomness (restart jitter)} */
  long value();
}
