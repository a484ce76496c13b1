package dev.drctl.notifiers;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** When the daily digest is due: a pure function of the configured time, the zone, now and the last digest's day. */
class ComplianceDigestTest {

    @ParameterizedTest(name = "{0} {1} now {2}, last {3} → {4}")
    @CsvSource(nullValues = "-", textBlock = """
            # zone,         at,    now (UTC),              last digest, due day
            UTC,            00:05, 2026-11-28T00:04:59Z,   2026-11-27,  -
            UTC,            00:05, 2026-11-28T00:05:00Z,   2026-11-27,  2026-11-28
            UTC,            00:05, 2026-11-28T23:59:00Z,   2026-11-27,  2026-11-28
            UTC,            00:05, 2026-11-28T10:00:00Z,   2026-11-28,  -
            UTC,            00:05, 2026-11-28T10:00:00Z,   2026-11-20,  2026-11-28
            UTC,            00:05, 2026-11-28T00:10:00Z,   -,           2026-11-28
            UTC,            00:05, 2026-11-28T00:01:00Z,   -,           -
            Asia/Kolkata,   00:05, 2026-11-27T18:34:00Z,   2026-11-27,  -
            Asia/Kolkata,   00:05, 2026-11-27T18:35:00Z,   2026-11-27,  2026-11-28
            Asia/Kolkata,   09:00, 2026-11-28T03:29:00Z,   2026-11-27,  -
            Asia/Kolkata,   09:00, 2026-11-28T03:30:00Z,   2026-11-27,  2026-11-28
            America/Denver, 23:30, 2026-11-29T06:30:00Z,   2026-11-27,  2026-11-28
            America/Denver, 23:30, 2026-11-29T06:29:00Z,   2026-11-27,  -
            Europe/Berlin,  02:30, 2026-03-29T01:29:00Z,   2026-03-28,  -
            Europe/Berlin,  02:30, 2026-03-29T01:30:00Z,   2026-03-28,  2026-03-29
            Europe/Berlin,  02:30, 2026-10-25T00:29:00Z,   2026-10-24,  -
            Europe/Berlin,  02:30, 2026-10-25T00:30:00Z,   2026-10-24,  2026-10-25
            Europe/Berlin,  02:30, 2026-10-25T01:30:00Z,   2026-10-25,  -
            """)
    void dueOncePerDayFromTheConfiguredTimeInTheZone(String zone, String at, String now, String last, String due) {
        assertThat(ComplianceDigest.dueDay(LocalTime.parse(at), ZoneId.of(zone), Instant.parse(now),
                Optional.ofNullable(last).map(LocalDate::parse)))
                .isEqualTo(Optional.ofNullable(due).map(LocalDate::parse));
    }
}
