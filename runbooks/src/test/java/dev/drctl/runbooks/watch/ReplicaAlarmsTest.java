package dev.drctl.runbooks.watch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.drctl.promotion.ClusterVerdict;
import dev.drctl.promotion.Evidence;
import dev.drctl.topology.ClusterName;
import dev.drctl.topology.NodeName;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** When a replica problem is told: once when it starts, once when it clears, never per round. */
class ReplicaAlarmsTest {
    static final ClusterName C = new ClusterName("payments");
    static final NodeName P = new NodeName("pg-1");
    static final NodeName R2 = new NodeName("pg-2");
    static final NodeName R3 = new NodeName("pg-3");
    static final String LAGS = "lags 40 MB (max-lag 16 MB)";
    static final String BROKEN = "not streaming (WAL receiver stopped)";

    static ClusterVerdict healthy() {
        return new ClusterVerdict.Healthy(C, P, List.of());
    }

    static ClusterVerdict problems(Evidence... problems) {
        return new ClusterVerdict.ReplicaProblems(C, P, List.of(problems), List.of());
    }

    static ClusterVerdict blind() {
        return new ClusterVerdict.DrctlBlind(C, ClusterVerdict.Blindness.ALL_UNREACHABLE, List.of());
    }

    record Row(String name, Map<NodeName, String> before, ClusterVerdict verdict, Map<NodeName, String> troubled,
               List<ReplicaAlarms.Started> started, List<ReplicaAlarms.Cleared> cleared) {
        @Override
        public String toString() {
            return name;
        }
    }

    static List<Row> table() {
        return List.of(
                new Row("healthy stays quiet", Map.of(), healthy(), Map.of(), List.of(), List.of()),
                new Row("a lag starts: told once", Map.of(), problems(new Evidence(R2, LAGS)), Map.of(R2, LAGS),
                        List.of(new ReplicaAlarms.Started(R2, LAGS)), List.of()),
                new Row("the same lag next round, other figures: not told again", Map.of(R2, LAGS),
                        problems(new Evidence(R2, "lags 41 MB (max-lag 16 MB)")), Map.of(R2, LAGS), List.of(),
                        List.of()),
                new Row("a second replica breaks: only it is told", Map.of(R2, LAGS),
                        problems(new Evidence(R2, LAGS), new Evidence(R3, BROKEN)), Map.of(R2, LAGS, R3, BROKEN),
                        List.of(new ReplicaAlarms.Started(R3, BROKEN)), List.of()),
                new Row("one clears: told once, with what it was", Map.of(R2, LAGS, R3, BROKEN),
                        problems(new Evidence(R3, BROKEN)), Map.of(R3, BROKEN), List.of(),
                        List.of(new ReplicaAlarms.Cleared(R2, LAGS))),
                new Row("healthy clears all", Map.of(R3, BROKEN), healthy(), Map.of(), List.of(),
                        List.of(new ReplicaAlarms.Cleared(R3, BROKEN))),
                new Row("a round that cannot tell keeps the alarms", Map.of(R3, BROKEN), blind(), Map.of(R3, BROKEN),
                        List.of(), List.of()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("table")
    void transitions(Row row) {
        var change = ReplicaAlarms.next(row.before(), row.verdict());
        assertThat(change.troubled()).isEqualTo(row.troubled());
        assertThat(change.started()).isEqualTo(row.started());
        assertThat(change.cleared()).isEqualTo(row.cleared());
    }
}
