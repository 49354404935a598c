package dev.stator.examples.mqtt.faults;

/**
 * How the {@link FaultProxy} kills and restarts the server behind it; the test supplies it. Both
 * are called on the proxy's control thread, never at the same time, always kill before restart.
 */
public interface BrokerControl {

  /** Stops the server at once; the connections it held close. */
  void kill() throws Exception;

  /** Starts the server again on the same address. */
  void restart() throws Exception;

  /** No broker to kill: {@link FaultKind#KILL_BROKER} then only drops the connection. */
  BrokerControl NONE = new BrokerControl() {
    @Override
    public void kill() {
    }

    @Override
    public void restart() {
    }
  };
}
