package dev.drctl.topology;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Period;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ConfigUnitsTest {
    @ParameterizedTest
    @CsvSource({"800ms,800", "1s,1000", "10m,600000", "2h,7200000", "90d,7776000000", "1h30m,5400000", "0s,0"})
    void durations(String text, long millis) {
        assertThat(ConfigUnits.duration(text)).contains(Duration.ofMillis(millis));
        assertThat(ConfigUnits.duration(ConfigUnits.format(Duration.ofMillis(millis)))).contains(Duration.ofMillis(millis));
    }

    @ParameterizedTest
    @ValueSource(strings = {"800", "1.5s", "-1s", "1 s", "10min", "s", "", "99999999999999999999d"})
    void notDurations(String text) {
        assertThat(ConfigUnits.duration(text)).isEmpty();
    }

    @ParameterizedTest
    @CsvSource({"0,0", "1B,1", "512kB,524288", "512KiB,524288", "16MB,16777216", "1GB,1073741824", "2TB,2199023255552"})
    void sizes(String text, long bytes) {
        assertThat(ConfigUnits.size(text)).contains(new DataSize(bytes));
    }

    @ParameterizedTest
    @ValueSource(strings = {"16", "16mb", "16 MB", "1.5GB", "-1MB", "99999999999TB"})
    void notSizes(String text) {
        assertThat(ConfigUnits.size(text)).isEmpty();
    }

    @ParameterizedTest
    @CsvSource({"7y,P7Y", "18m,P18M", "90d,P90D", "2w,P14D", "1y6m,P1Y6M"})
    void periods(String text, String iso) {
        assertThat(ConfigUnits.period(text)).contains(Period.parse(iso));
    }

    @ParameterizedTest
    @ValueSource(strings = {"7", "7 years", "7Y", "1h"})
    void notPeriods(String text) {
        assertThat(ConfigUnits.period(text)).isEmpty();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "jdbc:sqlite:/var/lib/drctl/drctl.db|jdbc:sqlite:/var/lib/drctl/drctl.db",
            "jdbc:postgresql://db/drctl?user=u&password=pw&ssl=true|jdbc:postgresql://db/drctl?user=u&password=***&ssl=true",
            "jdbc:postgresql://u:pw@db:5432/drctl|jdbc:postgresql://u:***@db:5432/drctl",
            "jdbc:postgresql://db/drctl?PASSWORD=pw|jdbc:postgresql://db/drctl?PASSWORD=***"})
    void jdbcUrlsAreShownWithoutPasswords(String url, String shown) {
        assertThat(JdbcUrls.redact(url)).isEqualTo(shown);
    }
}
