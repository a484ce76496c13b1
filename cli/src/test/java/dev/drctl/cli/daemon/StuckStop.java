package dev.drctl.cli.daemon;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;

/**
 * A child JVM for {@link DaemonSignalsIT}: installs the SIGTERM hook with a daemon whose stop never returns (bound
 * 1 s, grace 1 s), and the SIGHUP handler printing a line; says {@code ready} and waits for signals.
 */
public final class StuckStop {
    private StuckStop() {
    }

    public static void main(String[] args) {
        DaemonSignals.onTerminate(bound -> {
            System.out.println("stop asked, bound " + bound.toMillis() + " ms; never returning");
            System.out.flush();
            while (true) {
                LockSupport.park();
            }
        }, Duration.ofSeconds(1), Duration.ofSeconds(1));
        DaemonSignals.onHangup(() -> {
            System.out.println("reload asked");
            System.out.flush();
        });
        System.out.println("ready");
        System.out.flush();
        while (true) {
            LockSupport.park();
        }
    }
}
