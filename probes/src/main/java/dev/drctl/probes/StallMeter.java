package dev.drctl.probes;

import java.time.Duration;

/**
 * Measures how long drctl itself is held back while a probe round runs (see {@link Stall}). A port so
 * that tests give the stall as a value: nothing in a test depends on how busy the machine is.
 */
public interface StallMeter {

    /** Starts watching; the round calls {@link Watch#stop()} when its last probe has returned. */
    Watch start();

    /** One round's measurement. */
    interface Watch {
        /** Reports that a node's probe started {@code delay} after the round submitted it. */
        void scheduled(Duration delay);

        /** Stops watching and says how long drctl was stalled since {@link StallMeter#start()}. */
        Stall stop();
    }

    /** The meter of this JVM: a ticker on a virtual thread, plus the probes' own scheduling delays. */
    static StallMeter ticking() {
        return new TickingStallMeter(Duration.ofMillis(10));
    }
}
