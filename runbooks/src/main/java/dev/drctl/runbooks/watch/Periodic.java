package dev.drctl.runbooks.watch;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A daemon's background duty done every so often on a virtual thread of its own (first at once), until the returned
 * handle is closed: the drill-compliance check, the daily compliance digest. A failed pass (the store unreachable) is
 * logged and tried again at the next one: a duty that throws must not end the daemon's other work.
 */
public final class Periodic {
    private static final Logger LOG = LoggerFactory.getLogger(Periodic.class);

    private Periodic() {
    }

    /** @param what what the duty does, for the thread name and the log ("drill compliance", "compliance digest") */
    public static AutoCloseable start(String what, Duration every, Runnable duty) {
        var stop = new CountDownLatch(1);
        var thread = Thread.ofVirtual().name("drctl-" + what.replace(' ', '-')).start(() -> {
            try {
                do {
                    try {
                        duty.run();
                    } catch (RuntimeException e) {
                        LOG.warn("{} not done this time: {}", what, e.getMessage());
                    }
                } while (!stop.await(every.toMillis(), TimeUnit.MILLISECONDS));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        return () -> {
            stop.countDown();
            thread.join(Duration.ofSeconds(5));
        };
    }
}
