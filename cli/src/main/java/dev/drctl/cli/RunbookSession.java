package dev.drctl.cli;

import dev.drctl.compliance.StateStore;
import dev.drctl.dns.DnsProvider;
import dev.drctl.dns.DnsProviders;
import dev.drctl.dns.HostResolver;
import dev.drctl.probes.ProbeScheduler;
import dev.drctl.promotion.ActionOutcome;
import dev.drctl.promotion.Promoter;
import dev.drctl.promotion.Promoters;
import dev.drctl.promotion.RejoinContext;
import dev.drctl.runbooks.DnsSteps;
import dev.drctl.runbooks.FailoverRunbook;
import dev.drctl.runbooks.FenceRunbook;
import dev.drctl.runbooks.FenceLadder;
import dev.drctl.runbooks.Runbook;
import dev.drctl.runbooks.RunbookEngine;
import dev.drctl.runbooks.RunbookErrorCode;
import dev.drctl.testenv.LocalTopology;
import dev.drctl.topology.ClusterSpec;
import dev.drctl.topology.DrctlConfig;
import dev.drctl.topology.DrctlException;
import dev.drctl.topology.NodeName;
import dev.drctl.topology.NodeSpec;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * What a failover, switchover or rejoin command works with, opened once and closed together: the cluster's spec, the
 * state store, a probe scheduler (not started: the runbook takes its own rounds), the engine's promoter, and the
 * engine acting as {@code user:<OS user>}.
 */
final class RunbookSession implements AutoCloseable {
    /** How long a local PostgreSQL rejoin (stop, pg_rewind, start, streaming) may take. */
    static final Duration REJOIN_TIMEOUT = Duration.ofMinutes(3);
    /** How long a cluster's fence-command may run before it is killed and counted as failed. */
    static final Duration FENCE_COMMAND_TIMEOUT = Duration.ofSeconds(30);

    final DrctlConfig config;
    final ClusterSpec cluster;
    final StateStore store;
    final ProbeScheduler probes;
    final Promoter promoter;
    final RunbookEngine engine;
    /** Present when a notification channel is configured: the engine announces through it. */
    private final Optional<RunDelivery> delivery;
    /** The cluster's DNS provider, empty without a {@code dns:} section. */
    final Optional<DnsProvider> dns;
    final Duration dnsTimeout;
    /** Whether the store and probes are this session's to close (a command's), or the daemon's, shared by its runs. */
    private final boolean ownsStoreAndProbes;

    private RunbookSession(DrctlConfig config, ClusterSpec cluster, StateStore store, ProbeScheduler probes,
                           Promoter promoter, RunbookEngine engine, Optional<RunDelivery> delivery,
                           Optional<DnsProvider> dns, Duration dnsTimeout, boolean ownsStoreAndProbes) {
        this.ownsStoreAndProbes = ownsStoreAndProbes;
        this.config = config;
        this.cluster = cluster;
        this.store = store;
        this.probes = probes;
        this.promoter = promoter;
        this.engine = engine;
        this.delivery = delivery;
        this.dns = dns;
        this.dnsTimeout = dnsTimeout;
    }

    /**
     * The failover runbook with its DNS steps, as every failover runs it: a person's command takes a burst of
     * {@code probeRounds} rounds to confirm the outage; the daemon, whose probe history already confirms it, one.
     */
    Runbook failover(int probeRounds) {
        return withDnsSteps(FailoverRunbook.create(probes, probeRounds, promoter, store, this::fenceLadder));
    }

    /** The fence runbook with this cluster's fence ladder. */
    Runbook fence() {
        return FenceRunbook.create(probes, this::fenceLadder);
    }

    /** The failover runbook with its DNS steps. */
    Runbook withDnsSteps(Runbook failover) {
        return DnsSteps.failover(failover, dns, probes, dnsTimeout);
    }

    /** The switchover runbook with its DNS steps. */
    Runbook withSwitchoverDnsSteps(Runbook switchover) {
        return DnsSteps.switchover(switchover, dns, probes, dnsTimeout);
    }

    static ClusterSpec cluster(DrctlConfig config, String name) {
        return ConfigOption.cluster(config, name);
    }

    static NodeName node(ClusterSpec cluster, String name) {
        var node = new NodeName(name);
        if (cluster.node(node).isEmpty()) {
            throw new DrctlException(RunbookErrorCode.UNKNOWN_NAME, "no node named '" + name + "' in cluster "
                    + cluster.name() + "; its nodes: " + cluster.nodes().stream().map(n -> n.name().value())
                    .collect(Collectors.joining(", ")));
        }
        return node;
    }

