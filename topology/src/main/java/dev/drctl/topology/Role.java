package dev.drctl.topology;

/** What a server says it is: a writable primary, or a replica replaying from another node. */
public enum Role {
    PRIMARY,
    REPLICA
}
