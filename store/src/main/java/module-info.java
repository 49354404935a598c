/**
 * Stores for durable machines: {@link dev.stator.store.Persistence}, which writes every step of
 * the machines it makes durable with group commit; {@link dev.stator.store.JdbcMachineStore} on
 * PostgreSQL or SQLite; and {@link dev.stator.store.JsonContextCodec}.
 */
module dev.stator.store {
  requires transitive dev.stator.engine;
  requires transitive java.sql;
  requires tools.jackson.databind;
  requires org.xerial.sqlitejdbc;

  exports dev.stator.store;
}
