package dev.drctl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.drctl.compliance.JournalEntry;
import dev.drctl.compliance.JournalKind;
import dev.drctl.compliance.RunKind;
import dev.drctl.compliance.RunRecord;
import dev.drctl.compliance.RunStatus;
import dev.drctl.coordination.ClusterLeadership;
import dev.drctl.coordination.CoordinationView;
import dev.drctl.testenv.FaultProxy;
import dev.drctl.testenv.LocalTopology;
import dev.drctl.topology.ConfigLoader;
import dev.drctl.topology.CoordinationSpec;
import dev.drctl.topology.Engine;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 13 end to end: a real 3-server ZooKeeper ensemble from Debian's package ({@code bin/zk-ensemble}), three
 * {@code drctl run} processes with the same config (one shared SQLite store), one testenv PostgreSQL cluster. SIGKILL
 * of the primary: exactly one daemon fails over (the cluster's leader, once a majority of the daemons see the primary
 * dead), the others see it and do nothing; the journal shows one promotion, every step's intent carrying the leader's
 * fencing token.
 */
class CoordinatedDaemonsIT {
    static final Path ENSEMBLE_SCRIPT = Path.of("..", "bin", "zk-ensemble");

    @TempDir
    Path dir;
    LocalTopology topology;
    Path ensemble;
    final List<DaemonProcess> daemons = new ArrayList<>();
    String connect;
    long ensembleMillis;
    CoordinationSpec spec;
    FaultProxy proxy;

    @AfterEach
    void down() throws Exception {
        for (var d : daemons) {
            d.close();
        }
        if (proxy != null) {
            proxy.close();
        }
        if (topology != null) {
            topology.close();
        }
        if (ensemble != null) {
            script("stop", ensemble.toString());
        }
    }

    /** Runs {@code bin/zk-ensemble} and returns what it printed. */
    static String script(String... args) throws IOException, InterruptedException {
        var command = new ArrayList<>(List.of("bash", ENSEMBLE_SCRIPT.toString()));
        command.addAll(List.of(args));
        var p = new ProcessBuilder(command).redirectErrorStream(false).start();
        var out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        var err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(180, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new AssertionError("bin/zk-ensemble " + String.join(" ", args) + " failed: " + out + err);
        }
        return out.strip();
    }

    /** How daemon {@code i} (1-3) is started with its config, logging to {@code log}. */
    @FunctionalInterface
    interface Starter {
        DaemonProcess start(int i, Path config, Path log) throws IOException;
    }

    /** {@code drctl run -c CONFIG --daemon-id dI}: three daemons on one host need an id each. */
    static final Starter DRCTL_RUN = (i, config, log) -> DaemonProcess.start(List.of(Drctl.class.getName(), "run", "-c",
            config.toString(), "--daemon-id", "d" + i), log, Map.of(), true);

    /** The ensemble, the topology and three daemons, led and having recorded a round: the config file. */
    private Path threeDaemons() throws Exception {
        return threeDaemons(false, DRCTL_RUN);
    }

    /** @param thirdViaProxy the third daemon reaches the primary through {@link #proxy} only */
    private Path threeDaemons(boolean thirdViaProxy, Starter starter) throws Exception {
        long t0 = System.nanoTime();
        ensemble = dir.resolve("zk");
        connect = script("start", ensemble.toString());
        ensembleMillis = (System.nanoTime() - t0) / 1_000_000;
        topology = LocalTopology.builder(Engine.POSTGRESQL).replicas(2).dir(dir.resolve("topology")).start();
        var config = topology.configFile();
        Files.writeString(config, Files.readString(config) + "coordination: { zookeeper: \"" + connect
                + "\", namespace: drctl-it, session-timeout: 4s }\n");
        spec = ConfigLoader.load(config).coordination().orElseThrow();
        var cluster = topology.clusterName();
        var third = config;
        if (thirdViaProxy) {
            var primary = topology.node(topology.primary());
            proxy = FaultProxy.start("daemon-3-to-primary", primary.host(), primary.port());
            third = dir.resolve("daemon-3.yaml");
            var text = Files.readString(config);
            var direct = ", port: " + primary.port() + ",";
            assertThat(text).contains(direct);
            Files.writeString(third, text.replace(direct, ", port: " + proxy.port() + ","));
        }
        for (int i = 1; i <= 3; i++) {
            var d = starter.start(i, i == 3 ? third : config, dir.resolve("daemon-" + i + ".log"));
            daemons.add(d);
            assertThat(d.alive()).as(d.log()).isTrue();
        }
        Await.until("three live daemons and a leader of " + cluster, Duration.ofSeconds(60), () -> {
            var v = ClusterLeadership.read(spec, List.of(cluster), Duration.ofSeconds(2));
            return v.liveDaemons().size() == 3 && v.leader(cluster).isPresent();
        });
        var started = Instant.now();
        Await.until("the daemons recorded a round of " + topology.primary(), Duration.ofSeconds(30),
                () -> DaemonFailoverIT.memory(config).lastPositionAt()
                        .filter(t -> !t.isBefore(started.minusSeconds(1))).isPresent());
        return config;
    }

