package dev.drctl.compliance;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.Period;
import org.junit.jupiter.api.Test;

/** A refused purge says the retention as the config writes it and the instants to the second. */
class PurgeOutcomeTest {
    @Test
    void aRefusalReadsLikeTheConfigAndWithoutSubSecondDigits() {
        var refused = new PurgeOutcome.RefusedRetention(Instant.parse("2019-12-31T18:30:00Z"),
                Instant.parse("2019-11-28T17:33:24.936759378Z"), Period.ofYears(7));
        assertThat(refused.summary()).isEqualTo("purge refused: entries before 2019-12-31T18:30:00Z are inside the "
                + "retention period of 7y; only entries written before 2019-11-28T17:33:24Z may be purged "
                + "(use --before 2019-11-28 or earlier)");
        assertThat(new PurgeOutcome.RefusedRetention(Instant.parse("2026-01-01T00:00:00Z"),
                Instant.parse("2025-05-01T00:00:00.5Z"), Period.of(1, 6, 0)).summary())
                .contains("retention period of 1y6m;", "written before 2025-05-01T00:00:00Z may");
    }
}
