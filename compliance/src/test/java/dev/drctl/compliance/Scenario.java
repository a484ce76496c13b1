package dev.drctl.compliance;

import dev.drctl.topology.ClusterName;
import dev.drctl.topology.ClusterSpec;
import dev.drctl.topology.ComplianceSpec;
import dev.drctl.topology.Credentials;
import dev.drctl.topology.DrctlConfig;
import dev.drctl.topology.Engine;
import dev.drctl.topology.FailoverPolicy;
import dev.drctl.topology.NodeName;
import dev.drctl.topology.NodeSpec;
import dev.drctl.topology.NotificationsSpec;
import dev.drctl.topology.SecretRef;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.Period;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A month in the life of two clusters, written through the journal the way runbooks will: a failover of
 * payments that met its targets, a switchover of ledger that missed them, a drill, notifications on time,
 * late and failed. Tests assert the exports and the report against what this wrote.
 */
final class Scenario {
    static final ClusterName PAYMENTS = new ClusterName("payments");
    static final ClusterName LEDGER = new ClusterName("ledger");
    static final String PASSWORD_VARIABLE = "PAYMENTS_DB_PASSWORD";
    static final String PASSWORD = "Hunter2-s3cr3t!";
    static final Instant T = Instant.parse("2026-11-01T20:45:00Z");
    static final Instant NOW = Instant.parse("2026-11-22T10:00:00Z");

    private Scenario() {
    }

    static ComplianceSpec spec(String store) {
        return new ComplianceSpec(store, new ComplianceSpec.Targets(Duration.ofMinutes(5), Duration.ZERO,
                Duration.ofDays(90), Duration.ofHours(2)), Period.ofYears(7), ZoneId.of("Asia/Kolkata"));
    }

    static DrctlConfig config(String store) {
        var payments = new ClusterSpec(PAYMENTS, Engine.POSTGRESQL,
                new Credentials("drctl", Optional.of(new SecretRef.Env(PASSWORD_VARIABLE))),
                List.of(new NodeSpec(new NodeName("pg-mum-1"), "127.0.0.1", 5433, "ap-south-1", 100, false),
                        new NodeSpec(new NodeName("pg-mum-2"), "127.0.0.1", 5434, "ap-south-1", 0, false)),
                FailoverPolicy.defaults(), Optional.empty());
        var ledger = new ClusterSpec(LEDGER, Engine.MARIADB, new Credentials("drctl", Optional.empty()),
                List.of(new NodeSpec(new NodeName("db-1"), "127.0.0.1", 3307, "eu-west-1", 0, false)),
                FailoverPolicy.defaults(), Optional.empty());
        return new DrctlConfig(Path.of("/etc/drctl/drctl.yaml"), List.of(payments, ledger), NotificationsSpec.none(),
                spec(store), List.of());
    }

    static Map<String, String> environment() {
        return Map.of(PASSWORD_VARIABLE, PASSWORD);
    }