    @Test
    void threeDaemonsOneFailover() throws Exception {
        var config = threeDaemons();
        var cluster = topology.clusterName();
        var old = topology.primary();
        // Status shows the leader and the live daemons.
        Await.until("every daemon published its view of " + cluster, Duration.ofSeconds(30),
                () -> ClusterLeadership.readObservations(spec, cluster, Duration.ofSeconds(2)).size() == 3);
        var status = CliRun.of("status", "-c", config.toString());
        assertThat(status.out()).as(status.all()).contains("coordination: ZooKeeper " + connect
                        + ", 3 live daemon(s): d1, d2, d3").contains(cluster + ": led by d")
                .contains("d1 sees ").contains("d2 sees ").contains("d3 sees ");
        var json = new com.fasterxml.jackson.databind.ObjectMapper().readTree(CliRun.of("status", "-c",
                config.toString(), "-o", "json").out()).path("coordination");
        assertThat(json.path("liveDaemons")).as(json.toString()).hasSize(3);
        var led = json.path("leaders").get(0);
        assertThat(led.path("cluster").asText()).isEqualTo(cluster.value());
        assertThat(led.path("daemon").asText()).as(json.toString()).matches("d[123]");
        assertThat(led.path("token").asLong()).isPositive();
        assertThat(led.path("views")).hasSize(3);
        // /metrics of every daemon: three live, one leader with its token, and only that daemon leading.
        Await.until("every daemon's /metrics agree on one leader of " + cluster, Duration.ofSeconds(30), () -> {
            var leading = 0;
            var tokens = new java.util.HashSet<Double>();
            for (var d : daemons) {
                var m = metrics(d);
                var labels = Map.of("cluster", cluster.value());
                if (m.value("drctl_zookeeper_connected", Map.of()).orElse(0.0) != 1.0
                        || m.value("drctl_daemons_live", Map.of()).orElse(0.0) != 3.0
                        || m.value("drctl_observer_quorum_needed_daemons", labels).orElse(0.0) != 2.0) {
                    return false;
                }
                leading += m.value("drctl_cluster_leading", labels).orElse(0.0).intValue();
                m.value("drctl_cluster_leadership_token", labels).ifPresent(tokens::add);
            }
            return leading == 1 && tokens.size() == 1 && tokens.iterator().next() > 0;
        });

        // A fourth daemon under an id a live daemon has: refused, saying which and what to do, journaled.
        var twin = CliRun.of("run", "-c", config.toString(), "--daemon-id", "d2");
        assertThat(twin.exit()).as(twin.all()).isEqualTo(3);
        assertThat(twin.err()).contains("daemon id \"d2\" is already used by another live daemon on " + connect)
                .contains("pid " + daemons.get(1).pid()).contains("--daemon-id");
        assertThat(CliRun.journal(config)).filteredOn(e -> e.kind() == JournalKind.DECISION
                && e.actor().value().equals("daemon:d2") && e.payloadTree().path("decision").asText().equals("refused"))
                .as("the twin's refusal").hasSize(1);

        long killed = System.nanoTime();
        topology.kill(old);
        try {
            Await.until("a daemon failed over", Duration.ofSeconds(120),
                    () -> DaemonFailoverIT.daemonRun(config, RunKind.FAILOVER).isPresent());
        } catch (AssertionError e) {
            // The daemons' logs as they are at the deadline (read before the wait, they ended at the kill).
            throw new AssertionError(e.getMessage() + logs(), e);
        }
        long failedOverMillis = (System.nanoTime() - killed) / 1_000_000;
        var finished = DaemonFailoverIT.daemonRun(config, RunKind.FAILOVER).orElseThrow();
        var run = RunRecord.fromJson(finished.payloadTree());
        assertThat(run.status()).as(run.summary()).isEqualTo(RunStatus.SUCCEEDED);
        var promoted = run.newPrimary().orElseThrow();

        // Every daemon looks at the new primary and sees it healthy: after that, nobody has anything left to do.
        Await.until("every daemon sees " + promoted + " as the healthy primary", Duration.ofSeconds(60),
                () -> CliRun.journal(config).stream().anyMatch(e -> e.kind() == JournalKind.RUN_FINISHED)
                        && healthyEverywhere(spec, cluster));
        var journal = CliRun.journal(config);
        var failovers = journal.stream().filter(e -> e.kind() == JournalKind.RUN_STARTED)
                .filter(e -> RunRecord.fromJson(e.payloadTree()).kind() == RunKind.FAILOVER)
                .map(e -> e.runId().orElseThrow()).distinct().toList();
        assertThat(failovers).as("exactly one failover run").containsExactly(run.runId());
        var intents = journal.stream().filter(e -> e.kind() == JournalKind.STEP_INTENT
                && e.runId().orElse("").equals(run.runId())).toList();
        assertThat(intents).isNotEmpty().allSatisfy(e -> {
            assertThat(e.payloadTree().path("leadershipToken").asLong()).as(e.payload()).isPositive();
            assertThat(e.payloadTree().path("leader").asText()).isEqualTo(run.actor().value());
        });
        var token = intents.getFirst().payloadTree().path("leadershipToken").asLong();
        assertThat(intents).extracting((JournalEntry e) -> e.payloadTree().path("leadershipToken").asLong())
                .containsOnly(token);
        var actors = journal.stream().filter(e -> e.kind() == JournalKind.STEP_INTENT).map(e -> e.actor().value())
                .distinct().toList();
        assertThat(actors).as("one daemon acted").containsExactly(run.actor().value());
        System.out.printf("3 daemons, ZooKeeper ensemble started in %d ms; kill -9 of %s → failover by %s (token %d) "
                + "finished after %d ms, %s promoted%n", ensembleMillis, old, run.actor(), token, failedOverMillis,
                promoted);
        var verify = CliRun.of("audit", "verify", "-c", config.toString());
        assertThat(verify.exit()).as(verify.all()).isZero();
    }

