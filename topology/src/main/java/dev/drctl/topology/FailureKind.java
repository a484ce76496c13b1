package dev.drctl.topology;

/** Why a probe got no answer. Only REFUSED and TIMEOUT say anything about a server being down. */
public enum FailureKind {
    /** The connection was refused or reset: nothing listens, or the host is down. */
    REFUSED,
    /** No answer within the probe timeout: a hung server, a black hole, or a partition. */
    TIMEOUT,
    /** The server answered but rejected drctl's credentials: it is up. */
    AUTH,
    /**
     * The server answered that it has no connection slot free ("too many connections": MySQL/MariaDB 1040, SQLSTATE
     * 08004; PostgreSQL 53300): it is up, overloaded. Overload is not death (DESIGN mistake 1), and a primary in this
     * state must be fenced, never skipped as unreachable.
     */
    BUSY,
    /** Anything else; the detail says what. */
    OTHER;

    /** Whether a server answered at all (it is alive, whatever it said): proof of life for analysis and fencing. */
    public boolean serverAnswered() {
        return switch (this) {
            case AUTH, BUSY -> true;
            case REFUSED, TIMEOUT, OTHER -> false;
        };
    }
}