    static RunbookSession open(DrctlConfig config, ClusterSpec cluster, Host host) {
        StateStore store = null;
        ProbeScheduler probes = null;
        Optional<DnsProvider> dns = Optional.empty();
        try {
            var dnsTimeout = DnsSteps.timeout(host.environment());
            dns = cluster.dns().map(d -> DnsProviders.forSpec(d, host.environment(), HostResolver.system(), host.clock()));
            store = AuditCommand.open(config, host);
            probes = new ProbeScheduler(List.of(cluster), host.environment(), host.clock());
            var promoter = Promoters.forCluster(cluster, host.environment());
            var engine = new RunbookEngine(store, config.compliance().store(), host.clock(), AuditCommand.user(host))
                    .withConfigFile(config.source());
            var delivery = RunDelivery.start(config, store, host);
            if (delivery.isPresent()) {
                engine = engine.announcing(delivery.get().announcements());
            }
            return new RunbookSession(config, cluster, store, probes, promoter, engine, delivery, dns, dnsTimeout, true);
        } catch (RuntimeException e) {
            dns.ifPresent(DnsProvider::close);
            if (probes != null) {
                probes.close();
            }
            if (store != null) {
                store.close();
            }
            throw e;
        }
    }

    /**
     * A session for one run of the daemon: the store, the (started) probe scheduler and the engine are the daemon's
     * and stay open after the run; the promoter and the DNS provider are this run's.
     */
    static RunbookSession attach(DrctlConfig config, ClusterSpec cluster, Host host, StateStore store,
                                 ProbeScheduler probes, RunbookEngine engine) {
        var dnsTimeout = DnsSteps.timeout(host.environment());
        Optional<DnsProvider> dns = cluster.dns().map(d -> DnsProviders.forSpec(d, host.environment(),
                HostResolver.system(), host.clock()));
        try {
            var promoter = Promoters.forCluster(cluster, host.environment());
            return new RunbookSession(config, cluster, store, probes, promoter, engine, Optional.empty(), dns,
                    dnsTimeout, false);
        } catch (RuntimeException e) {
            dns.ifPresent(DnsProvider::close);
            throw e;
        }
    }

    /**
     * How a node's server may be reached for a rejoin: a node of the testenv topology this config belongs to is a
     * server drctl started on this machine (pg_rewind runs here); any other node is remote (SQL, or the commands for an
     * operator to run on its host).
     */
    RejoinContext rejoinContext(NodeName node) {
        return localTopology(node).map(topology -> {
            var files = topology.serverFiles(node);
            return new RejoinContext(Optional.of(new RejoinContext.LocalServer(files.dataDir(), files.programs(),
                    files.osUser(), files.log())), REJOIN_TIMEOUT);
        }).orElseGet(() -> RejoinContext.remote(REJOIN_TIMEOUT));
    }

    /**
     * The fence ladder of this cluster: the SQL fence, then for a node of the testenv topology this config belongs
     * to (a server drctl started here) what makes its fence survive a restart, then the cluster's fence-command.
     */
    FenceLadder fenceLadder(ClusterSpec spec) {
        return new FenceLadder(promoter, spec, node -> localTopology(node).map(LocalServerHold::new),
                FENCE_COMMAND_TIMEOUT);
    }

    /** The hold of a server drctl started on this machine: its files are drctl's to write. */
    private record LocalServerHold(LocalTopology topology) implements FenceLadder.LocalHold {
        @Override
        public ActionOutcome hold(NodeSpec node) {
            try {
                return new ActionOutcome.Done(topology.holdReadOnly(node.name()));
            } catch (DrctlException e) {
                return new ActionOutcome.Failed(e.getMessage(), true);
            }
        }

        @Override
        public ActionOutcome holdWhileDown(NodeSpec node) {
            try {
                return new ActionOutcome.Done(topology.holdWhileDown(node.name()));
            } catch (DrctlException e) {
                return new ActionOutcome.Failed(e.getMessage(), true);
            }
        }
    }

    /** The testenv topology {@code node}'s server belongs to, when this config is a testenv's and the node is in it. */
    private Optional<LocalTopology> localTopology(NodeName node) {
        var dir = Optional.ofNullable(config.source().toAbsolutePath().getParent());
        if (dir.isPresent() && LocalTopology.recordedIn(dir.get())) {
            var topology = LocalTopology.attach(dir.get());
            var spec = cluster.node(node);
            boolean same = topology.clusterName().equals(cluster.name()) && spec.isPresent()
                    && topology.nodes().stream().anyMatch(n -> n.name().equals(node) && n.port() == spec.get().port());
            if (same) {
                return Optional.of(topology);
            }
        }
        return Optional.empty();
    }

    @Override
    public void close() {
        try {
            delivery.ifPresent(RunDelivery::close);
            promoter.close();
        } finally {
            try {
                if (ownsStoreAndProbes) {
                    probes.close();
                }
            } finally {
                try {
                    dns.ifPresent(DnsProvider::close);
                } finally {
                    if (ownsStoreAndProbes) {
                        store.close();
                    }
                }
            }
        }
    }
}
