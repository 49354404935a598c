package dev.stator.examples.mqtt.faults;

/** What the {@link FaultProxy} can do to a connection, or to the broker behind it. */
public enum FaultKind {
  /** Closes both sides of the connection in an orderly way (FIN to the client and the broker). */
  DROP(true),
  /** Holds every chunk of one direction for a while before forwarding it; order is kept. */
  DELAY(false),
  /** Forwards a packet's first bytes only, then closes the connection: a cut mid-packet. */
  TRUNCATE(true),
  /** Aborts both sides with a TCP reset (SO_LINGER 0 before closing). */
  RESET(true),
  /** Stops forwarding in both directions without closing anything: the peer goes silent. */
  BLACKHOLE(true),
  /** Kills the broker through the test's callback and restarts it after a seeded downtime. */
  KILL_BROKER(true);

  private final boolean endsConnection;

  FaultKind(boolean endsConnection) {
    this.endsConnection = endsConnection;
  }

  /** {@return whether a connection carries nothing more after this fault fires} */
  public boolean endsConnection() {
    return endsConnection;
  }
}
