package dev.drctl.runbooks.drill;

import java.time.Duration;

/** What a drill tells whoever watches it run (a terminal shows it live); every method may be a no-op. */
public interface DrillProgress {
    /** A phase began: provision, watch, write, inject, observe, measure, tear down. */
    default void phase(String name, String detail) {
    }

    /** About once a second while the workload runs. */
    default void tick(String phase, Duration elapsed, double writesPerSecond, long acknowledged, long failed) {
    }

    DrillProgress NONE = new DrillProgress() {
    };
}
