/**
 * Stator's engine: the event loop, the machine model and runtime, fault escalation, the fluent
 * Java DSL that builds the model, and the deterministic test loop.
 */
module dev.stator.engine {
  requires org.jctools.core;
  // JCTools reads sun.misc.Unsafe; on the module path that module must be resolved
  requires jdk.unsupported;
  // the engine's flight-recorder events (dev.stator.internal.observe)
  requires jdk.jfr;

  exports dev.stator;
  exports dev.stator.dsl;
  exports dev.stator.durable;
  exports dev.stator.model;
  exports dev.stator.testing;
  // shared with the front ends only: suggestion, type-name and escaping helpers, not API; the
  // command-line tool escapes what it prints with the same rule as the libraries' messages. The
  // other internal packages (definition, timer, machine, loop) are not exported at all.
  exports dev.stator.internal.text to dev.stator.dsl, dev.stator.examples;
}
