package dev.drctl.dns;

import dev.drctl.topology.ClusterName;
import java.util.Objects;

/**
 * Why a record is being changed: named in the provider's change comment (Route53 {@code Comment}, the exec
 * provider's environment, the file's JSON) so a person reading the DNS change history finds the journal entry.
 *
 * @param epoch the fencing epoch of the primary the record now points at
 * @param runId the failover/switchover run or {@code dns sync} journal run that asked for the change
 */
public record ChangeOrigin(ClusterName cluster, long epoch, String runId) {
    private static final int ROUTE53_COMMENT_MAX = 256;

    public ChangeOrigin {
        Objects.requireNonNull(cluster, "cluster");
        Objects.requireNonNull(runId, "runId");
    }

    /** {@code drctl: cluster payments epoch 7 run 0b9c…}, at most 256 characters (Route53's limit). */
    public String comment() {
        var text = "drctl: cluster " + cluster.value() + " epoch " + epoch + " run " + runId;
        return text.length() <= ROUTE53_COMMENT_MAX ? text : text.substring(0, ROUTE53_COMMENT_MAX);
    }
}
