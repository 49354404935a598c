/**
 * The event loop: {@link LoopCore}, what every loop shares whoever drives it (the inbox, the
 * loop's own {@link DeliveryRing}, the timer wheel, the registry of machines, the selector, the
 * reporting paths and the fatal path), and {@link ThreadEventLoop}, the loop with a thread of its
 * own behind {@code EventLoop.create}; the test loop ({@code dev.stator.testing.TestLoop}) drives
 * the same core from the caller's thread.
 *
 * <p>Not exported. The top of the internal layers: it starts and delivers to machines
 * ({@code dev.stator.internal.machine}) and implements the {@code LoopServices} they see it
 * through, so no machine code names anything here. {@link LoopCore#callOut} is the one place
 * where listeners and handlers are called.
 */
package dev.stator.internal.loop;
