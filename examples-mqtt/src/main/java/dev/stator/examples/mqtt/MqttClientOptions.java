package dev.stator.examples.mqtt;

import dev.stator.store.MachineStore;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * How a {@link StatorMqttClient} connects: the broker's address, the client id and session, the
 * keepalive, the reconnect backoff, credentials, and an optional store that makes the QoS 1 and 2
 * flows durable. Make one with {@link #builder(String, int, String)}.
 *
 * <p><b>Thread-safety:</b> immutable (the password is copied in and out).
 *
 * @param host the broker's host name or address
 * @param port the broker's TCP port, 1 to 65535
 * @param clientId the client identifier, 1 to 23 characters of {@code [0-9a-zA-Z-_]} for every
 *     broker, or what the broker accepts (MQTT 3.1.1 section 3.1.3.1)
 * @param cleanSession the CONNECT's clean-session flag: false keeps the session (subscriptions,
 *     in-flight QoS 1 and 2 messages) across connections
 * @param keepAlive the keepalive interval, whole seconds from 1 s to 65,535 s; the client sends a
 *     PINGREQ three quarters of an interval after the last PINGRESP, and declares the connection
 *     dead if the next PINGRESP does not come within three quarters more (1.5 intervals in all)
 * @param connectTimeout how long a dial plus the CONNECT/CONNACK exchange may take
 * @param minBackoff the first wait before dialling again after a lost connection
 * @param maxBackoff the longest wait; each failed attempt doubles it up to this, with ±20 % jitter
 * @param username the user name sent in CONNECT, or null for none
 * @param password the password sent in CONNECT (needs a user name), or null for none
 * @param store where the QoS 1 and 2 flows are kept, or null: with a store, a flow in flight
 *     survives the process and a client created with the same store and client id finishes it
 */
