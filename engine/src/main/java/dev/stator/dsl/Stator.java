package dev.stator.dsl;

/**
 * Where a fluent definition starts.
 *
 * <pre>{@code
 * MachineDefinition<Session> client = Stator.<Conn, Session>machine("client")
 *     .initial(Conn.DISCONNECTED)
 *     .state(Conn.DISCONNECTED, s -> s.on("connect").goTo(Conn.CONNECTING))
 *     .state(Conn.CONNECTING, s -> s
 *         .onEntry(Session::dial)
 *         .onError(ConnectException.class).goTo(Conn.BACKOFF)
 *         .on("connected").goTo(Conn.READY)
 *         .after(Duration.ofSeconds(10)).goTo(Conn.BACKOFF))
 *     .state(Conn.BACKOFF, s -> s.after(Duration.ofSeconds(2)).goTo(Conn.CONNECTING))
 *     .state(Conn.READY, s -> s.on("quit").goTo(Conn.CLOSED))
 *     .finalState(Conn.CLOSED)
 *     .build();
 * }</pre>
 */
public final class Stator {
  private Stator() {}

  /**
   * Starts the definition of a machine.
   *
   * @param id the machine's name, used in reports and as the prefix of instance ids
   * @param <S> the type that names states: an enum, usually, or {@code String}
   * @param <C> the context type
   * @return the builder
   */
  public static <S, C> MachineBuilder<S, C> machine(String id) {
    return new MachineBuilder<>(id);
  }
}
