package dev.drctl.compliance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.drctl.topology.DrctlException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.flywaydb.core.api.MigrationVersion;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The check that lets a store open without starting Flyway: it says "current" for a store Flyway has just brought up
 * to date (so its checksums are Flyway's), and nothing for any history Flyway would have to act on or refuse.
 */
class MigrationHistoryIT {
    private static final ClassLoader LOADER = StateStore.class.getClassLoader();

    @Test
    void carriesEveryScriptOfTheMigrationDirectory() throws Exception {
        List<String> sources;
        try (Stream<Path> files = Files.list(Path.of("src/main/resources/db/migration"))) {
            sources = files.map(p -> p.getFileName().toString()).toList();
        }
        assertThat(MigrationHistory.carried(LOADER)).hasValueSatisfying(carried -> assertThat(carried)
                .extracting(MigrationHistory.Migration::script).containsExactlyInAnyOrderElementsOf(sources));
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void aStoreFlywayMigratedIsCurrentAtFlywaysVersion(StoreKind kind) throws Exception {
        try (var fresh = TestStore.fresh(kind)) {
            try (var connection = new StoreConnection(fresh.url())) {
                assertThat(MigrationHistory.current(connection, LOADER)).as("a store with no history").isEmpty();
            }
            String migrated;
            try (var store = fresh.open()) {
                migrated = store.schemaVersion();
            }
            try (var connection = new StoreConnection(fresh.url())) {
                assertThat(MigrationHistory.current(connection, LOADER))
                        .contains(MigrationVersion.fromVersion(migrated));
            }
            try (var store = fresh.open()) {
                assertThat(store.schemaVersion()).as("reopened without Flyway").isEqualTo(migrated);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void anyHistoryFlywayMustJudgeIsNotCurrent(StoreKind kind) throws Exception {
        try (var fresh = TestStore.fresh(kind)) {
            fresh.open().close();
            try (var c = fresh.raw(); var st = c.createStatement()) {
                st.executeUpdate("UPDATE flyway_schema_history SET checksum = checksum + 1 WHERE version = '1'");
            }
            try (var connection = new StoreConnection(fresh.url())) {
                assertThat(MigrationHistory.current(connection, LOADER)).as("an edited script").isEmpty();
            }
            assertThatThrownBy(fresh::open).as("Flyway still validates it")
                    .isInstanceOfSatisfying(DrctlException.class,
                            e -> assertThat(e.code()).isEqualTo(ComplianceErrorCode.STORE_FAILED))
                    .hasMessageContaining("checksum");
            try (var c = fresh.raw(); var st = c.createStatement()) {
                st.executeUpdate("UPDATE flyway_schema_history SET checksum = checksum - 1 WHERE version = '1'");
                st.executeUpdate("UPDATE flyway_schema_history SET success = " + (kind == StoreKind.SQLITE ? "0" : "false")
                        + " WHERE version = '1'");
            }
            try (var connection = new StoreConnection(fresh.url())) {
                assertThat(MigrationHistory.current(connection, LOADER)).as("a failed migration").isEmpty();
            }
        }
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void aStoreMigratedFurtherIsNotCurrent(StoreKind kind) throws Exception {
        try (var fresh = TestStore.fresh(kind)) {
            StateStore.open(fresh.url(), java.time.Clock.systemUTC(), java.util.Set.of(),
                    List.of(StateStore.MIGRATIONS, "classpath:db/future-test")).close();
            try (var connection = new StoreConnection(fresh.url())) {
                assertThat(MigrationHistory.current(connection, LOADER)).isEmpty();
            }
        }
    }

    @Test
    void checksumIsFlywaysCrcOfTheLinesWithoutBreaksOrByteOrderMark() throws Exception {
        var crc = new java.util.zip.CRC32();
        crc.update("SELECT 1;".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        crc.update("-- two".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        var expected = (int) crc.getValue();
        assertThat(MigrationHistory.checksum(new java.io.ByteArrayInputStream(
                "\uFEFFSELECT 1;\r\n-- two\n".getBytes(java.nio.charset.StandardCharsets.UTF_8)))).isEqualTo(expected);
    }
}
