package dev.drctl.cli.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import dev.drctl.topology.ConfigLoader;
import dev.drctl.topology.DaemonSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * docs/operations.md, the example daemon config and the systemd unit say what the code does: every drctl metric the
 * daemon registers is in the metric table and nothing else is, the example config is valid, the unit waits longer
 * than the stop bound and counts a SIGTERM exit as clean.
 */
class OperationsDocsTest {
    static final Path ROOT = Path.of("..");

    @Test
    void theMetricTableListsExactlyTheMetricsTheDaemonRegisters() throws Exception {
        var view = DaemonEndpointTest.view(true, DaemonEndpointTest.T0);
        var metrics = new DaemonMetrics(() -> view);
        var registered = new TreeSet<String>();
        for (var snapshot : metrics.registry().scrape()) {
            var name = snapshot.getMetadata().getPrometheusName();
            if (name.startsWith("drctl_")) {
                registered.add(snapshot instanceof io.prometheus.metrics.model.snapshots.CounterSnapshot
                        ? name + "_total" : name);
            }
        }
        var doc = Files.readString(ROOT.resolve("docs/operations.md"));
        var documented = new TreeSet<String>();
        var row = Pattern.compile("(?m)^\\| `(drctl_[a-z_]+)` \\|").matcher(doc);
        while (row.find()) {
            documented.add(row.group(1));
        }
        assertThat(documented).isEqualTo(registered);
        assertThat(doc).contains("within 25 seconds").contains("**20 s**").contains("**5 s**");
        assertThat(DaemonSignals.EXIT_BOUND).isEqualTo(Duration.ofSeconds(25));
        assertThat(DaemonSignals.STOP_BOUND).isEqualTo(Duration.ofSeconds(20));
    }

    @Test
    void theExampleDaemonConfigIsValidAndListensOnLoopback() {
        var config = ConfigLoader.load(ROOT.resolve("examples/drctl-daemon.yaml"));
        assertThat(config.daemon()).isEqualTo(DaemonSpec.defaults());
        assertThat(config.clusters()).hasSize(2);
    }

    @Test
    void theSystemdUnitOutwaitsTheStopBoundAndReloadsWithSighup() throws Exception {
        var unit = Files.readString(ROOT.resolve("examples/systemd/drctl.service"));
        var timeout = Pattern.compile("(?m)^TimeoutStopSec=(\\d+)s$").matcher(unit);
        assertThat(timeout.find()).isTrue();
        assertThat(Duration.ofSeconds(Long.parseLong(timeout.group(1)))).isGreaterThan(DaemonSignals.EXIT_BOUND);
        assertThat(unit).contains("\nSuccessExitStatus=143\n").contains("\nExecReload=/bin/kill -HUP $MAINPID\n")
                .contains("\nType=simple\n").contains("/health/ready").contains("\nKillSignal=SIGTERM\n");
    }
}
