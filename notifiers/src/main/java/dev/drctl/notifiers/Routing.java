package dev.drctl.notifiers;

import dev.drctl.topology.NotificationsSpec;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Which audiences hear a kind: {@code notifications.routes} when it names the kind, else the kind's
 * defaults (every kind to dba; failover outcomes, drills and overdue to compliance; completed and failed
 * failovers to management), keeping only audiences that {@code notifications.audiences} defines.
 */
public record Routing(NotificationsSpec spec) {

    /** Audience name → its email addresses, in config order; empty when no configured audience hears the kind. */
    public Map<String, List<String>> recipients(NotificationKind kind) {
        var out = new LinkedHashMap<String, List<String>>();
        for (var audience : audiences(kind)) {
            var addresses = spec.audiences().get(audience);
            if (addresses != null && !addresses.isEmpty()) {
                out.put(audience, addresses);
            }
        }
        return out;
    }

    private List<String> audiences(NotificationKind kind) {
        return switch (kind) {
            case TEST -> spec.audiences().keySet().stream().sorted().toList();
            case FAILOVER_STARTED, FAILOVER_COMPLETED, FAILOVER_FAILED, FAILOVER_VERIFICATION_FAILED, FAILOVER_BLOCKED,
                 SWITCHOVER_COMPLETED, DRILL_PASSED, DRILL_FAILED, COMPLIANCE_OVERDUE, REPLICA_PROBLEM,
                 EXCEPTION -> {
                var routed = spec.routes().get(kind.name());
                if (routed != null) {
                    yield routed;
                }
                yield kind.defaultAudiences();
            }
        };
    }
}
