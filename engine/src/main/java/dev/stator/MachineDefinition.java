package dev.stator;

import dev.stator.internal.definition.DefinitionCompiler;
import dev.stator.model.MachineSpec;
import java.util.List;

/**
 * A validated, compiled machine: immutable and shared by any number of running instances. Build
 * one with the fluent DSL ({@code dev.stator.dsl.Stator.machine(…)}) or from a
 * {@link MachineSpec} with {@link #compile(MachineSpec)}.
 *
 * <p>Compilation computes every transition's exit and entry paths and the candidate transitions of
 * every state once, so that a step allocates nothing. Instances of this interface come only from
 * the engine; do not implement it.
 *
 * <p><b>Thread-safety:</b> immutable; safe to share between threads and loops.
 *
 * @param <C> the context type
 */
public interface MachineDefinition<C> {

  /**
   * Validates and compiles a specification.
   *
   * @param spec the machine as written
   * @param <C> the context type
   * @return the definition
   * @throws DefinitionException listing every problem found: unknown targets, a compound state
   *     without a valid initial child, duplicate names, transitions out of a final state, …
   */
  static <C> MachineDefinition<C> compile(MachineSpec<C> spec) {
    return DefinitionCompiler.compile(spec);
  }

  /** {@return the machine's id} */
  String id();

  /** {@return the specification it was compiled from} */
  MachineSpec<C> spec();

  /**
   * {@return the path of every state, parents before children, in document order} Each path is
   * made when the list is read and not kept: a path repeats its ancestors' names.
   */
  List<String> statePaths();

  /**
   * {@return what validation noticed without refusing the definition, such as unreachable states
   * (at most 100 named, and a megabyte of their paths; one last warning counts the rest)}
   */
  List<String> warnings();
}
