package dev.drctl.topology;

/** Why a probe got no answer. Only REFUSED and TIMEOUT say anything about a server being down. */
public enum FailureKind {
    /** The connection was refused or reset: nothing listens, or the host is down. */
    REFUSED,
    /** No answer within the probe timeout: a hung server, a black hole, or a partition. */
    TIMEOUT,
    /** The server answered but rejected drctl's credentials: it is up. */
    AUTH,
    /** Anything else; the detail says what. */
    OTHER
}
