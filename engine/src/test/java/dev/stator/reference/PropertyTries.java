package dev.stator.reference;

import net.jqwik.api.lifecycle.AroundPropertyHook;
import net.jqwik.api.lifecycle.PropagationMode;
import net.jqwik.api.lifecycle.PropertyExecutionResult;
import net.jqwik.api.lifecycle.PropertyExecutor;
import net.jqwik.api.lifecycle.PropertyLifecycleContext;

/**
 * Sets how many tries each property of this package runs: {@value #CI_TRIES} by default (CI), or
 * the value of the system property {@code jqwik.tries.default} when it is set, which is how the
 * {@code soak} profile of {@code fsm-dsl/pom.xml} asks for a million. The properties name no
 * {@code tries} of their own, so that this hook is the one place that decides; a property that
 * does name them keeps them (to replay a failure: {@code @Property(seed = "...", tries = N)} with
 * the N of the failing run, since jqwik's generation depends on the number of tries).
 */
final class PropertyTries implements AroundPropertyHook {

  /** What CI runs: about 15 seconds for the reference suite on two cores. */
  static final int CI_TRIES = 1_000;

  /** Returns the tries each property runs. */
  static int tries() {
    String configured = System.getProperty("jqwik.tries.default");
    return configured == null || configured.isBlank() ? CI_TRIES : Integer.parseInt(configured.trim());
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
