package dev.drctl.runbooks.drill;

import dev.drctl.topology.DrillSpec;

/** What a correct drctl does about an injected failure (DESIGN.md, "Scenarios every release must pass"). */
public enum Expectation {
    /** The best replica promoted, DNS moved, writes resume on it: judged against the RTO and RPO targets. */
    PROMOTED("a failover: promotion, DNS moved, writes resume on the new primary"),
    /** Nothing promoted at all (drctl partitioned, a brief blip). */
    NO_FAILOVER("no failover: nothing promoted"),
    /** The failover refused by the RPO guard and humans paged. */
    REFUSED("refused by the RPO guard, humans paged"),
    /** At most one failover (anti-flapping). */
    AT_MOST_ONE_FAILOVER("at most one failover, then the cooldown"),
    /** A failover, and the old primary kept fenced when it returns: never two writers. */
    PROMOTED_AND_FENCED("a failover, and the returning old primary stays fenced: never two writers"),
    /** The game day: a planned switchover to the best replica and back, writes paused briefly, nothing lost. */
    SWITCHED_OVER_AND_BACK("a planned switchover to the best replica and back: writes pause briefly, nothing is lost");

    private final String sentence;

    Expectation(String sentence) {
        this.sentence = sentence;
    }

    public String sentence() {
        return sentence;
    }

    public static Expectation of(DrillSpec.Failure failure) {
        return switch (failure) {
            case KILL_PRIMARY, STOP_PRIMARY, ISOLATE_PRIMARY, HANG_PRIMARY, SMTP_DOWN, ROUTE53_ERRORS -> PROMOTED;
            case PARTITION_DRCTL, BLIP -> NO_FAILOVER;
            case LAG_REPLICA -> REFUSED;
            case FLAP_PRIMARY -> AT_MOST_ONE_FAILOVER;
            case OLD_PRIMARY_RETURNS -> PROMOTED_AND_FENCED;
            case SWITCHOVER, NONE -> SWITCHED_OVER_AND_BACK;
        };
    }
}
