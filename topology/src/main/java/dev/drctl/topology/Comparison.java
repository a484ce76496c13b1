package dev.drctl.topology;

/** How one data position relates to another. */
public enum Comparison {
    AHEAD,
    EQUAL,
    BEHIND,
    /** Different timelines or GTID sets where neither contains the other: no order exists. */
    INCOMPARABLE
}
