/** Stator's front ends: the fluent Java DSL that builds the engine's model. */
module dev.stator.dsl {
  requires transitive dev.stator.engine;
  requires tools.jackson.core;

  exports dev.stator.dsl;
  exports dev.stator.dsl.export;
  exports dev.stator.dsl.json;
}
