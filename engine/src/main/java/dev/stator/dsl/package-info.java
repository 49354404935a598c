/**
 * The fluent Java DSL: {@link dev.stator.dsl.Stator#machine(String)} starts a definition that
 * reads like the diagram, typed on the context, and {@code build()} validates and compiles it into
 * an immutable {@link dev.stator.MachineDefinition}. Builders are not thread-safe; the definitions
 * they build are.
 */
package dev.stator.dsl;
