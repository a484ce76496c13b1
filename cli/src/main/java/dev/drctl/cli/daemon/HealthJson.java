package dev.drctl.cli.daemon;

import dev.drctl.topology.Lag;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code /health} body: the health with its reasons, then what it was judged from. Plain values (strings,
 * numbers, {@code null} for absent) so the JSON needs no Jackson module and reads the same in any tool.
 */
record HealthJson(String status, boolean live, boolean ready, List<String> reasons, List<String> warnings, String at,
                  String startedAt, Config config, Store store, List<Cluster> clusters) {

    record Config(String file, String loadedAt, String reloadRefused) {
    }

    record Store(String store, boolean reachable, String checkedAt, String problem, Long outboxPending,
                 Long outboxGivenUp, String oldestPending) {
    }

    record LagJson(Long bytes, Double seconds) {
    }

    record Brake(String kind, String sentence, String until) {
    }

    record Cluster(String cluster, String mode, String verdict, String summary, String lastRound,
                   Map<String, LagJson> lag, Brake brake, String running, String lastRun, String lastSuccessfulDrill) {
    }

    static HealthJson of(DaemonView view, Health health) {
        var s = view.store();
        var store = new Store(s.description(), s.reachable(), s.checkedAt().toString(), s.problem().orElse(null),
                s.outbox().map(o -> o.pending()).orElse(null), s.outbox().map(o -> o.givenUp()).orElse(null),
                s.outbox().flatMap(o -> o.oldestPending()).map(Instant::toString).orElse(null));
        var c = view.config();
        var config = new Config(c.file().toString(), c.loadedAt().toString(), c.reloadRefused().orElse(null));
        var clusters = view.clusters().stream().map(HealthJson::cluster).toList();
        return new HealthJson(health.status(), health.live(), health.ready(), health.reasons(), health.warnings(),
                view.at().toString(), view.startedAt().toString(), config, store, clusters);
    }

    private static Cluster cluster(DaemonView.ClusterView c) {
        var lag = new LinkedHashMap<String, LagJson>();
        c.lag().entrySet().stream().sorted(Map.Entry.comparingByKey((a, b) -> a.toString().compareTo(b.toString())))
                .forEach(e -> lag.put(e.getKey().toString(), lag(e.getValue())));
        return new Cluster(c.cluster().toString(), c.mode(), c.verdict(), c.summary(), text(c.lastRound()), lag,
                c.brake().map(b -> new Brake(b.kind().name().toLowerCase(java.util.Locale.ROOT), b.sentence(),
                        text(b.until()))).orElse(null),
                c.running().orElse(null), c.lastRun().orElse(null), text(c.lastSuccessfulDrill()));
    }

    private static LagJson lag(Lag lag) {
        return new LagJson(lag.bytes().orElse(null), lag.time().map(d -> d.toNanos() / 1e9).orElse(null));
    }

    private static String text(Optional<Instant> at) {
        return at.map(Instant::toString).orElse(null);
    }
}
