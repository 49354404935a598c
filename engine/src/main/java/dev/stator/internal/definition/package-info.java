/**
 * The compiled form of a machine and the compiler that makes it: {@link DefinitionCompiler}
 * validates a {@code MachineSpec} and builds a {@link CompiledDefinition}, an immutable graph of
 * {@link StateNode}s and {@link TransitionNode}s with the dispatch tables a step reads.
 *
 * <p>Not exported. It knows nothing of running machines or loops: the runtime
 * ({@code dev.stator.internal.machine}) reads it, never the other way round. Immutable once
 * compiled, so one definition serves any number of machines on any loops.
 */
package dev.stator.internal.definition;
