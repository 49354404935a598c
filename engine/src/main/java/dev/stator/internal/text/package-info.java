/**
 * Text helpers shared by the engine and its front ends: {@link Printable} (escaping what a
 * message quotes), {@link Describe} (a bounded description of an event or any value),
 * {@link Names} (name checks and "did you mean" suggestions) and {@link ErrorTypes} (the error
 * type names of expected-error transitions).
 *
 * <p>Not API. The one internal package exported, and only to {@code dev.stator.dsl} and
 * {@code dev.stator.examples}, so that the JSON reader, the diagram exports and the command-line
 * tool check and print names exactly as the engine does. It depends on no other package of the
 * engine, so that exporting it exposes nothing else.
 */
package dev.stator.internal.text;
