package dev.drctl.runbooks;

import java.util.Locale;

/**
 * Who started a run: a person (a command) or the daemon. Kept as a run fact (its lower-case name) so a resumed run
 * keeps it; every decision that depends on it switches over this type, never over the text.
 */
public enum Trigger {
    /** A person ran a command: no cooldown, and they may accept data loss or assert a death. */
    MANUAL,
    /** The daemon decided on its own: the mode and the cooldown apply, nothing can be accepted or asserted. */
    AUTOMATIC;

    /** The run fact's value. */
    public String fact() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The trigger a run's facts record; a run that records none was started by a person. */
    public static Trigger of(RunFacts facts) {
        return facts.get(RunFacts.TRIGGER).map(v -> valueOf(v.toUpperCase(Locale.ROOT))).orElse(MANUAL);
    }
}
