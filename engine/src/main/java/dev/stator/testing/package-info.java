/**
 * Testing support shipped with the engine: {@link dev.stator.testing.TestLoop}, a loop on the
 * calling thread with virtual time.
 */
package dev.stator.testing;
