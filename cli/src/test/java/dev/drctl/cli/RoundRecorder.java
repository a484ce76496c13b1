package dev.drctl.cli;

import dev.drctl.compliance.ConfiguredSecrets;
import dev.drctl.compliance.StateStore;
import dev.drctl.probes.ProbeScheduler;
import dev.drctl.testenv.Topology;
import dev.drctl.topology.ClusterMemory;
import dev.drctl.topology.ConfigLoader;
import dev.drctl.topology.NodeName;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
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
    private final Topology topology;

    RoundRecorder(Topology topology) {
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

    /**
     * Kills {@code node} (the primary) while rounds are recorded, as a running daemon would record them: the store
     * then holds its last position, seen within a probe round of the kill, and its first failure after it. A command
     * run later measures the loss against that position instead of refusing it as unknown.
     */
    static void killWatched(Topology topology, NodeName node) throws InterruptedException {
        var wait = Duration.ofSeconds(60);
        // The store truncates instants; a sighting from before this call must not count as a fresh one.
        var from = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        try (var recorder = new RoundRecorder(topology)) {
            Await.until("a round recorded with " + node + " writable", wait, () -> {
                var m = recorder.memory();
                return m.lastPrimary().map(node::equals).orElse(false)
                        && m.lastPositionAt().map(at -> !at.isBefore(from)).orElse(false);
            });
            topology.kill(node);
            Await.until("the first failure of " + node + " recorded", wait,
                    () -> recorder.memory().firstFailureAt().isPresent());
        }
    }

    ClusterMemory memory() {
        if (failure.get() != null) {
            throw new AssertionError("recording failed", failure.get());
        }
        return store.memory(topology.clusterSpec().name());
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.join(30_000);
        scheduler.close();
        store.close();
    }
}