    /**
     * One daemon cut off from the primary only (a fault proxy): it publishes its minority view, the others see the
     * primary healthy, no failover. Then the whole ensemble down: no daemon can count the others, so none acts; each journals (and pages) once that it
     * is cut off; a person's {@code drctl failover} (which takes the store lock, not ZooKeeper) still works.
     */
    @Test
    void minorityViewThenEnsembleDownNoDaemonActsEachPagesOnceManualFailoverWorks() throws Exception {
        var config = threeDaemons(true, DRCTL_RUN);
        var cluster = topology.clusterName();
        var old = topology.primary();
        var policy = ConfigLoader.load(config).clusters().getFirst().failover();
        var enough = policy.failureWindow().plus(policy.probeInterval().multipliedBy(5));

        // One daemon cut off from the primary only: it says so, the two others see it healthy; no quorum, no failover.
        proxy.refuse();
        proxy.cutExisting();
        Await.until("one daemon's minority view of " + cluster, Duration.ofSeconds(60),
                () -> minority(cluster).isPresent());
        var first = minority(cluster).orElseThrow();
        // Rounds of the isolated daemon spanning the failure window and more: time for a failover, were it allowed.
        Await.until("the isolated daemon published its minority view for " + enough, Duration.ofSeconds(60),
                () -> minority(cluster).filter(at -> !at.isBefore(first.plus(enough))).isPresent());
        assertThat(DaemonFailoverIT.daemonRun(config, RunKind.FAILOVER)).as("no quorum, no failover" + logs()).isEmpty();
        var status = CliRun.of("status", "-c", config.toString());
        assertThat(status.out()).as("the isolated daemon's minority view, in status: " + status.all())
                .contains("d3 sees ").doesNotContain("d3 sees healthy").doesNotContain("d3 sees replica problems");
        proxy.pass();

        // The whole ensemble down.
        script("stop", ensemble.toString());
        ensemble = null;
        Await.until("each daemon journaled that it is cut off from ZooKeeper", Duration.ofSeconds(60),
                () -> cutOff(config).size() == 3);

        topology.kill(old);
        // Long enough for any daemon that could act to have failed over: the failure window and a few rounds more.
        Await.until("the daemons recorded the primary failing for " + enough, Duration.ofSeconds(60),
                () -> DaemonFailoverIT.memory(config).firstFailureAt().filter(t -> t.plus(enough)
                        .isBefore(Instant.now())).isPresent());
        assertThat(DaemonFailoverIT.daemonRun(config, RunKind.FAILOVER)).as("no daemon failed over" + logs()).isEmpty();

        var manual = CliRun.of("failover", cluster.value(), "-c", config.toString());
        assertThat(manual.exit()).as(manual.all()).isZero();
        var journal = CliRun.journal(config);
        assertThat(journal.stream().filter(e -> e.kind() == JournalKind.STEP_INTENT).map(e -> e.actor().value()))
                .as("only the person acted").isNotEmpty().noneMatch(a -> a.startsWith("daemon:"));
        assertThat(cutOff(config)).as("each daemon paged once").hasSize(3).doesNotHaveDuplicates();
        for (var d : daemons) {
            assertThat(d.alive()).as(d.log()).isTrue();
        }
    }

