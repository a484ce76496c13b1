package dev.drctl.testenv;

import dev.drctl.topology.ClusterSpec;
import dev.drctl.topology.ComplianceSpec;
import dev.drctl.topology.DnsSpec;
import dev.drctl.topology.NodeSpec;
import java.time.Duration;
import java.util.Locale;

/**
 * Renders a topology's {@link ClusterSpec} as a drctl config file in DESIGN.md's format, so the YAML a user reads
 * and the records a test uses are the same thing.
 */
public final class ConfigFile {
    private ConfigFile() {
    }

    public static String render(ClusterSpec cluster, ComplianceSpec compliance, String header) {
        var y = new StringBuilder();
        header.lines().forEach(l -> y.append("# ").append(l).append('\n'));
        y.append("clusters:\n");
        y.append("  - name: ").append(quote(cluster.name().value())).append('\n');
        y.append("    engine: ").append(cluster.engine().configName()).append('\n');
        y.append("    credentials: { user: ").append(quote(cluster.credentials().user()));
        cluster.credentials().password().ifPresent(p -> y.append(", password: ").append(quote(p.reference())));
        y.append(" }\n");
        cluster.replication().ifPresent(r -> {
            y.append("    replication: { user: ").append(quote(r.user()));
            r.password().ifPresent(p -> y.append(", password: ").append(quote(p.reference())));
            y.append(" }\n");
        });
        if (!cluster.fenceCommand().isEmpty()) {
            y.append("    fence-command: ").append(list(cluster.fenceCommand())).append('\n');
        }
        y.append("    nodes:\n");
        for (NodeSpec n : cluster.nodes()) {
            y.append("      - { name: ").append(quote(n.name().value()))
                    .append(", host: ").append(quote(n.host()))
                    .append(", port: ").append(n.port())
                    .append(", region: ").append(quote(n.region()));
            if (n.priority() != 0) {
                y.append(", priority: ").append(n.priority());
            }
            if (n.noFailover()) {
                y.append(", no-failover: true");
            }
            y.append(" }\n");
        }
        var f = cluster.failover();
        y.append("    failover:\n");
        y.append("      mode: ").append(f.mode().name().toLowerCase(Locale.ROOT).replace('_', '-')).append('\n');
        y.append("      probe-interval: ").append(duration(f.probeInterval())).append('\n');
        y.append("      probe-timeout: ").append(duration(f.probeTimeout())).append('\n');
        y.append("      failure-threshold: ").append(f.failureThreshold()).append('\n');
        y.append("      failure-window: ").append(duration(f.failureWindow())).append('\n');
        y.append("      max-lag: { bytes: ").append(f.maxLagBytes()).append(", seconds: ")
                .append(f.maxLagTime().toSeconds()).append(" }\n");
        if (!f.preferRegions().isEmpty()) {
            y.append("      prefer-regions: ").append(list(f.preferRegions())).append('\n');
        }
        if (!f.allowedRegions().isEmpty()) {
            y.append("      allowed-regions: ").append(list(f.allowedRegions())).append('\n');
        }
        y.append("      cooldown: ").append(duration(f.cooldown())).append('\n');
        cluster.dns().ifPresent(d -> y.append("    dns: ").append(dns(d)).append('\n'));
        y.append("compliance:\n");
        y.append("  store: ").append(quote(compliance.store())).append('\n');
        y.append("  time-zone: ").append(compliance.timeZone().getId()).append('\n');
        return y.toString();
    }

    private static String dns(DnsSpec d) {
        var s = new StringBuilder("{ provider: ").append(d.provider().name().toLowerCase(Locale.ROOT));
        d.file().ifPresent(f -> s.append(", file: ").append(quote(f.toString())));
        s.append(", record: ").append(quote(d.record()))
                .append(", type: ").append(d.type())
                .append(", ttl: ").append(d.ttl()).append(" }");
        return s.toString();
    }

    /** The config's duration syntax: the largest unit that divides exactly ({@code 10m}, {@code 3s}, {@code 800ms}). */
    static String duration(Duration d) {
        long ms = d.toMillis();
        if (ms != 0 && ms % 3_600_000 == 0) return ms / 3_600_000 + "h";
        if (ms != 0 && ms % 60_000 == 0) return ms / 60_000 + "m";
        if (ms != 0 && ms % 1_000 == 0) return ms / 1_000 + "s";
        return ms + "ms";
    }

    private static String list(java.util.List<String> items) {
        return items.stream().map(ConfigFile::quote).collect(java.util.stream.Collectors.joining(", ", "[", "]"));
    }

    /** A YAML double-quoted scalar. */
    public static String quote(String s) {
        return '"' + s.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
    }
}
