package dev.drctl.testenv;

import dev.drctl.topology.DrctlException;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * A point in time by which a condition must hold, and the polling that waits for it. Set-up waits on what the
 * servers say (accepting connections, streaming), never on a fixed sleep.
 */
public record Deadline(long atNanos, Duration length) {
    private static final Duration POLL = Duration.ofMillis(50);

    public static Deadline in(Duration length) {
        return new Deadline(System.nanoTime() + length.toNanos(), length);
    }

    public boolean passed() {
        return System.nanoTime() - atNanos >= 0;
    }

    public Duration remaining() {
        return Duration.ofNanos(Math.max(0, atNanos - System.nanoTime()));
    }

    /**
     * Polls {@code probe} until it yields a value; each empty answer may carry the reason the condition does not
     * hold yet, quoted when the deadline passes.
     *
     * @throws DrctlException {@link TestenvErrorCode#NOT_READY} naming {@code what} and the last reason
     */
    public <T> T await(String what, Supplier<Attempt<T>> probe) {
        String last = "never checked";
        while (true) {
            var attempt = probe.get();
            if (attempt.value().isPresent()) {
                return attempt.value().get();
            }
            last = attempt.notYet();
            if (passed()) {
                throw new DrctlException(TestenvErrorCode.NOT_READY,
                        what + ": not ready after " + length.toSeconds() + " s (last: " + last + ")");
            }
            pause();
        }
    }

    private static void pause() {
        try {
            Thread.sleep(POLL);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DrctlException(TestenvErrorCode.NOT_READY, "interrupted while waiting");
        }
    }

    /** One look at a condition: the value once it holds, or why it does not hold yet. */
    public record Attempt<T>(Optional<T> value, String notYet) {
        public static <T> Attempt<T> done(T value) {
            return new Attempt<>(Optional.of(value), "");
        }

        public static Attempt<Boolean> done() {
            return done(Boolean.TRUE);
        }

        public static <T> Attempt<T> notYet(String why) {
            return new Attempt<>(Optional.empty(), why);
        }
    }
}
