package dev.stator.store;

import dev.stator.durable.ImageRefusedException;
import dev.stator.durable.MachineImage;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import javax.sql.DataSource;

/**
 * A {@link MachineStore} in one table of a SQL database: PostgreSQL (9.5 or later), or SQLite
 * (3.24 or later), the embedded default that needs no server ({@link #sqlite(Path)}). The table is
 * created when missing: the machine id as primary key, the definition id, status and step count in
 * columns of their own (to query), and the image's binary form. A write replaces a machine's row
 * only with an image of more steps, in the same statement ({@code INSERT … ON CONFLICT … DO UPDATE
 * … WHERE}), so a late write of an older image changes nothing.
 *
 * <p>SQLite runs in write-ahead-log mode with {@code synchronous=FULL}: a committed transaction
 * survives the process being killed and the machine losing power.
 *
 * <p><b>Thread-safety:</b> safe for several threads: the store uses one connection, one operation
 * at a time, and opens it again after it broke.
 */
public final class JdbcMachineStore implements MachineStore {
  private static final Pattern TABLE = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,62}");
  /** The table {@link #open(DataSource)} and {@link #sqlite(Path)} use. */
  public static final String DEFAULT_TABLE = "stator_machines";

  /** Opens a connection: a data source's, or the SQLite driver's. */
  @FunctionalInterface
  private interface Connector {
    Connection connect() throws SQLException;
  }

  private final Connector connector;
  private final String table;
  private final String name;
  private Connection connection;
  /** The upsert, prepared once per connection: every group commit runs it. */
  private PreparedStatement upsert;
  private boolean sqlite;
  private boolean closed;

  private JdbcMachineStore(Connector connector, String table, String name) {
    this.connector = connector;
    this.table = table;
    this.name = name;
  }

  /**
   * Opens a store in a SQLite file, creating the file and the table when missing.
   *
   * @param file the database file
   * @return the store
   * @throws StoreException if the file cannot be opened or the table created
   */
  public static JdbcMachineStore sqlite(Path file) {
    Objects.requireNonNull(file, "file");
    String url = "jdbc:sqlite:" + file.toAbsolutePath();
    return opened(new JdbcMachineStore(() -> DriverManager.getConnection(url), DEFAULT_TABLE,
        "SQLite store " + file));
  }

  /**
   * Opens a store in the table {@value #DEFAULT_TABLE} of a database, creating it when missing.
   *
   * @param dataSource the database: PostgreSQL or SQLite
   * @return the store
   * @throws StoreException if the database cannot be reached, is of another kind, or the table
   *     cannot be created
   */
  public static JdbcMachineStore open(DataSource dataSource) {
    return open(dataSource, DEFAULT_TABLE);
  }

  /**
   * Opens a store in a table of a database, creating it when missing.
   *
   * @param dataSource the database: PostgreSQL or SQLite
   * @param table the table's name: letters, digits and underscores, not starting with a digit,
   *     at most 63 characters
   * @return the store
   * @throws IllegalArgumentException if the table's name is not such a name
   * @throws StoreException if the database cannot be reached, is of another kind, or the table
   *     cannot be created
   */
  public static JdbcMachineStore open(DataSource dataSource, String table) {
    Objects.requireNonNull(dataSource, "dataSource");
    Objects.requireNonNull(table, "table");
    if (!TABLE.matcher(table).matches()) {
      throw new IllegalArgumentException("table name '" + table + "' is not a plain SQL name:"
          + " expected letters, digits and underscores, not starting with a digit, at most 63");
    }
    return opened(new JdbcMachineStore(dataSource::getConnection, table, "store " + table));
  }

  private static JdbcMachineStore opened(JdbcMachineStore store) {
    synchronized (store) {
      store.connection();
    }
    return store;
  }

  /** The connection, opened (and the table created) when there is none. */
  private Connection connection() {
    if (closed) {
      throw new StoreException(name + " is closed", null);
    }
    if (connection != null) {
      return connection;
    }
    try {
      Connection made = connector.connect();
      try {
        String product = made.getMetaData().getDatabaseProductName().toLowerCase(Locale.ROOT);
        if (product.contains("sqlite")) {
          sqlite = true;
        } else if (!product.contains("postgres")) {
          throw new StoreException(name + ": the database is " + product
              + "; expected PostgreSQL or SQLite", null);
        }
        try (Statement statement = made.createStatement()) {
          if (sqlite) {
            statement.execute("PRAGMA journal_mode=WAL");
            statement.execute("PRAGMA synchronous=FULL");
            statement.execute("PRAGMA busy_timeout=10000");
          }
          statement.execute("CREATE TABLE IF NOT EXISTS " + table + " ("
              + "machine_id TEXT PRIMARY KEY, definition_id TEXT NOT NULL, status TEXT NOT NULL,"
              + " steps BIGINT NOT NULL, taken_at BIGINT NOT NULL, image "
              + (sqlite ? "BLOB" : "BYTEA") + " NOT NULL)");
          statement.execute("CREATE INDEX IF NOT EXISTS " + table + "_definition ON " + table
              + " (definition_id)");
        }
        made.setAutoCommit(false);
        made.commit();
      } catch (SQLException | RuntimeException failed) {
        made.close();
        throw failed;
      }
      connection = made;
      return made;
    } catch (SQLException unreachable) {
      throw new StoreException(name + ": could not connect or create table " + table + ": "
          + unreachable.getMessage(), unreachable);
    }
  }

  /** Runs one transaction; a failure rolls it back and drops a connection that broke. */
  private <T> T transaction(String what, SqlWork<T> work) {
    Connection c = connection();
    try {
      T result = work.run(c);
      c.commit();
      return result;
    } catch (SQLException failed) {
      try {
        c.rollback();
      } catch (SQLException alsoFailed) {
        failed.addSuppressed(alsoFailed);
      }
      dropIfBroken(c);
      throw new StoreException(name + ": " + what + " failed: " + failed.getMessage(), failed);
    }
  }

  private void dropIfBroken(Connection c) {
    try {
      if (!c.isValid(2)) {
        c.close();
        connection = null;
        upsert = null;
      }
    } catch (SQLException broken) {
      connection = null;
      upsert = null;
    }
  }

  @FunctionalInterface
  private interface SqlWork<T> {
    T run(Connection c) throws SQLException;
  }

  @Override
  public synchronized void saveAll(Collection<MachineImage> images) {
    if (images.isEmpty()) {
      return;
    }
    transaction("saving " + images.size() + " images", c -> {
      if (upsert == null) {
        upsert = c.prepareStatement("INSERT INTO " + table
            + " (machine_id, definition_id, status, steps, taken_at, image)"
            + " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (machine_id) DO UPDATE SET"
            + " definition_id = excluded.definition_id, status = excluded.status,"
            + " steps = excluded.steps, taken_at = excluded.taken_at, image = excluded.image"
            + " WHERE " + table + ".steps < excluded.steps");
      }
      // a batch a failed transaction left behind is not this one's
      upsert.clearBatch();
      for (MachineImage image : images) {
        upsert.setString(1, image.machineId());
        upsert.setString(2, image.definitionId());
        upsert.setString(3, image.status().name());
        upsert.setLong(4, image.steps());
        upsert.setLong(5, image.takenAt().toEpochMilli());
        upsert.setBytes(6, image.toBytes());
        upsert.addBatch();
      }
      upsert.executeBatch();
      return null;
    });
  }

  @Override
  public synchronized void deleteAll(Collection<String> machineIds) {
    if (machineIds.isEmpty()) {
      return;
    }
    transaction("deleting " + machineIds.size() + " machines", c -> {
      try (PreparedStatement delete = c.prepareStatement("DELETE FROM " + table
          + " WHERE machine_id = ?")) {
        for (String id : machineIds) {
          delete.setString(1, id);
          delete.addBatch();
        }
        delete.executeBatch();
      }
      return null;
    });
  }

  @Override
  public synchronized Optional<MachineImage> load(String machineId) {
    Objects.requireNonNull(machineId, "machineId");
    return transaction("loading machine '" + machineId + "'", c -> {
      try (PreparedStatement select = c.prepareStatement("SELECT machine_id, image FROM " + table
          + " WHERE machine_id = ?")) {
        select.setString(1, machineId);
        try (ResultSet rows = select.executeQuery()) {
          return rows.next() ? Optional.of(image(rows)) : Optional.<MachineImage>empty();
        }
      }
    });
  }

  @Override
  public synchronized List<String> machineIds() {
    return transaction("listing machines", c -> {
      List<String> ids = new ArrayList<>();
      try (Statement select = c.createStatement();
          ResultSet rows = select.executeQuery("SELECT machine_id FROM " + table
              + " ORDER BY machine_id")) {
        while (rows.next()) {
          ids.add(rows.getString(1));
        }
      }
      return ids;
    });
  }

  @Override
  public synchronized List<MachineImage> loadAll(String definitionId) {
    Objects.requireNonNull(definitionId, "definitionId");
    return transaction("loading the machines of definition '" + definitionId + "'", c -> {
      List<MachineImage> images = new ArrayList<>();
      try (PreparedStatement select = c.prepareStatement("SELECT machine_id, image FROM " + table
          + " WHERE definition_id = ? ORDER BY machine_id")) {
        select.setString(1, definitionId);
        try (ResultSet rows = select.executeQuery()) {
          while (rows.next()) {
            images.add(image(rows));
          }
        }
      }
      return images;
    });
  }

  private MachineImage image(ResultSet row) throws SQLException {
    String id = row.getString(1);
    try {
      return MachineImage.fromBytes(row.getBytes(2));
    } catch (ImageRefusedException refused) {
      throw new StoreException(name + ": the stored image of machine '" + id + "' is unreadable: "
          + refused.getMessage(), refused);
    }
  }

  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    upsert = null;
    if (connection != null) {
      try {
        connection.close();
      } catch (SQLException failed) {
        throw new StoreException(name + ": closing failed: " + failed.getMessage(), failed);
      } finally {
        connection = null;
      }
    }
  }

  @Override
  public String toString() {
    return name;
  }
}
