package dev.drctl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The demo's words for what happened: time counted from the failure injected, the report named for what it shows. */
class DemoCommandTest {
    @Test
    void theNarrationCountsFromTheFailureInjectedNamedAsWhatItWas() {
        var at = Duration.ofMillis(2040);
        assertThat(DemoCommand.Narration.since(DemoCommand.Failure.KILL_PRIMARY, at, "promote"))
                .isEqualTo("+2.04 s after the kill: promote");
        assertThat(DemoCommand.Narration.since(DemoCommand.Failure.BLIP, at, "no failover"))
                .isEqualTo("+2.04 s after the blip: no failover");
        assertThat(DemoCommand.Narration.since(DemoCommand.Failure.PARTITION_DRCTL, at, "replicas still stream"))
                .isEqualTo("+2.04 s after the partition: replicas still stream");
    }

    @Test
    void theReportIsTheFailoversTimelineOnlyWhenThereWasAFailover() {
        var json = new ObjectMapper();
        var html = Path.of("/tmp/demo/reports/drill.html");
        assertThat(DemoCommand.reportLine(html, json.createObjectNode().put("promotions", 1)))
                .isEqualTo("report:       /tmp/demo/reports/drill.html (the failover's timeline)");
        assertThat(DemoCommand.reportLine(html, json.createObjectNode().put("promotions", 0)))
                .isEqualTo("report:       /tmp/demo/reports/drill.html (the drill's timeline)");
    }
}
