package dev.drctl.promotion.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** A server program run for a local rejoin starts in a directory every account can read. */
class LocalCommandTest {
    @Test
    void runsFromTheRootDirectoryNotDrctlsOwn() {
        var ran = LocalCommand.run(List.of("pwd"), Optional.empty(), Map.of(), Duration.ofSeconds(10));
        assertThat(ran.ok()).as(ran.outputTail()).isTrue();
        assertThat(ran.outputTail()).isEqualTo("/");
    }
}
