/**
 * Stator's API: the {@link dev.stator.EventLoop} that runs machines, the running
 * {@link dev.stator.Machine} and its lifecycle, the compiled {@link dev.stator.MachineDefinition},
 * and fault handling: {@link dev.stator.Failure}, {@link dev.stator.RecoveryPolicy},
 * {@link dev.stator.MachineFailedException}.
 *
 * <p>Design in a paragraph: one thread per loop runs every callback of its machines, so user
 * code needs no locks; events cross threads through a lock-free inbox; time comes from an injected
 * clock ({@link dev.stator.LoopClock}) so that tests run on virtual time
 * ({@link dev.stator.testing.TestLoop}); a throwable from user code ends in exactly one place,
 * where it becomes an expected-error transition or a fault handled by the machine's recovery
 * policy; and every machine's lifecycle future completes exactly once, so no failure is lost.
 */
package dev.stator;
