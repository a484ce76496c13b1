package dev.drctl.probes;

import static org.assertj.core.api.Assertions.assertThat;

import dev.drctl.topology.Engine;
import dev.drctl.topology.FailureKind;
import dev.drctl.topology.ProbeOutcome;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The hard bound, on sockets this test owns: a listener that accepts and never answers, and a port
 * nothing listens on. No database is needed, so these run for every engine's probe.
 */
class ProbeDeadlineIT {
    private static final Duration TIMEOUT = Duration.ofMillis(800);
    /** Generous: a shared 2-core machine; the bound that matters is "about probe-timeout, never unbounded". */
    private static final Duration MARGIN = Duration.ofMillis(1500);

    @ParameterizedTest
    @EnumSource(Engine.class)
    void aBlackHoledNodeTimesOutWithinTheFirstConnectionBudget(Engine engine) throws Exception {
        try (var hole = new BlackHole();
             var probe = Probe.forCluster(Clusters.of(engine, "drctl", Optional.empty(), Duration.ofSeconds(1), TIMEOUT,
                     hole.port()), Map.of(), Clock.systemUTC())) {
            var node = Clusters.of(engine, "drctl", Optional.empty(), Duration.ofSeconds(1), TIMEOUT, hole.port()).nodes().getFirst();
            // Several in a row: the first meets a fresh pool, later ones a pool still stuck on the last attempt.
            for (int i = 0; i < 3; i++) {
                long start = System.nanoTime();
                var observation = probe.probe(node);
                var wall = Duration.ofNanos(System.nanoTime() - start);
                assertThat(observation.outcome()).isInstanceOfSatisfying(ProbeOutcome.Failed.class,
                        f -> assertThat(f.kind()).as(f.detail()).isEqualTo(FailureKind.TIMEOUT));
                // It never answers the login, and never has: the first-connection budget, separate from the
                // query budget, bounds it.
                assertThat(wall).isLessThan(JdbcProbe.firstConnectBudget(TIMEOUT).plus(MARGIN));
                assertThat(observation.latency()).isLessThanOrEqualTo(wall);
            }
            assertThat(hole.accepted()).as("the probe did reach the listener").isPositive();
        }
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void aPortNobodyListensOnIsRefused(Engine engine) throws Exception {
        var cluster = Clusters.of(engine, "drctl", Optional.empty(), Duration.ofSeconds(1), TIMEOUT, BlackHole.refusedPort());
        try (var probe = Probe.forCluster(cluster, Map.of(), Clock.systemUTC())) {
            for (int i = 0; i < 2; i++) {
                long start = System.nanoTime();
                var observation = probe.probe(cluster.nodes().getFirst());
                assertThat(observation.outcome()).isInstanceOfSatisfying(ProbeOutcome.Failed.class,
                        f -> assertThat(f.kind()).as(f.detail()).isEqualTo(FailureKind.REFUSED));
                assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(TIMEOUT.plus(MARGIN));
            }
        }
    }
}
