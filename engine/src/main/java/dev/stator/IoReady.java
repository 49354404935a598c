package dev.stator;

import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;

/**
 * The event of a channel that is ready: what a machine registered with
 * {@link Step#registerIo} receives when the loop's selector finds the channel ready. Selection is
 * level-triggered: a channel stays ready until the machine reads, writes or accepts, or changes
 * its interest. Use it on the loop thread, in the step that receives it.
 *
 * @param registration the registration that fired
 * @param readyOps the ready operations, a set of {@link SelectionKey} {@code OP_} bits
 */
public record IoReady(IoRegistration registration, int readyOps) {

  /** {@return the channel} */
  public SelectableChannel channel() {
    return registration.channel();
  }

  /** {@return whether the channel can be read} */
  public boolean isReadable() {
    return (readyOps & SelectionKey.OP_READ) != 0;
  }

  /** {@return whether the channel can be written} */
  public boolean isWritable() {
    return (readyOps & SelectionKey.OP_WRITE) != 0;
  }

  /** {@return whether a connection can be accepted} */
  public boolean isAcceptable() {
    return (readyOps & SelectionKey.OP_ACCEPT) != 0;
  }

  /** {@return whether a connection attempt finished (call {@code finishConnect})} */
  public boolean isConnectable() {
    return (readyOps & SelectionKey.OP_CONNECT) != 0;
  }

  @Override
  public String toString() {
    return "IoReady(" + registration.name() + ", ops " + readyOps + ")";
  }
}
