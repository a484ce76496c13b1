package dev.drctl.notifiers;

import java.util.Locale;
import java.util.List;

/**
 * What a notification tells, in the names operators already know (and {@code notifications.routes} uses).
 * Each kind has a plain-text and an HTML template ({@code templates/<template()>.txt|.html}) and the
 * audiences it goes to when {@code routes} does not name it.
 */
public enum NotificationKind {
    /** A failover began: the verdict and its evidence, the candidate. */
    FAILOVER_STARTED(Severity.CRITICAL, List.of(Audiences.DBA)),
    /** A failover finished: old → new primary, epoch, RTO split, RPO estimate, DNS. */
    FAILOVER_COMPLETED(Severity.OK, List.of(Audiences.DBA, Audiences.COMPLIANCE, Audiences.MANAGEMENT)),
    /** A failover stopped part-way: which step, what state it left, what to do. */
    FAILOVER_FAILED(Severity.CRITICAL, List.of(Audiences.DBA, Audiences.COMPLIANCE, Audiences.MANAGEMENT)),
    /** The promoted node did not pass verification (e.g. still read-only): DNS untouched, no retry. */
    FAILOVER_VERIFICATION_FAILED(Severity.CRITICAL, List.of(Audiences.DBA, Audiences.COMPLIANCE, Audiences.MANAGEMENT)),
    /** A safety rule refused an automatic failover: a human must decide. */
    FAILOVER_BLOCKED(Severity.CRITICAL, List.of(Audiences.DBA, Audiences.COMPLIANCE)),
    /** A planned switchover finished. */
    SWITCHOVER_COMPLETED(Severity.OK, List.of(Audiences.DBA)),
    /** A drill met its targets. */
    DRILL_PASSED(Severity.OK, List.of(Audiences.DBA, Audiences.COMPLIANCE)),
    /** A drill failed or missed a target. */
    DRILL_FAILED(Severity.WARNING, List.of(Audiences.DBA, Audiences.COMPLIANCE)),
    /** No successful drill within {@code drill-every}, or an incident unresolved past {@code notify-within}. */
    COMPLIANCE_OVERDUE(Severity.WARNING, List.of(Audiences.DBA, Audiences.COMPLIANCE)),
    /** A replica's stream broke, it is unreachable or lags past max-lag (started), or that ended (cleared). */
    REPLICA_PROBLEM(Severity.WARNING, List.of(Audiences.DBA)),
    /** drctl itself hit a failure someone must look at. */
    EXCEPTION(Severity.CRITICAL, List.of(Audiences.DBA)),
    /** {@code drctl notify test}: goes to every configured audience; not routable. */
    TEST(Severity.OK, List.of());

    /** How the message is coloured and flagged. */
    public enum Severity {
        OK,
        WARNING,
        CRITICAL
    }

    private final Severity severity;
    private final List<String> defaultAudiences;

    NotificationKind(Severity severity, List<String> defaultAudiences) {
        this.severity = severity;
        this.defaultAudiences = defaultAudiences;
    }

    public Severity severity() {
        return severity;
    }

    /** The audiences this kind goes to when {@code notifications.routes} does not name it. */
    public List<String> defaultAudiences() {
        return defaultAudiences;
    }

    /** The template base name, e.g. {@code failover-completed}. */
    public String template() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** The audience names of the built-in routing. */
    static final class Audiences {
        static final String DBA = "dba";
        static final String COMPLIANCE = "compliance";
        static final String MANAGEMENT = "management";

        private Audiences() {
        }
    }
}
