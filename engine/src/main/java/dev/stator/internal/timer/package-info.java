/**
 * The hashed timing wheel ({@link TimerWheel}) that holds every timer of a loop: O(1) schedule and
 * cancel, expiry in deadline order.
 *
 * <p>Not exported. A package of its own because both sides of the loop use it and it depends on
 * neither: the loop ({@code dev.stator.internal.loop}) owns a wheel and expires it each turn, and
 * machines ({@code dev.stator.internal.machine}) schedule their timers, which are wheel nodes, on
 * it.
 */
package dev.stator.internal.timer;
