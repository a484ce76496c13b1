package dev.drctl.promotion;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.locks.LockSupport;

/** Waits on a condition with a deadline (tests never sleep a fixed time). */
public final class Eventually {
    private Eventually() {
    }

    /** Polls {@code condition} every 50 ms until it is true; fails with {@code what} and the last error after {@code within}. */
    public static void until(String what, Duration within, Callable<Boolean> condition) {
        long deadline = System.nanoTime() + within.toNanos();
        Exception last = null;
        while (true) {
            try {
                if (condition.call()) {
                    return;
                }
                last = null;
            } catch (Exception e) {
                last = e;
            }
            if (System.nanoTime() - deadline >= 0) {
                throw new AssertionError("not true within " + within.toSeconds() + " s: " + what
                        + (last == null ? "" : " (last error: " + last + ")"));
            }
            LockSupport.parkNanos(Duration.ofMillis(50).toNanos());
        }
    }
}
