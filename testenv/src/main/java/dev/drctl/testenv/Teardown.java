package dev.drctl.testenv;

/**
 * The part of closing a topology that is the same whatever runs its servers: it happens once (close is idempotent
 * and also run at JVM exit), the exit hook goes, and the fault proxies stop before the servers do. The hook is there
 * so that no server or container outlives a test that never closed its topology.
 */
public final class Teardown {
    private final FaultLinks links;
    private Thread exitHook;
    private volatile boolean begun;

    public Teardown(FaultLinks links) {
        this.links = links;
    }

    /** Runs {@code close} (in a thread named {@code name}) when the JVM exits before the topology is closed. */
    public synchronized void atExit(String name, Runnable close) {
        exitHook = new Thread(close, name);
        Runtime.getRuntime().addShutdownHook(exitHook);
    }

    /**
     * Begins the teardown: releases the exit hook (unless it is what runs now) and stops the fault proxies.
     *
     * @return false when it has begun already, and the caller has nothing left to do
     */
    public boolean begin() {
        Thread hook;
        synchronized (this) {
            if (begun) {
                return false;
            }
            begun = true;
            hook = exitHook;
        }
        if (hook != null && Thread.currentThread() != hook) {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // the JVM is shutting down and the hook runs (or ran) this close
            }
        }
        links.close();
        return true;
    }

    /** The teardown did not finish (a server would not stop): a later close tries again. */
    public void failed() {
        begun = false;
    }

    /** Whether the topology is closed or closing. */
    public boolean begun() {
        return begun;
    }
}