public record MqttClientOptions(String host, int port, String clientId, boolean cleanSession,
    Duration keepAlive, Duration connectTimeout, Duration minBackoff, Duration maxBackoff,
    String username, byte[] password, MachineStore store) {

  /**
   * Checks every option.
   *
   * @param host the broker's host
   * @param port the broker's port
   * @param clientId the client identifier
   * @param cleanSession the clean-session flag
   * @param keepAlive the keepalive interval
   * @param connectTimeout the dial and handshake timeout
   * @param minBackoff the first backoff
   * @param maxBackoff the longest backoff
   * @param username the user name, or null
   * @param password the password, or null
   * @param store the flows' store, or null
   * @throws IllegalArgumentException naming the option and what was expected
   */
  public MqttClientOptions {
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(clientId, "clientId");
    Objects.requireNonNull(keepAlive, "keepAlive");
    Objects.requireNonNull(connectTimeout, "connectTimeout");
    Objects.requireNonNull(minBackoff, "minBackoff");
    Objects.requireNonNull(maxBackoff, "maxBackoff");
    if (host.isBlank()) {
      throw new IllegalArgumentException("MqttClientOptions.host: expected a host name, not blank");
    }
    if (port < 1 || port > 65_535) {
      throw new IllegalArgumentException(
          "MqttClientOptions.port: expected 1 to 65535, not " + port);
    }
    if (clientId.isEmpty() || clientId.getBytes(StandardCharsets.UTF_8).length > 65_535) {
      throw new IllegalArgumentException("MqttClientOptions.clientId: expected 1 to 65535 bytes"
          + " of UTF-8, not \"" + clientId + "\"");
    }
    if (keepAlive.toMillis() % 1000 != 0 || keepAlive.getSeconds() < 1
        || keepAlive.getSeconds() > 65_535) {
      throw new IllegalArgumentException("MqttClientOptions.keepAlive: expected whole seconds from"
          + " 1 s to 65535 s, not " + keepAlive);
    }
    positive("connectTimeout", connectTimeout);
    positive("minBackoff", minBackoff);
    positive("maxBackoff", maxBackoff);
    if (maxBackoff.compareTo(minBackoff) < 0) {
      throw new IllegalArgumentException("MqttClientOptions.maxBackoff: expected at least"
          + " minBackoff (" + minBackoff + "), not " + maxBackoff);
    }
    if (password != null && username == null) {
      throw new IllegalArgumentException(
          "MqttClientOptions.password: MQTT 3.1.1 sends a password only with a user name");
    }
    password = password == null ? null : password.clone();
  }

  private static void positive(String name, Duration value) {
    if (value.isNegative() || value.isZero()) {
      throw new IllegalArgumentException(
          "MqttClientOptions." + name + ": expected a positive duration, not " + value);
    }
  }

  /** {@return a copy of the password, or null} */
  @Override
  public byte[] password() {
    return password == null ? null : password.clone();
  }

  /** {@return the store, if the flows are durable} */
  public Optional<MachineStore> durableStore() {
    return Optional.ofNullable(store);
  }

  @Override
  public String toString() {
    return "MqttClientOptions[" + host + ":" + port + ", clientId=" + clientId + ", cleanSession="
        + cleanSession + ", keepAlive=" + keepAlive + (username == null ? "" : ", user=" + username)
        + (store == null ? "" : ", store=" + store) + "]";
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof MqttClientOptions that && host.equals(that.host) && port == that.port
        && clientId.equals(that.clientId) && cleanSession == that.cleanSession
        && keepAlive.equals(that.keepAlive) && connectTimeout.equals(that.connectTimeout)
        && minBackoff.equals(that.minBackoff) && maxBackoff.equals(that.maxBackoff)
        && Objects.equals(username, that.username)
        && java.util.Arrays.equals(password, that.password) && store == that.store;
  }

  @Override
  public int hashCode() {
    return Objects.hash(host, port, clientId, cleanSession, keepAlive, username);
  }

  /**
   * Starts options with the defaults: clean session, keepalive 60 s, connect timeout 10 s,
   * backoff from 100 ms to 10 s, no credentials, no store.
   *
   * @param host the broker's host
   * @param port the broker's port
   * @param clientId the client identifier
   * @return a builder
   */
  public static Builder builder(String host, int port, String clientId) {
    return new Builder(host, port, clientId);
  }

  /**
   * Builds {@link MqttClientOptions}. Not thread-safe: use one builder on one thread.
   */
  public static final class Builder {
    private final String host;
    private final int port;
    private final String clientId;
    private boolean cleanSession = true;
    private Duration keepAlive = Duration.ofSeconds(60);
    private Duration connectTimeout = Duration.ofSeconds(10);
    private Duration minBackoff = Duration.ofMillis(100);
    private Duration maxBackoff = Duration.ofSeconds(10);
    private String username;
    private byte[] password;
    private MachineStore store;

    private Builder(String host, int port, String clientId) {
      this.host = host;
      this.port = port;
      this.clientId = clientId;
    }

    /**
     * Sets the clean-session flag.
     *
     * @param clean true for a fresh session on every connection
     * @return this builder
     */
    public Builder cleanSession(boolean clean) {
      this.cleanSession = clean;
      return this;
    }

    /**
     * Sets the keepalive interval.
     *
     * @param interval whole seconds, 1 s to 65535 s
     * @return this builder
     */
    public Builder keepAlive(Duration interval) {
      this.keepAlive = interval;
      return this;
    }

    /**
     * Sets how long a dial plus the CONNECT/CONNACK exchange may take.
     *
     * @param timeout a positive duration
     * @return this builder
     */
    public Builder connectTimeout(Duration timeout) {
      this.connectTimeout = timeout;
      return this;
    }

    /**
     * Sets the reconnect backoff.
     *
     * @param min the first wait
     * @param max the longest wait
     * @return this builder
     */
    public Builder backoff(Duration min, Duration max) {
      this.minBackoff = min;
      this.maxBackoff = max;
      return this;
    }

    /**
     * Sets the credentials.
     *
     * @param user the user name
     * @param secret the password, or null for a user name alone
     * @return this builder
     */
    public Builder credentials(String user, String secret) {
      this.username = user;
      this.password = secret == null ? null : secret.getBytes(StandardCharsets.UTF_8);
      return this;
    }

    /**
     * Makes the QoS 1 and 2 flows durable in a store.
     *
     * @param machineStore the store; the client does not close it
     * @return this builder
     */
    public Builder store(MachineStore machineStore) {
      this.store = machineStore;
      return this;
    }

    /**
     * {@return the options}
     *
     * @throws IllegalArgumentException naming the first option out of range
     */
    public MqttClientOptions build() {
      return new MqttClientOptions(host, port, clientId, cleanSession, keepAlive, connectTimeout,
          minBackoff, maxBackoff, username, password, store);
    }
  }
}