    /**
     * The leading daemon killed (SIGKILL) mid-failover, right after its promotion: another daemon takes the
     * leadership once the dead daemon's session expires, records its newer term in the store, finds the run unfinished
     * and completes it from the journal under its own token. One run, one promotion.
     */
    @Test
    void theLeaderKilledMidFailoverIsSucceededAndTheRunCompletesOnceFromTheJournal() throws Exception {
        var marker = dir.resolve("crash-point.marker");
        var config = threeDaemons(false, (i, cfg, log) -> DaemonProcess.start(List.of(
                CoordinatedCrashingDaemon.class.getName(), cfg.toString(), marker.toString(), "d" + i), log, Map.of(),
                true));
        var cluster = topology.clusterName();
        topology.kill(topology.primary());
        try {
            Await.until("the leader promoted and reached its crash point", Duration.ofSeconds(120),
                    () -> Files.exists(marker));
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + logs(), e);
        }
        var crashPoint = CliRun.journal(config).stream().filter(e -> e.kind() == JournalKind.STEP_INTENT
                && e.payloadTree().path("step").asText().equals("crash-point")).findFirst().orElseThrow();
        var oldLeader = crashPoint.actor().value();
        long oldToken = crashPoint.payloadTree().path("leadershipToken").asLong();
        var runId = crashPoint.runId().orElseThrow();
        assertThat(oldLeader).matches("daemon:d[123]");
        var victim = daemons.get(Integer.parseInt(oldLeader.substring("daemon:d".length())) - 1);
        var killedAt = Instant.now();
        victim.kill();

