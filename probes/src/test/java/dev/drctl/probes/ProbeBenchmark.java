package dev.drctl.probes;

import dev.drctl.testenv.LocalTopology;
import dev.drctl.topology.Engine;
import dev.drctl.topology.NodeObservation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Probe throughput and latency against a real local topology: a benchmark program, not a test.
 *
 * <pre>
 * java -cp … dev.drctl.probes.ProbeBenchmark [postgresql|mariadb] [probes=2000] [concurrency=16] [results-file]
 * </pre>
 * Starts a primary and two replicas with testenv, warms the pools, then runs {@code probes} probes spread
 * over the three nodes with {@code concurrency} callers at once, and prints probes per second and the
 * latency percentiles of successful probes; appends one line to the results file when given.
 */
public final class ProbeBenchmark {
    private ProbeBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        var engine = Engine.valueOf((args.length > 0 ? args[0] : "postgresql").toUpperCase(Locale.ROOT));
        int probes = args.length > 1 ? Integer.parseInt(args[1]) : 2000;
        int concurrency = args.length > 2 ? Integer.parseInt(args[2]) : 16;
        var results = args.length > 3 ? Path.of(args[3]) : null;
        var dir = Files.createTempDirectory("drctl-probe-bench");
        try (var topology = LocalTopology.builder(engine).replicas(2).dir(dir).start();
             var probe = Probe.forCluster(topology.clusterSpec(), Map.of(), Clock.systemUTC());
             var callers = Executors.newVirtualThreadPerTaskExecutor()) {
            var nodes = topology.clusterSpec().nodes();
            for (var n : nodes) {
                probe.probe(n); // warm: pools, classes, JIT of the common path
            }
            long start = System.nanoTime();
            var futures = new ArrayList<Future<List<NodeObservation>>>();
            for (int c = 0; c < concurrency; c++) {
                int caller = c;
                futures.add(callers.submit(() -> {
                    var mine = new ArrayList<NodeObservation>();
                    for (int i = caller; i < probes; i += concurrency) {
                        mine.add(probe.probe(nodes.get(i % nodes.size())));
                    }
                    return mine;
                }));
            }
            var all = new ArrayList<NodeObservation>();
            for (var f : futures) {
                all.addAll(f.get());
            }
            var elapsed = Duration.ofNanos(System.nanoTime() - start);
            var micros = new ArrayList<Long>();
            long failed = 0;
            for (var o : all) {
                if (o.reached()) {
                    micros.add(o.latency().toNanos() / 1000);
                } else {
                    failed++;
                }
            }
            Collections.sort(micros);
            double perSecond = all.size() / (elapsed.toNanos() / 1e9);
            var line = String.format(Locale.ROOT,
                    "probe-benchmark engine=%s probes=%d concurrency=%d elapsed_ms=%d probes_per_s=%.0f failed=%d "
                            + "latency_us p50=%d p90=%d p99=%d max=%d",
                    engine.configName(), all.size(), concurrency, elapsed.toMillis(), perSecond, failed,
                    pct(micros, 50), pct(micros, 90), pct(micros, 99), micros.isEmpty() ? 0 : micros.getLast());
            System.out.println(line);
            if (results != null) {
                Files.writeString(results, line + System.lineSeparator(), java.nio.file.StandardOpenOption.CREATE,
                        java.nio.file.StandardOpenOption.APPEND);
            }
        }
    }

    private static long pct(List<Long> sorted, int p) {
        if (sorted.isEmpty()) {
            return 0;
        }
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p / 100.0 * sorted.size()) - 1));
    }
}
