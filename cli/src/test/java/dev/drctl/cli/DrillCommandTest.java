package dev.drctl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code drctl drill} without servers: listing, schedules, what cannot run, and bad names. */
class DrillCommandTest {
    @TempDir
    Path dir;

    Path config() throws Exception {
        var file = dir.resolve("drctl.yaml");
        Files.writeString(file, """
                clusters:
                  - name: payments
                    engine: postgresql
                    credentials: { user: drctl }
                    nodes:
                      - { name: a, host: a.example.com, port: 5432, region: r1 }
                      - { name: b, host: b.example.com, port: 5432, region: r1 }
                compliance: { store: "jdbc:sqlite:%s", time-zone: UTC }
                drills:
                  - { name: weekly, cluster: payments, schedule: "0 2 * * SUN", environment: local, failure: kill-primary }
                  - { name: quartz, cluster: payments, schedule: "0 30 3 ? * MON-FRI", environment: local, failure: blip }
                  - { name: gameday, cluster: payments, environment: cluster, failure: switchover }
                  - { name: mail, cluster: payments, environment: local, failure: smtp-down }
                """.formatted(dir.resolve("drctl.db")));
        return file;
    }

    @Test
    void listShowsEachDrillWithItsNextThreeRunsAndNoResultYet() throws Exception {
        var r = CliRun.of("drill", "list", "-c", config().toString(), "-o", "json");
        assertThat(r.exit()).as(r.all()).isZero();
        var drills = r.json().path("drills");
        assertThat(drills).hasSize(4);
        assertThat(drills.get(0).path("nextRuns")).hasSize(3);
        assertThat(drills.get(0).path("nextRuns").get(0).asText()).contains("T02:00");
        assertThat(drills.get(1).path("flavour").asText()).isEqualTo("quartz");
        assertThat(drills.get(1).path("nextRuns").get(0).asText()).contains("T03:30");
        assertThat(drills.get(2).path("nextRuns")).isEmpty();
        assertThat(drills.get(0).path("lastResult").isNull()).isTrue();

        var table = CliRun.of("drill", "list", "-c", config().toString());
        assertThat(table.out()).contains("weekly", "0 2 * * SUN", "never run", "(by hand)");
    }

    @Test
    void aGameDayOnAClusterWithNoReachablePrimaryFailsClearlyWithoutSwitchingAnything() throws Exception {
        var cluster = CliRun.of("drill", "run", "gameday", "-c", config().toString());
        assertThat(cluster.exit()).as(cluster.all()).isEqualTo(1);
        assertThat(cluster.err()).contains("a game day needs one writable primary in payments").doesNotContain(
                "Exception");
        var list = CliRun.of("drill", "list", "-c", config().toString(), "-o", "json");
        assertThat(list.json().at("/drills/2/lastResult").asText()).isEqualTo("failed");
        assertThat(list.json().at("/drills/2/lastSummary").asText()).contains("drill could not run");
        assertThat(CliRun.journal(dir.resolve("drctl.yaml"))).as("no switchover started")
                .noneMatch(e -> e.payloadTree().path("kind").asText().equals("SWITCHOVER"));
    }

    @Test
    void anUnknownDrillIsBadUsageNamingTheConfiguredOnes() throws Exception {
        var r = CliRun.of("drill", "run", "wekly", "-c", config().toString());
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("no drill named 'wekly'", "weekly, quartz, gameday, mail");
    }

    @Test
    void aReportBeforeAnyRunSaysHowToGetOne() throws Exception {
        var r = CliRun.of("drill", "report", "weekly", "-c", config().toString());
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).contains("has no report yet", "drctl drill run weekly");
    }

    @Test
    void configCheckNamesABadCronExpression() throws Exception {
        var file = config();
        CliRun.edit(file, y -> y.replace("\"0 2 * * SUN\"", "\"0 25 * * SUN\""));
        var r = CliRun.of("config", "check", "-c", file.toString());
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.all()).contains("drills[0].schedule", "not a valid unix cron schedule");
    }
}
