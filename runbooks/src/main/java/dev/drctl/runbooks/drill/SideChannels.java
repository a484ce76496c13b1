package dev.drctl.runbooks.drill;

import dev.drctl.topology.ClusterSpec;
import dev.drctl.topology.DnsSpec;
import dev.drctl.topology.DrctlConfig;
import dev.drctl.topology.NotificationsSpec;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Optional;

/**
 * The environment's config with one side channel pointed at the drill's own stand-in: the email channel at the
 * {@code smtp-down} drill's mail server, the writer record at the {@code route53-errors} drill's Route53 server. The
 * environment's files stay as provisioned; only the actor's config differs.
 */
final class SideChannels {
    /** Every audience the drill's environment mails: nobody real (the {@code .invalid} domain). */
    static final String MAILBOX = "dr-drill@drill.invalid";

    private SideChannels() {
    }

    /** {@code config} with an email channel (no auth, no TLS) to 127.0.0.1:{@code port}, for every audience. */
    static DrctlConfig mailingTo(DrctlConfig config, int port) {
        var n = config.notifications();
        var audiences = new HashMap<>(n.audiences());
        for (var audience : List.of("dba", "compliance", "management")) {
            audiences.put(audience, List.of(MAILBOX));
        }
        var email = new NotificationsSpec.EmailSpec("127.0.0.1", port, false, false, Optional.empty(), Optional.empty(),
                "drctl-drill@drill.invalid");
        return new DrctlConfig(config.source(), config.clusters(), new NotificationsSpec(Optional.of(email), audiences,
                n.webhooks(), n.routes()), config.compliance(), config.drills(), config.coordination(),
                config.automation(), config.daemon());
    }

    /** {@code config} whose first cluster's writer record is {@code dns}. */
    static DrctlConfig withDns(DrctlConfig config, DnsSpec dns) {
        var clusters = new ArrayList<ClusterSpec>(config.clusters());
        var c = clusters.getFirst();
        clusters.set(0, new ClusterSpec(c.name(), c.engine(), c.credentials(), c.nodes(), c.failover(), Optional.of(dns),
                c.replication(), c.fenceCommand()));
        return new DrctlConfig(config.source(), clusters, config.notifications(), config.compliance(), config.drills(),
                config.coordination(), config.automation(), config.daemon());
    }
}
