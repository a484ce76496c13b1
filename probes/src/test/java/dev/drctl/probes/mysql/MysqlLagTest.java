package dev.drctl.probes.mysql;

import static org.assertj.core.api.Assertions.assertThat;

import dev.drctl.topology.DataPosition;
import dev.drctl.topology.Lag;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** A replica's lag when {@code Seconds_Behind_*} is NULL: 0 bytes (time unknown) only when everything received is applied. */
class MysqlLagTest {

    @ParameterizedTest(name = "seconds {0}, received {1}, applied {2} -> {3}")
    @CsvSource(delimiter = '|', nullValues = "-", textBlock = """
            4  | 0-1-10 | 0-1-8  | 4s
            -  | 0-1-10 | 0-1-10 | 0B
            -  | 0-1-10 | 0-1-12 | 0B
            -  | 0-1-10 | 0-1-8  | unknown
            -  | -      | 0-1-8  | unknown
            """)
    void lag(Long seconds, String received, String applied, String expected) {
        var lag = MysqlProbe.lag(Optional.ofNullable(seconds).map(Duration::ofSeconds),
                Optional.ofNullable(received).map(DataPosition.MariadbGtidPos::new),
                Optional.of(new DataPosition.MariadbGtidPos(applied)));
        var want = switch (expected) {
            case "0B" -> new Lag(Optional.of(0L), Optional.empty());
            case "unknown" -> Lag.unknown();
            default -> new Lag(Optional.empty(), Optional.of(Duration.ofSeconds(Long.parseLong(expected.replace("s", "")))));
        };
        assertThat(lag).isEqualTo(want);
    }
}
