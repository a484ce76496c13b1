package dev.drctl.cli;

import dev.drctl.compliance.ConfiguredSecrets;
import dev.drctl.compliance.StateStore;
import dev.drctl.probes.ProbeScheduler;
import dev.drctl.testenv.LocalTopology;
import dev.drctl.topology.ClusterMemory;
import dev.drctl.topology.ConfigLoader;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * What the daemon will do between commands, for a test: probe the cluster every probe-interval and record each round
 * in the config's store ({@link StateStore#recordRound}), so a command run after a kill -9 finds the primary's last
 * position and the start of the outage.
 */
final class RoundRecorder implements AutoCloseable {
    private final StateStore store;
    private final ProbeScheduler scheduler;
    private final Thread thread;
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private volatile boolean running = true;
    private final LocalTopology topology;

    RoundRecorder(LocalTopology topology) {
        this.topology = topology;
        var cfg = ConfigLoader.load(topology.configFile());
        this.store = StateStore.open(cfg.compliance(), Clock.systemUTC(), ConfiguredSecrets.resolvable(cfg, Map.of()));
        var spec = topology.clusterSpec();
        this.scheduler = new ProbeScheduler(List.of(spec), Map.of(), Clock.systemUTC());
        long interval = spec.failover().probeInterval().toMillis();
        this.thread = Thread.ofPlatform().daemon().name("round-recorder").start(() -> {
            try {
                while (running) {
                    store.recordRound(scheduler.probeOnce(spec));
                    // A pacing interval, as the daemon's: nothing waits on it.
                    TimeUnit.MILLISECONDS.sleep(interval);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException e) {
                failure.set(e);
            }
        });
    }

    ClusterMemory memory() {
        if (failure.get() != null) {
            throw new AssertionError("recording failed", failure.get());
        }
        return store.memory(topology.clusterName());
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.join(30_000);
        scheduler.close();
        store.close();
    }
}
