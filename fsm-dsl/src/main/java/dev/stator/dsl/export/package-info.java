/**
 * Exporters that draw a machine as a diagram: {@link dev.stator.dsl.export.Diagrams} writes
 * Mermaid {@code stateDiagram-v2} and Graphviz DOT.
 */
package dev.stator.dsl.export;