        try {
            Await.until("another daemon completed the failover", Duration.ofSeconds(120),
                    () -> DaemonFailoverIT.daemonRun(config, RunKind.FAILOVER).isPresent());
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + logs(), e);
        }
        var finished = DaemonFailoverIT.daemonRun(config, RunKind.FAILOVER).orElseThrow();
        var run = RunRecord.fromJson(finished.payloadTree());
        assertThat(run.status()).as(run.summary()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(run.runId()).isEqualTo(runId);
        assertThat(finished.payloadTree().path("resumed").asBoolean()).isTrue();
        var newLeader = finished.actor().value();
        assertThat(newLeader).matches("daemon:d[123]").isNotEqualTo(oldLeader);

        var journal = CliRun.journal(config);
        assertThat(journal.stream().filter(e -> e.kind() == JournalKind.RUN_STARTED)
                .filter(e -> RunRecord.fromJson(e.payloadTree()).kind() == RunKind.FAILOVER)
                .map(e -> e.runId().orElseThrow()).distinct()).as("one failover run").containsExactly(runId);
        var mine = journal.stream().filter(e -> e.runId().orElse("").equals(runId)).toList();
        assertThat(mine).filteredOn(e -> e.kind() == JournalKind.STEP_INTENT
                && e.payloadTree().path("step").asText().equals("promote")).as("promoted once").hasSize(1)
                .allSatisfy(e -> assertThat(e.actor().value()).isEqualTo(oldLeader));
        assertThat(mine).filteredOn(e -> e.kind() == JournalKind.RUN_STARTED).extracting(e -> e.actor().value())
                .as("started by the old leader, resumed by the new one").containsExactly(oldLeader, newLeader);
        // The new term began in the store before the new leader acted: its token is newer, on every intent it wrote.
        var term = journal.stream().filter(e -> e.kind() == JournalKind.DECISION && e.actor().value().equals(newLeader)
                && e.payloadTree().path("decision").asText().equals("leads")
                && !e.at().isBefore(killedAt.minusSeconds(1))).findFirst().orElseThrow(() -> new AssertionError(
                "the new leader's term in the journal" + logs()));
        long newToken = term.payloadTree().path("leadershipToken").asLong();
        assertThat(newToken).isGreaterThan(oldToken);
        var resumedIntents = mine.stream().filter(e -> e.kind() == JournalKind.STEP_INTENT
                && e.actor().value().equals(newLeader)).toList();
        assertThat(resumedIntents).as("the resumed steps").isNotEmpty().allSatisfy(e -> {
            assertThat(e.payloadTree().path("leadershipToken").asLong()).isEqualTo(newToken);
            assertThat(e.payloadTree().path("leader").asText()).isEqualTo(newLeader);
            assertThat(e.seq()).isGreaterThan(term.seq());
        });
        assertThat(resumedIntents.getFirst().payloadTree().path("step").asText()).isEqualTo("crash-point");
        assertThat(mine).filteredOn(e -> e.kind() == JournalKind.STEP_INTENT && e.actor().value().equals(oldLeader))
                .as("the old leader's intents").allSatisfy(e -> assertThat(e.payloadTree().path("leadershipToken")
                        .asLong()).isEqualTo(oldToken));
        var live = ClusterLeadership.read(spec, List.of(cluster), Duration.ofSeconds(2)).liveDaemons();
        assertThat(live).as("the killed daemon's session expired").hasSize(2)
                .doesNotContain(oldLeader.substring("daemon:".length()));
        System.out.printf("leader %s (token %d) killed mid-failover; %s led %d ms later (token %d, session timeout "
                + "%d ms) and completed run %s%n", oldLeader, oldToken, newLeader,
                Duration.between(killedAt, term.at()).toMillis(), newToken, spec.sessionTimeout().toMillis(), runId);
        var verify = CliRun.of("audit", "verify", "-c", config.toString());
        assertThat(verify.exit()).as(verify.all()).isZero();
    }

    /**
     * When the one daemon that sees no writable primary of {@code cluster} published that view, while the two others
     * see one; empty when the views are not split so.
     */
    private Optional<Instant> minority(dev.drctl.topology.ClusterName cluster) {
        var views = ClusterLeadership.readObservations(spec, cluster, Duration.ofSeconds(2));
        var minority = views.stream().filter(o -> !(o.verdict().equals("Healthy")
                || o.verdict().equals("ReplicaProblems"))).toList();
        return views.size() == 3 && minority.size() == 1 ? Optional.of(minority.getFirst().at()) : Optional.empty();
    }

    /** The daemons that journaled "cut off from ZooKeeper", one element per entry. */
    private static List<String> cutOff(Path config) {
        return CliRun.journal(config).stream().filter(e -> e.kind() == JournalKind.DECISION)
                .filter(e -> e.payloadTree().path("coordination").isTextual()
                        && e.payloadTree().path("decision").asText().equals("not acting"))
                .map(e -> e.actor().value()).toList();
    }

    private static final java.util.regex.Pattern ENDPOINT =
            java.util.regex.Pattern.compile("/health and /metrics on (http://\\S+)");

    /** The daemon's /metrics now (its endpoint from its log: the testenv config listens on a free port). */
    private static dev.drctl.cli.daemon.PromTextAccess metrics(DaemonProcess d) {
        var m = ENDPOINT.matcher(d.log());
        assertThat(m.find()).as(d.log()).isTrue();
        try (var http = java.net.http.HttpClient.newHttpClient()) {
            var request = java.net.http.HttpRequest.newBuilder(java.net.URI.create(m.group(1)).resolve("/metrics"))
                    .timeout(Duration.ofSeconds(20)).build();
            return dev.drctl.cli.daemon.PromTextAccess.parse(http.send(request,
                    java.net.http.HttpResponse.BodyHandlers.ofString()).body());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /** What the daemons said, without the libraries' chatter: for a failure's message. */
    private String logs() {
        var sb = new StringBuilder();
        for (int i = 0; i < daemons.size(); i++) {
            sb.append("\n--- daemon ").append(i + 1).append(":\n");
            daemons.get(i).log().lines().filter(l -> l.contains(" INFO ") || l.contains(" WARN ") || l.contains(" ERROR "))
                    .filter(l -> !l.contains("ZooKeeper - Client environment"))
                    .forEach(l -> sb.append(l, 0, Math.min(l.length(), 400)).append('\n'));
        }
        return sb.toString();
    }

    /** Every live daemon's published verdict of {@code cluster} has a writable primary (the old one stays down). */
    private static boolean healthyEverywhere(CoordinationSpec spec, dev.drctl.topology.ClusterName cluster) {
        CoordinationView v = ClusterLeadership.read(spec, List.of(cluster), Duration.ofSeconds(2));
        if (v.liveDaemons().size() != 3) {
            return false;
        }
        return ClusterLeadership.readObservations(spec, cluster, Duration.ofSeconds(2)).stream()
                .filter(o -> o.verdict().equals("Healthy") || o.verdict().equals("ReplicaProblems")).count() == 3;
    }
}
