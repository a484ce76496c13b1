package dev.drctl.probes;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A wall-clock-versus-expected check: a virtual thread sleeps {@code tick} at a time for as long as the
 * round runs, and every wake-up later than asked is time drctl lost — to a host that did not schedule
 * it, a GC or safepoint pause (which stops every thread, so the ticker sees it too), or carrier threads
 * busy elsewhere. The probes' own start delays count as well: the larger of the two is the stall.
 * Running on a virtual thread like the probes is deliberate: what delays the ticker delays them.
 */
final class TickingStallMeter implements StallMeter {
    /** A wake-up this much late is ordinary timer slack, not a stall. */
    private static final long SLACK_NANOS = TimeUnit.MILLISECONDS.toNanos(2);

    private final long tickNanos;

    TickingStallMeter(Duration tick) {
        this.tickNanos = tick.toNanos();
    }

    @Override
    public Watch start() {
        var lost = new AtomicLong();
        var longest = new AtomicLong();
        var delayed = new AtomicLong();
        var ticker = Thread.ofVirtual().name("drctl-stall-meter").start(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                long before = System.nanoTime();
                try {
                    TimeUnit.NANOSECONDS.sleep(tickNanos);
                } catch (InterruptedException e) {
                    return;
                }
                long late = System.nanoTime() - before - tickNanos;
                if (late > SLACK_NANOS) {
                    lost.addAndGet(late);
                    longest.accumulateAndGet(late, Math::max);
                }
            }
        });
        return new Watch() {
            @Override
            public void scheduled(Duration delay) {
                delayed.accumulateAndGet(delay.toNanos(), Math::max);
            }

            @Override
            public Stall stop() {
                ticker.interrupt();
                try {
                    ticker.join();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                long worstStart = delayed.get();
                return new Stall(Duration.ofNanos(Math.max(lost.get(), worstStart)),
                        Duration.ofNanos(Math.max(longest.get(), worstStart)));
            }
        };
    }
}
