package dev.drctl.cli.daemon;

import dev.drctl.compliance.StateStore;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Is the state store answering? One read of the outbox counts (which {@code /metrics} needs anyway), bounded in
 * time: a black-holed PostgreSQL store would otherwise hold the check for the store's socket timeout (30 s).
 */
public final class StoreCheck {
    /** Well under a readiness probe's usual timeout, well over a healthy store's answer (milliseconds). */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(3);

    private final StateStore store;
    private final Clock clock;
    private final Duration timeout;

    public StoreCheck(StateStore store, Clock clock, Duration timeout) {
        this.store = Objects.requireNonNull(store, "store");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.timeout = Objects.requireNonNull(timeout, "timeout");
    }

    public DaemonView.StoreStatus check() {
        var now = clock.instant();
        var read = Executors.newVirtualThreadPerTaskExecutor();
        try {
            var stats = read.submit(() -> store.outbox().stats(now)).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return new DaemonView.StoreStatus(store.description(), true, now, Optional.empty(), Optional.of(stats));
        } catch (TimeoutException e) {
            return down(now, "no answer within " + timeout.toMillis() + " ms");
        } catch (ExecutionException e) {
            // The store's messages name the redacted URL and the driver's words, never a password.
            var cause = e.getCause() == null ? e : e.getCause();
            return down(now, cause.getMessage() == null ? cause.getClass().getSimpleName() : clip(cause.getMessage()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return down(now, "check interrupted");
        } finally {
            // shutdownNow: a read still stuck in the driver is interrupted rather than waited for.
            read.shutdownNow();
        }
    }

    private DaemonView.StoreStatus down(java.time.Instant now, String why) {
        return new DaemonView.StoreStatus(store.description(), false, now, Optional.of(why), Optional.empty());
    }

    private static String clip(String s) {
        var one = s.strip().replace('\n', ' ');
        return one.length() > 300 ? one.substring(0, 300) + "…" : one;
    }
}
