package dev.drctl.cli.daemon;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

/**
 * How {@code drctl run} answers the signals an init system sends.
 *
 * <p><b>SIGTERM</b> (and SIGINT, Ctrl-C): the JVM's shutdown sequence runs a hook that asks the daemon to stop within
 * {@link #STOP_BOUND}: probing ends, a runbook step in flight finishes or is parked at its next step boundary (its
 * intent is journaled, so the next start resumes it), the endpoint closes. Should stopping overrun the bound by
 * {@link #HALT_GRACE}, the process halts anyway: it exits within {@link #EXIT_BOUND} of the signal in every case.
 * The exit status after SIGTERM is 143 (128 + 15), which the systemd unit counts as a clean stop.
 *
 * <p><b>SIGHUP</b>: the config is reloaded ({@link ConfigReload}) on a thread of its own, never on the signal
 * dispatcher's, so a slow reload cannot delay another signal.
 */
public final class DaemonSignals {
    private static final Logger LOG = LoggerFactory.getLogger(DaemonSignals.class);
    /** What the daemon is given to stop: longer than a probe round and a journal write, shorter than systemd's wait. */
    public static final Duration STOP_BOUND = Duration.ofSeconds(20);
    /** After the stop bound, this much more before the process halts without waiting further. */
    public static final Duration HALT_GRACE = Duration.ofSeconds(5);
    /** From SIGTERM to the process's exit, at most (the documented bound; TimeoutStopSec in the unit is above it). */
    public static final Duration EXIT_BOUND = STOP_BOUND.plus(HALT_GRACE);

    /** The daemon's stop: returns once stopped, or when the bound has passed. */
    @FunctionalInterface
    public interface Stoppable {
        void stop(Duration bound);
    }

    private DaemonSignals() {
    }

    /**
     * Installs the SIGTERM hook. The returned thread is the registered hook (tests and the daemon's own exit path may
     * remove it with {@link Runtime#removeShutdownHook}).
     */
    public static Thread onTerminate(Stoppable daemon) {
        return onTerminate(daemon, STOP_BOUND, HALT_GRACE);
    }

    static Thread onTerminate(Stoppable daemon, Duration bound, Duration grace) {
        Objects.requireNonNull(daemon, "daemon");
        var hook = new Thread(() -> {
            long start = System.nanoTime();
            var watchdog = Thread.ofPlatform().daemon().name("drctl-stop-watchdog").start(() -> {
                try {
                    Thread.sleep(bound.plus(grace));
                    LOG.error("stop overran its bound of {} s; halting now", bound.plus(grace).toSeconds());
                    Runtime.getRuntime().halt(1);
                } catch (InterruptedException e) {
                    // stopped in time
                }
            });
            LOG.info("stopping (signal): the running step finishes or is parked; at most {} s", bound.toSeconds());
            try {
                daemon.stop(bound);
                LOG.info("stopped in {} ms", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
            } catch (RuntimeException e) {
                LOG.error("stopping failed: {}", e.toString());
            } finally {
                watchdog.interrupt();
            }
        }, "drctl-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        return hook;
    }

    /**
     * Reloads on SIGHUP. Returns false where the JVM does not let a program handle SIGHUP (then {@code drctl reload}
     * still works through the endpoint).
     */
    public static boolean onHangup(Runnable reload) {
        Objects.requireNonNull(reload, "reload");
        var runner = Executors.newSingleThreadExecutor(Thread.ofPlatform().daemon().name("drctl-reload").factory());
        try {
            Signal.handle(new Signal("HUP"), s -> runner.execute(() -> {
                try {
                    reload.run();
                } catch (RuntimeException e) {
                    LOG.error("reload on SIGHUP failed: {}", e.toString());
                }
            }));
            return true;
        } catch (IllegalArgumentException e) {
            // SIGHUP is reserved by the VM when it was started with -Xrs, or on a platform without it
            LOG.warn("SIGHUP cannot be handled here ({}); use drctl reload", e.getMessage());
            runner.shutdown();
            return false;
        }
    }
}
