package dev.drctl.cli.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import dev.drctl.coordination.CoordinationView;
import dev.drctl.coordination.Observation;
import dev.drctl.coordination.ObserverQuorum;
import dev.drctl.topology.ClusterName;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The coordination figures in {@code /metrics} (issue 13): per cluster the leader, the term's token, whether this
 * daemon leads, the observer quorum; the live daemons; the connection. And docs/ha.md lists exactly those metrics.
 */
class CoordinationMetricsTest {
    static final Instant T0 = Instant.parse("2026-11-28T10:00:00Z");
    static final ClusterName PAYMENTS = new ClusterName("payments");
    static final ClusterName LEDGER = new ClusterName("ledger");

    static ZooKeeperPeers.Figures figures() {
        var live = List.of("hyd-1", "mum-1", "sgp-1");
        var payments = List.of(
                new Observation("hyd-1", PAYMENTS, "PrimaryDead", "pg1 refused 3 probes", T0),
                new Observation("mum-1", PAYMENTS, "DrctlPartitioned", "pg1 unreachable, replicas stream", T0),
                new Observation("sgp-1", PAYMENTS, "PrimaryDead", "pg1 refused 3 probes", T0));
        var view = new CoordinationView("zk1:2181", true, Optional.empty(), live,
                Map.of(PAYMENTS, new CoordinationView.Leader("mum-1", 4_294_967_301L),
                        LEDGER, new CoordinationView.Leader("hyd-1", 4_294_967_320L)),
                Map.of(PAYMENTS, payments, LEDGER, List.of()));
        var quorums = Map.of(PAYMENTS, ObserverQuorum.assess(Set.copyOf(live), payments, T0, Duration.ofSeconds(5)),
                LEDGER, ObserverQuorum.assess(Set.copyOf(live), List.of(), T0, Duration.ofSeconds(5)));
        return new ZooKeeperPeers.Figures(T0, "mum-1", true, view, Map.of(PAYMENTS, true, LEDGER, false), quorums);
    }

    /** Every drctl gauge sample as {@code name{label=value,...}} → value. */
    static Map<String, Double> samples(DaemonMetrics metrics) {
        var out = new TreeMap<String, Double>();
        for (var snapshot : metrics.registry().scrape()) {
            var name = snapshot.getMetadata().getPrometheusName();
            if (snapshot instanceof GaugeSnapshot g && name.startsWith("drctl_")) {
                for (var p : g.getDataPoints()) {
                    var labels = new TreeMap<String, String>();
                    p.getLabels().forEach(l -> labels.put(l.getName(), l.getValue()));
                    out.put(name + labels.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                            .collect(Collectors.joining(",", "{", "}")), p.getValue());
                }
            }
        }
        return out;
    }

    @Test
    void leadershipTokenQuorumAndLiveDaemonsAreGauges() {
        var view = DaemonEndpointTest.view(true, DaemonEndpointTest.T0);
        var metrics = new DaemonMetrics(() -> view);
        metrics.coordination(CoordinationMetricsTest::figures);
        assertThat(samples(metrics)).containsAllEntriesOf(Map.ofEntries(
                Map.entry("drctl_zookeeper_connected{}", 1.0),
                Map.entry("drctl_daemons_live{}", 3.0),
                Map.entry("drctl_daemon_live{daemon=hyd-1,self=false}", 1.0),
                Map.entry("drctl_daemon_live{daemon=mum-1,self=true}", 1.0),
                Map.entry("drctl_daemon_live{daemon=sgp-1,self=false}", 1.0),
                Map.entry("drctl_cluster_leader{cluster=payments,daemon=mum-1}", 1.0),
                Map.entry("drctl_cluster_leader{cluster=ledger,daemon=hyd-1}", 1.0),
                Map.entry("drctl_cluster_leadership_token{cluster=payments}", 4_294_967_301.0),
                Map.entry("drctl_cluster_leadership_token{cluster=ledger}", 4_294_967_320.0),
                Map.entry("drctl_cluster_leading{cluster=payments}", 1.0),
                Map.entry("drctl_cluster_leading{cluster=ledger}", 0.0),
                Map.entry("drctl_observer_quorum_primary_dead_daemons{cluster=payments}", 2.0),
                Map.entry("drctl_observer_quorum_needed_daemons{cluster=payments}", 2.0),
                Map.entry("drctl_observer_quorum_primary_dead_daemons{cluster=ledger}", 0.0)));
    }

    @Test
    void cutOffTheDaemonSaysSoAndShowsNoLeaderItCannotKnow() {
        var view = DaemonEndpointTest.view(true, DaemonEndpointTest.T0);
        var metrics = new DaemonMetrics(() -> view);
        var unreachable = new CoordinationView("zk1:2181", false, Optional.of("the ZooKeeper connection is suspended"),
                List.of(), Map.of(), Map.of());
        metrics.coordination(() -> new ZooKeeperPeers.Figures(T0, "mum-1", false, unreachable,
                Map.of(PAYMENTS, false), Map.of()));
        var samples = samples(metrics);
        assertThat(samples).containsEntry("drctl_zookeeper_connected{}", 0.0)
                .containsEntry("drctl_cluster_leading{cluster=payments}", 0.0);
        assertThat(samples.keySet()).noneMatch(k -> k.startsWith("drctl_cluster_leader{")
                || k.startsWith("drctl_daemons_live") || k.startsWith("drctl_cluster_leadership_token"));
    }

    @Test
    void docsHaListsExactlyTheCoordinationMetrics() throws Exception {
        var plain = new DaemonMetrics(() -> DaemonEndpointTest.view(true, DaemonEndpointTest.T0));
        var metrics = new DaemonMetrics(() -> DaemonEndpointTest.view(true, DaemonEndpointTest.T0));
        metrics.coordination(CoordinationMetricsTest::figures);
        var added = names(metrics);
        added.removeAll(names(plain));
        var doc = Files.readString(Path.of("..", "docs", "ha.md"));
        var documented = new TreeSet<String>();
        var row = Pattern.compile("(?m)^\\| `(drctl_[a-z_]+)` \\|").matcher(doc);
        while (row.find()) {
            documented.add(row.group(1));
        }
        assertThat(documented).isEqualTo(added);
    }

    private static TreeSet<String> names(DaemonMetrics metrics) {
        var out = new TreeSet<String>();
        for (var snapshot : metrics.registry().scrape()) {
            out.add(snapshot.getMetadata().getPrometheusName());
        }
        return out;
    }
}
