package dev.stator.dsl.property;

import net.jqwik.api.lifecycle.AroundPropertyHook;
import net.jqwik.api.lifecycle.PropagationMode;
import net.jqwik.api.lifecycle.PropertyExecutionResult;
import net.jqwik.api.lifecycle.PropertyExecutor;
import net.jqwik.api.lifecycle.PropertyLifecycleContext;

/**
 * Sets how many tries each property of a suite runs: the suite's CI count by default, or the value
 * of the system property {@code jqwik.tries.default} when it is set, which is how the {@code soak}
 * profile of {@code engine/pom.xml} asks for a million. The properties name no {@code tries} of
 * their own, so that this hook is the one place that decides; a property that does name them keeps
 * them (to replay a failure: {@code @Property(seed = "...", tries = N)} with the N of the failing
 * run, since jqwik's generation depends on the number of tries).
 */
public class PropertyTries implements AroundPropertyHook {

  /** What CI runs for the fault storm: about a minute for this package on two cores. */
  static final int STORM_CI_TRIES = 10_000;

  private final int ciTries;

  /** The fault storm's count. */
  public PropertyTries() {
    this(STORM_CI_TRIES);
  }

  /** A suite whose CI runs {@code ciTries} per property. */
  protected PropertyTries(int ciTries) {
    this.ciTries = ciTries;
  }

  /** Returns the tries each property of this suite runs. */
  protected final int tries() {
    String configured = System.getProperty("jqwik.tries.default");
    return configured == null || configured.isBlank() ? ciTries : Integer.parseInt(configured.trim());
  }

  /** Registered on a class, the hook applies to that class's properties. */
  @Override
  public PropagationMode propagateTo() {
    return PropagationMode.DIRECT_DESCENDANTS;
  }

  @Override
  public PropertyExecutionResult aroundProperty(PropertyLifecycleContext context,
      PropertyExecutor property) {
    if (context.attributes().tries().isEmpty()) {
      context.attributes().setTries(tries());
    }
    return property.execute();
  }
}
