package dev.drctl.notifiers;

import dev.drctl.compliance.Actor;
import dev.drctl.compliance.RunKind;
import dev.drctl.compliance.RunRecord;
import dev.drctl.compliance.RunStatus;
import dev.drctl.compliance.StateStore;
import dev.drctl.topology.ClusterName;
import dev.drctl.topology.ComplianceSpec;
import dev.drctl.topology.NodeName;
import dev.drctl.topology.NotificationsSpec;
import dev.drctl.topology.SecretRef;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.Period;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BooleanSupplier;

/** Shared test data: the payments failover of DESIGN's example, a fresh store, ports, and a deadline wait. */
final class Fixtures {
    static final ClusterName PAYMENTS = new ClusterName("payments");
    static final String SMTP_PASSWORD = "smtp-Pa55word-never-shown";
    static final String WEBHOOK_SECRET = "whsec-4f1c9-never-shown";
    static final Map<String, String> ENV = Map.of("SMTP_PASSWORD", SMTP_PASSWORD, "HOOK_SECRET", WEBHOOK_SECRET);
    static final Map<String, List<String>> AUDIENCES = Map.of("dba", List.of("dba@example.com", "oncall@example.com"),
            "compliance", List.of("risk@example.com"), "management", List.of("cto@example.com"));
    static final Instant T0 = Instant.parse("2026-11-22T02:14:05Z");

    private Fixtures() {
    }

    static ComplianceSpec compliance(Path dir) {
        return new ComplianceSpec("jdbc:sqlite:" + dir.resolve("drctl.db"), ComplianceSpec.Targets.defaults(),
                Period.ofYears(7), ZoneId.of("Asia/Kolkata"));
    }

    static StateStore store(Path dir, Clock clock) {
        return StateStore.open(compliance(dir), clock, Set.of(SMTP_PASSWORD, WEBHOOK_SECRET));
    }

    static NotificationsSpec.EmailSpec email(int port) {
        return new NotificationsSpec.EmailSpec("127.0.0.1", port, false, false, Optional.of("drctl"),
                Optional.of(new SecretRef.Env("SMTP_PASSWORD")), "dr@example.com");
    }

    static NotificationsSpec emailOnly(int port) {
        return new NotificationsSpec(Optional.of(email(port)), AUDIENCES, List.of(), Map.of());
    }

    static NotificationsSpec.WebhookSpec webhook(String url, String format) {
        return new NotificationsSpec.WebhookSpec(url, format, Optional.of(new SecretRef.Env("HOOK_SECRET")));
    }

    /** The failover the templates are shown with: pg-mum-1 died, pg-mum-2 promoted, RTO 31.4 s. */
    static RunRecord completedFailover(String runId) {
        return RunRecord.started(runId, RunKind.FAILOVER, PAYMENTS, Actor.daemon("drctl-1"), T0)
                .withNodes(new NodeName("pg-mum-1"), new NodeName("pg-mum-2"), 7)
                .withTimeline(T0, T0.plusMillis(4_200), T0.plusMillis(9_900), T0.plusMillis(29_100),
                        T0.plusMillis(31_400), T0.plusMillis(31_600))
                .withMeasures(null, Duration.ZERO, 0L, false)
                .withStatus(RunStatus.SUCCEEDED, "pg-mum-2 promoted; writer DNS moved and in sync");
    }

    static Notification failoverCompleted(Notifications n, String runId) {
        return n.failoverCompleted(completedFailover(runId),
                "payments-rw.db.example.com → pg-mum-2.db.internal (INSYNC)");
    }

    static Notification failoverStarted(Notifications n, String runId) {
        return n.failoverStarted(PAYMENTS, runId, T0, new NodeName("pg-mum-1"), Optional.of(new NodeName("pg-mum-2")),
                "pg-mum-1 unreachable for 3 probes over 3.1 s and both replicas lost their stream from it",
                List.of("pg-mum-1: 3 probes failed (REFUSED) 02:14:01–02:14:04 UTC",
                        "pg-mum-2: wal receiver down since 02:14:01 UTC, LSN 0/5A000060",
                        "pg-hyd-1: wal receiver down since 02:14:02 UTC, LSN 0/59FFF000"),
                "pg-mum-2 is the most advanced replica (LSN 0/5A000060) in the preferred region ap-south-1");
    }

    static int freePort() {
        try (var s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            s.setReuseAddress(true);
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Path tempDir() {
        try {
            return Files.createTempDirectory("drctl-notify-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Waits for a condition with a deadline, checking every few milliseconds; no fixed sleeps. */
    static void await(String what, Duration timeout, BooleanSupplier condition) {
        var deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + timeout + ": " + what);
            }
            java.util.concurrent.locks.LockSupport.parkNanos(Duration.ofMillis(20).toNanos());
        }
    }
}
