/**
 * The machine model as written: immutable specifications of states and transitions, and the
 * functional interfaces through which a definition names user code. Front ends such as the
 * fluent DSL produce a {@link dev.stator.model.MachineSpec}; the engine validates and compiles it
 * once into a {@link dev.stator.MachineDefinition} that any number of instances share.
 */
package dev.stator.model;