    /** Writes the scenario; leaves the clock at {@link #NOW}. */
    static void write(StateStore store, SettableClock clock, DrctlConfig config) {
        var journal = store.journal();
        var daemon = Actor.daemon("drctl-7f3a");
        clock.set(T.minus(Duration.ofDays(20)));
        var drill = RunRecord.started("drill-0042", RunKind.DRILL, PAYMENTS, daemon, T.minus(Duration.ofDays(20)))
                .withDrill("payments-quarterly")
                .withNodes(new NodeName("pg-mum-1"), new NodeName("pg-mum-2"), 3)
                .withTimeline(T.minus(Duration.ofDays(20)), T.minus(Duration.ofDays(20)).plusSeconds(4),
                        T.minus(Duration.ofDays(20)).plusSeconds(6), T.minus(Duration.ofDays(20)).plusSeconds(8),
                        T.minus(Duration.ofDays(20)).plusSeconds(9), T.minus(Duration.ofDays(20)).plusSeconds(20))
                .withMeasures(null, Duration.ZERO, 0L, false)
                .withStatus(RunStatus.SUCCEEDED, "drill passed: RTO 9.0 s, no write lost");
        journal.append(JournalDraft.of(daemon, JournalKind.DRILL_RESULT, drill.toJson()).cluster(PAYMENTS).run("drill-0042"));

        clock.set(T.minusSeconds(60));
        journal.append(JournalDraft.of(daemon, JournalKind.CONFIG_LOADED,
                Map.of("source", config.source().toString(), "clusters", config.clusters())));

        clock.set(T.plusSeconds(3));
        journal.append(JournalDraft.of(daemon, JournalKind.VERDICT_CHANGED, Map.of("from", "Healthy", "to", "PrimarySuspect",
                "summary", "pg-mum-1 failed 3 probes over 3.0 s (connection refused)")).cluster(PAYMENTS)
                .node(new NodeName("pg-mum-1")));
        clock.set(T.plusSeconds(4));
        journal.append(JournalDraft.of(daemon, JournalKind.VERDICT_CHANGED, Map.of("from", "PrimarySuspect", "to",
                "PrimaryDead", "summary", "pg-mum-1 is dead: pg-mum-2 lost its stream too <script>alert(1)</script>"))
                .cluster(PAYMENTS).node(new NodeName("pg-mum-1")));

        var failover = RunRecord.started("run-2026-11-01-001", RunKind.FAILOVER, PAYMENTS, daemon, T.plusSeconds(4))
                .withNodes(new NodeName("pg-mum-1"), new NodeName("pg-mum-2"), 4);
        journal.append(JournalDraft.of(daemon, JournalKind.RUN_STARTED, failover.toJson()).cluster(PAYMENTS)
                .run(failover.runId()).epoch(4));
        var steps = List.of("fence pg-mum-1", "promote pg-mum-2", "verify pg-mum-2 accepts writes", "move DNS");
        long at = 5;
        for (var step : steps) {
            clock.set(T.plusSeconds(at));
            journal.append(JournalDraft.of(daemon, JournalKind.STEP_INTENT, Map.of("step", step)).cluster(PAYMENTS)
                    .node(new NodeName("pg-mum-2")).run(failover.runId()).epoch(4));
            at += step.startsWith("move") ? 30 : 2;
            clock.set(T.plusSeconds(at));
            journal.append(JournalDraft.of(daemon, JournalKind.STEP_OUTCOME, Map.of("step", step, "outcome", "succeeded"))
                    .cluster(PAYMENTS).node(new NodeName("pg-mum-2")).run(failover.runId()).epoch(4));
        }
        var finished = failover.withTimeline(T, T.plusSeconds(4), T.plusSeconds(9), T.plusSeconds(41), T.plusSeconds(42),
                        T.plusSeconds(43))
                .withMeasures(null, Duration.ZERO, 0L, false)
                .withStatus(RunStatus.SUCCEEDED, "promoted pg-mum-2; writer DNS moved; no acknowledged write lost");
        clock.set(T.plusSeconds(43));
        journal.append(JournalDraft.of(daemon, JournalKind.RUN_FINISHED, finished.toJson()).cluster(PAYMENTS)
                .run(failover.runId()).epoch(4));

        var created = T.plusSeconds(5);
        notification(journal, daemon, clock, new NotificationRecord("n-1", "FAILOVER_STARTED", "dba", "email",
                Optional.of(PAYMENTS), Optional.of(failover.runId()), created, Optional.of(created.plusSeconds(61)), 1,
                Optional.of("<n-1@drctl>"), Optional.empty()), true);
        notification(journal, daemon, clock, new NotificationRecord("n-2", "FAILOVER_FINISHED", "compliance", "email",
                Optional.of(PAYMENTS), Optional.of(failover.runId()), created, Optional.of(created.plus(Duration.ofHours(3))),
                7, Optional.of("<n-2@drctl>"), Optional.empty()), true);
        notification(journal, daemon, clock, new NotificationRecord("n-3", "FAILOVER_FINISHED", "management", "slack",
                Optional.of(PAYMENTS), Optional.of(failover.runId()), created, Optional.empty(), 12,
                Optional.empty(), Optional.of("webhook answered 404")), false);

        var switchStart = T.plus(Duration.ofDays(5));
        var switchover = RunRecord.started("run-2026-11-06-001", RunKind.SWITCHOVER, LEDGER, Actor.user("asha"), switchStart)
                .withNodes(new NodeName("db-1"), new NodeName("db-2"), 9)
                .withTimeline(switchStart, switchStart.plusSeconds(30), switchStart.plusSeconds(300),
                        switchStart.plusSeconds(410), switchStart.plusSeconds(420), switchStart.plusSeconds(425))
                .withMeasures(Duration.ofSeconds(420), Duration.ofSeconds(2), 8192L, true)
                .withStatus(RunStatus.SUCCEEDED, "switched db-1 → db-2 with --accept-data-loss");
        clock.set(switchStart);
        journal.append(JournalDraft.of(Actor.user("asha"), JournalKind.MANUAL_OVERRIDE,
                Map.of("reason", "switchover with --accept-data-loss")).cluster(LEDGER).run(switchover.runId()));
        clock.set(switchStart.plusSeconds(425));
        journal.append(JournalDraft.of(Actor.user("asha"), JournalKind.RUN_FINISHED, switchover.toJson()).cluster(LEDGER)
                .run(switchover.runId()).epoch(9));
        clock.set(NOW);
    }

    private static void notification(Journal journal, Actor actor, SettableClock clock, NotificationRecord n,
                                     boolean sent) {
        clock.set(n.deliveredAt().orElse(n.createdAt().plusSeconds(600)));
        journal.append(JournalDraft.of(actor, sent ? JournalKind.NOTIFICATION_SENT : JournalKind.NOTIFICATION_FAILED,
                n.toJson()).cluster(n.cluster().orElseThrow()).run(n.runId().orElseThrow()));
    }
}
