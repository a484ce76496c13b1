package dev.drctl.cli;

import dev.drctl.compliance.RunRecord;
import dev.drctl.dns.DnsProvider;
import dev.drctl.dns.DnsProviders;
import dev.drctl.dns.HostResolver;
import dev.drctl.dns.WriterRecord;
import dev.drctl.probes.ProbeScheduler;
import dev.drctl.runbooks.RunListener;
import dev.drctl.runbooks.SwitchoverRunbook;
import dev.drctl.runbooks.drill.DrillErrorCode;
import dev.drctl.runbooks.drill.RealCluster;
import dev.drctl.topology.ClusterSpec;
import dev.drctl.topology.DrctlConfig;
import dev.drctl.topology.DrctlException;
import dev.drctl.topology.NodeName;
import dev.drctl.topology.NodeSpec;
import dev.drctl.topology.ProbeOutcome;
import dev.drctl.topology.Role;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import java.util.Properties;

/**
 * The real configured cluster for a game day ({@code environment: cluster}): the switchover is {@code drctl
 * switchover}'s own runbook session (journaled as that operator's or daemon's SWITCHOVER run), the primary is what
 * one probe round sees, and connections use the cluster's configured credentials.
 */
final class GameDayCluster implements RealCluster {
    private final DrctlConfig config;
    private final ClusterSpec cluster;
    private final Host host;
    private final ProbeScheduler probes;
    private final Optional<DnsProvider> dns;

    private GameDayCluster(DrctlConfig config, ClusterSpec cluster, Host host) {
        this.config = config;
        this.cluster = cluster;
        this.host = host;
        this.probes = new ProbeScheduler(List.of(cluster), host.environment(), host.clock());
        this.dns = cluster.dns().map(d -> DnsProviders.forSpec(d, host.environment(), HostResolver.system(),
                host.clock()));
    }

    static RealCluster.Opener opener(Host host) {
        return (config, cluster) -> new GameDayCluster(config, cluster, host);
    }

    @Override
    public Connection connect(NodeName node) {
        var spec = cluster.node(node).orElseThrow(() -> new DrctlException(DrillErrorCode.ENVIRONMENT, "no node "
                + node + " in " + cluster.name()));
        var props = new Properties();
        props.setProperty("user", cluster.credentials().user());
        cluster.credentials().password().ifPresent(p -> props.setProperty("password", p.resolve(host.environment())));
        try {
            Connection c = switch (cluster.engine()) {
                case POSTGRESQL -> {
                    props.setProperty("connectTimeout", "2");
                    props.setProperty("socketTimeout", "5");
                    props.setProperty("ApplicationName", "drctl-drill");
                    yield new org.postgresql.Driver().connect("jdbc:postgresql://" + spec.address() + "/postgres",
                            props);
                }
                case MARIADB, MYSQL -> {
                    props.setProperty("connectTimeout", "2000");
                    props.setProperty("socketTimeout", "5000");
                    props.setProperty("allowPublicKeyRetrieval", "true");
                    yield new com.mysql.cj.jdbc.Driver().connect("jdbc:mysql://" + spec.address() + "/", props);
                }
            };
            if (c == null) {
                throw new SQLException("the driver refused the address " + spec.address());
            }
            return c;
        } catch (SQLException e) {
            throw new DrctlException(DrillErrorCode.ENVIRONMENT, "cannot connect to " + node + " of " + cluster.name()
                    + ": " + e.getMessage());
        }
    }

    @Override
    public NodeName primary() {
        var round = probes.probeOnce(cluster);
        var primaries = cluster.nodes().stream().map(n -> n.name()).filter(n -> round.latest(n)
                .map(o -> o.outcome() instanceof ProbeOutcome.Reached r && r.role() == Role.PRIMARY && r.writable())
                .orElse(false)).toList();
        if (primaries.size() != 1) {
            throw new DrctlException(DrillErrorCode.ENVIRONMENT, "a game day needs one writable primary in "
                    + cluster.name() + "; a probe round sees " + (primaries.isEmpty() ? "none" : primaries));
        }
        return primaries.getFirst();
    }

    /**
     * The node the record names: the provider's own note of it where it keeps one (the file provider), else the one
     * node whose record would hold exactly the values read; empty when none or several do, or the read fails.
     */
    @Override
    public Optional<NodeName> writerRecord() {
        if (dns.isEmpty()) {
            return Optional.empty();
        }
        var provider = dns.get();
        try {
            var noted = provider.writerNode();
            if (noted.isPresent()) {
                return noted;
            }
            var values = provider.readWriter().map(WriterRecord::values);
            if (values.isEmpty()) {
                return Optional.empty();
            }
            var named = cluster.nodes().stream().filter(n -> provider.writerFor(n).values().equals(values.get()))
                    .map(NodeSpec::name).toList();
            return named.size() == 1 ? Optional.of(named.getFirst()) : Optional.empty();
        } catch (RuntimeException e) {
            return Optional.empty(); // the writer keeps its node; the switchover's return moves it anyway
        }
    }

    @Override
    public RunRecord switchover(Optional<NodeName> to) {
        try (var session = RunbookSession.open(config, cluster, host)) {
            var result = session.engine.run(session.withSwitchoverDnsSteps(SwitchoverRunbook.create(session.probes,
                    session.promoter, session.store, session::rejoinContext, SwitchoverCommand.CATCH_UP)), cluster,
                    SwitchoverRunbook.request(to), RunListener.none());
            return session.store.runs().find(result.runId()).orElseThrow(() -> new DrctlException(
                    DrillErrorCode.ENVIRONMENT, "switchover " + result.runId() + " left no run record: "
                    + result.summary()));
        }
    }

    @Override
    public void close() {
        try {
            probes.close();
        } finally {
            dns.ifPresent(DnsProvider::close);
        }
    }
}
