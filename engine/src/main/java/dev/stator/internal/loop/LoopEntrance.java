package dev.stator.internal.loop;

import org.jctools.queues.MpscUnboundedXaddArrayQueue;

/**
 * The fields of a loop that other threads read on every send, laid out first in the loop's
 * object (a superclass's fields come before its subclass's) and kept a cache line away from the
 * fields the loop writes on every step by {@link LoopEntrancePadding}. Without the gap a sender's
 * read of {@code closed} shared a line with the loop's {@code stepping}, and each send waited for
 * a line the loop had just written.
 */
abstract class LoopEntrance {
  final MpscUnboundedXaddArrayQueue<Object> inbox = new MpscUnboundedXaddArrayQueue<>(1024);
  LoopCore.Driver driver;
  volatile Thread thread;
  volatile boolean closed;
  volatile boolean terminated;
}
