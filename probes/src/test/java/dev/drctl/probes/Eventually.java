package dev.drctl.probes;

import java.time.Duration;
import java.util.function.Supplier;

/** Waits for a condition with a deadline, polling; the failure names what was awaited and what was last seen. */
final class Eventually {
    private Eventually() {
    }

    /** Polls {@code probe} until {@code done} accepts its value; returns that value. */
    static <T> T await(String what, Duration limit, Supplier<T> probe, java.util.function.Predicate<T> done) {
        long deadline = System.nanoTime() + limit.toNanos();
        T last;
        do {
            last = probe.get();
            if (done.test(last)) {
                return last;
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while waiting for " + what);
            }
        } while (System.nanoTime() < deadline);
        throw new AssertionError("gave up after " + limit.toSeconds() + " s waiting for " + what + "; last seen: " + last);
    }
}
