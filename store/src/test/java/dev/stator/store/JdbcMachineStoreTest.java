package dev.stator.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stator.Status;
import dev.stator.durable.MachineImage;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

/** The JDBC store on a real PostgreSQL server and on SQLite: one image per machine, the newest. */
final class JdbcMachineStoreTest {

  private static final Instant T = Instant.parse("2026-12-06T10:00:00Z");

  static MachineImage image(String machineId, String definitionId, long steps) {
    return new MachineImage(definitionId, 7, machineId, Status.RUNNING, List.of("PAID"), Map.of(),
        ("ctx " + steps).getBytes(StandardCharsets.UTF_8),
        List.of(new MachineImage.PendingTimer(MachineImage.TimerKind.STATE_TIMEOUT, "PAID", 0,
            null, null, T.plusSeconds(60), Duration.ofMinutes(1))),
        List.of(), 0, List.of(), null, steps, T.plusSeconds(steps));
  }

  @ParameterizedTest
  @EnumSource(Databases.Kind.class)
  void aSavedImage_loadsBackEqual(Databases.Kind kind) {
    try (JdbcMachineStore store = Databases.fresh(kind)) {
      MachineImage image = image("order-1", "order", 3);

      store.saveAll(List.of(image));

      assertThat(store.load("order-1")).contains(image);
      assertThat(store.load("order-2")).isEmpty();
    }
  }

  @ParameterizedTest
  @EnumSource(Databases.Kind.class)
  void anOlderImage_neverReplacesANewerOne_whateverTheOrderOfWrites(Databases.Kind kind) {
    try (JdbcMachineStore store = Databases.fresh(kind)) {
      store.saveAll(List.of(image("order-1", "order", 5)));
      store.saveAll(List.of(image("order-1", "order", 4)));
      store.saveAll(List.of(image("order-1", "order", 5)));

      assertThat(store.load("order-1").orElseThrow().steps()).isEqualTo(5);

      store.saveAll(List.of(image("order-1", "order", 6)));
      assertThat(store.load("order-1").orElseThrow().steps()).isEqualTo(6);
    }
  }

  @ParameterizedTest
  @EnumSource(Databases.Kind.class)
  void machines_areListed_loadedByDefinition_andDeleted(Databases.Kind kind) {
    try (JdbcMachineStore store = Databases.fresh(kind)) {
      store.saveAll(List.of(image("b", "order", 1), image("a", "order", 1),
          image("c", "invoice", 1)));

      assertThat(store.machineIds()).containsExactly("a", "b", "c");
      assertThat(store.loadAll("order")).extracting(MachineImage::machineId)
          .containsExactly("a", "b");

      store.deleteAll(List.of("a", "missing"));
      assertThat(store.machineIds()).containsExactly("b", "c");
    }
  }

  @ParameterizedTest
  @EnumSource(Databases.Kind.class)
  void theStore_keepsWhatItWasGiven_acrossAReopen(Databases.Kind kind) throws Exception {
    if (kind == Databases.Kind.SQLITE) {
      java.nio.file.Path file = java.nio.file.Files.createTempFile("stator", ".db");
      try (JdbcMachineStore store = JdbcMachineStore.sqlite(file)) {
        store.saveAll(List.of(image("order-1", "order", 2)));
      }
      try (JdbcMachineStore reopened = JdbcMachineStore.sqlite(file)) {
        assertThat(reopened.load("order-1").orElseThrow().steps()).isEqualTo(2);
      }
    } else {
      try (JdbcMachineStore store = JdbcMachineStore.open(Databases.postgres(), "reopened")) {
        store.saveAll(List.of(image("order-1", "order", 2)));
      }
      try (JdbcMachineStore reopened = JdbcMachineStore.open(Databases.postgres(), "reopened")) {
        assertThat(reopened.load("order-1").orElseThrow().steps()).isEqualTo(2);
      }
    }
  }

  @ParameterizedTest
  @EnumSource(Databases.Kind.class)
  void aDamagedStoredImage_isAStoreErrorNamingTheMachine(Databases.Kind kind) throws Exception {
    java.nio.file.Path file = java.nio.file.Files.createTempFile("stator", ".db");
    javax.sql.DataSource database = kind == Databases.Kind.POSTGRESQL ? Databases.postgres()
        : sqliteFile(file);
    try (JdbcMachineStore store = JdbcMachineStore.open(database, "damaged")) {
      store.saveAll(List.of(image("order-1", "order", 1)));
      // a second connection zeroes the first letter of the stored definition id
      try (java.sql.Connection c = database.getConnection();
          java.sql.Statement s = c.createStatement()) {
        s.execute(kind == Databases.Kind.POSTGRESQL
            ? "UPDATE damaged SET image = overlay(image placing '\\x00'::bytea from 13)"
            : "UPDATE damaged SET image = substr(image, 1, 12) || x'00' || substr(image, 14)");
      }

      assertThatThrownBy(() -> store.load("order-1"))
          .isInstanceOf(StoreException.class)
          .hasMessageContaining("the stored image of machine 'order-1' is unreadable")
          .hasMessageContaining("checksum does not match");
    }
  }

  private static javax.sql.DataSource sqliteFile(java.nio.file.Path file) {
    org.sqlite.SQLiteDataSource source = new org.sqlite.SQLiteDataSource();
    source.setUrl("jdbc:sqlite:" + file);
    return source;
  }

  @Test
  void aTableNameThatIsNotAPlainName_isRefused() {
    assertThatThrownBy(() -> JdbcMachineStore.open(Databases.postgres(), "m; DROP TABLE x"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("table name 'm; DROP TABLE x' is not a plain SQL name");
  }

  @Test
  void aClosedStore_saysSo() {
    JdbcMachineStore store = Databases.fresh(Databases.Kind.SQLITE);
    store.close();

    assertThatThrownBy(() -> store.machineIds())
        .isInstanceOf(StoreException.class)
        .hasMessageEndingWith("is closed");
  }
}
