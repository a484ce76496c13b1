package dev.drctl.compliance;

import java.time.Instant;
import java.util.Objects;

/**
 * The fencing token of one leadership term of a cluster (issue 13), as the store checks and records it: a daemon
 * that leads a cluster through ZooKeeper carries its term's token on every acting step, and the store refuses a token
 * older than the newest it recorded for that cluster.
 *
 * @param value  monotonic per cluster across leadership terms (the latch node's creation zxid)
 * @param holder who leads in that term, e.g. {@code daemon:mum-1}; for messages and the table
 */
public record LeadershipToken(long value, String holder) {
    public LeadershipToken {
        Objects.requireNonNull(holder, "holder");
        if (value <= 0) {
            throw new IllegalArgumentException("a leadership token is positive, not " + value);
        }
    }

    /** What the store answered to a token. */
    public sealed interface Check {
        /** The token is the newest (or equal to it: the same term acting again); it is now the recorded one. */
        record Accepted(LeadershipToken token) implements Check {
            public Accepted {
                Objects.requireNonNull(token, "token");
            }
        }

        /**
         * A newer term was recorded: the caller's leadership is over, whatever it believes; nothing was written.
         *
         * @param newest the token recorded, with its holder and when
         */
        record Stale(LeadershipToken offered, LeadershipToken newest, Instant recordedAt) implements Check {
            public Stale {
                Objects.requireNonNull(offered, "offered");
                Objects.requireNonNull(newest, "newest");
                Objects.requireNonNull(recordedAt, "recordedAt");
            }

            /** E.g. {@code token 4294967301 of daemon:mum-1 is older than 4294967320 of daemon:hyd-1 (recorded ...)}. */
            public String sentence() {
                return "leadership token " + offered.value() + " of " + offered.holder() + " is older than token "
                        + newest.value() + " of " + newest.holder() + " recorded at " + recordedAt + ": a newer leader "
                        + "has acted on this cluster";
            }
        }
    }
}
