/**
 * Stator's file front ends: the JSON machine format read into the engine's model, and the DOT and
 * Mermaid exports of a definition. The fluent Java DSL is part of the engine.
 */
module dev.stator.dsl {
  requires transitive dev.stator.engine;
  requires tools.jackson.core;

  exports dev.stator.dsl.export;
  exports dev.stator.dsl.json;
}
