package dev.drctl.testenv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.drctl.topology.DrctlException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PostgresBinarySourceTest {
    @TempDir
    Path empty;

    @Test
    void parsesTheThreeSourcesInAnyCase() {
        assertThat(PostgresBinarySource.parse(" Embedded ", "--binaries")).isEqualTo(PostgresBinarySource.EMBEDDED);
        assertThat(PostgresBinarySource.parse("auto", "--binaries")).isEqualTo(PostgresBinarySource.AUTO);
        assertThat(PostgresBinarySource.parse("INSTALLED", "--binaries")).isEqualTo(PostgresBinarySource.INSTALLED);
    }

    @Test
    void anUnknownSourceSaysWhereAndWhatIsAllowed() {
        assertThatThrownBy(() -> PostgresBinarySource.parse("borrowed", PostgresBinarySource.ENV))
                .isInstanceOf(DrctlException.class)
                .hasMessage("DRCTL_POSTGRES_BINARIES: 'borrowed' is not a PostgreSQL binary source; use installed, "
                        + "embedded or auto");
    }

    /** Installed only, as every test topology asks by default: no silent download when PostgreSQL is missing. */
    @Test
    void installedOnlyStillRefusesWhenNothingIsInstalled() {
        assertThatThrownBy(() -> PostgresBinaries.choose(PostgresBinarySource.INSTALLED, empty))
                .isInstanceOfSatisfying(DrctlException.class,
                        e -> assertThat(e.code()).isEqualTo(TestenvErrorCode.SERVER_BINARIES_MISSING))
                .hasMessageContaining("apt-get install postgresql");
    }

    @Test
    void autoFallsBackToTheEmbeddedBuildWhenNothingIsInstalled() {
        PostgresBinaries chosen;
        try {
            chosen = PostgresBinaries.choose(PostgresBinarySource.AUTO, empty);
        } catch (DrctlException e) {
            org.junit.jupiter.api.Assumptions.assumeTrue(e.code() != TestenvErrorCode.SERVER_BINARIES_MISSING,
                    "embedded PostgreSQL not available: " + e.getMessage());
            throw e;
        }
        assertThat(chosen.bin()).startsWith(EmbeddedPostgres.cacheRoot());
        assertThat(chosen.hasBaseBackup()).isFalse();
        assertThat(chosen.initdb()).isExecutable();
    }
}
