package dev.drctl.cli.daemon;

import dev.drctl.cli.DaemonRunbooks;
import dev.drctl.cli.Host;
import dev.drctl.testenv.LocalTopology;
import dev.drctl.probes.ProbeScheduler;
import dev.drctl.topology.ClusterHistory;
import dev.drctl.topology.ClusterName;
import dev.drctl.topology.ClusterSpec;
import dev.drctl.topology.DrctlConfig;
import dev.drctl.topology.Engine;
import dev.drctl.topology.FailoverMode;
import dev.drctl.topology.FailoverPolicy;
import dev.drctl.topology.NodeName;
import dev.drctl.topology.NodeSpec;
import dev.drctl.topology.ProbeOutcome;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;
import javax.management.NotificationEmitter;
import javax.management.openmbean.CompositeData;

/**
 * Probe scale: a benchmark program, not a test. The real daemon ({@link Daemon#start}: probe scheduler, probes,
 * detector, stored views; the same code {@code drctl run} runs) watches {@code NODES} node entries at a 1 s probe
 * interval, in clusters of three (a primary and two replicas). Every node entry has an address of its own,
 * 127.0.x.y, and reaches one of a few real servers (a testenv primary and two replicas) that listen on those
 * addresses too; every probe is the real one, speaking the real protocol to a real server.
 *
 * <pre>
 * java [the launcher's JVM flags] -cp cli/target/test-classes:cli/target/drctl.jar \
 *     dev.drctl.cli.daemon.ProbeScaleBenchmark [NODES=1000] [SECONDS=60] [ENGINE=mariadb] [RESULTS=bench/results]
 * </pre>
 *
 * After the daemon has reached every node once (or a warm-up bound), it measures for {@code SECONDS}: the process's
 * CPU time over wall time, heap (peak used, and used after each collection), each probe's latency (p50/p99/max),
 * failed probes, and each cluster's rounds (a round late when it ends more than 1.5 intervals after the previous
 * one; missed rounds counted from such gaps). Prints them, and writes {@code probe-scale-<N>-<UTC time>.json} and
 * {@code .md} into {@code RESULTS}. The clusters are in {@code manual} mode: nothing the daemon concludes may
 * promote the benchmark's own servers. With {@code -Dprobes.only=true} it runs the probe path alone (the scheduler and
 * the probes, no detector and no state store), to split the daemon's cost.
 */
public final class ProbeScaleBenchmark {
    private static final Duration INTERVAL = Duration.ofSeconds(1);
    private static final int REPLICAS = 2;
    /** Probe latency histogram: 50 µs buckets up to 5 s; beyond, the last bucket. */
    private static final long BUCKET_US = 50;
    private static final int BUCKETS = 100_001;

    private final Map<ClusterName, Integer> index = new HashMap<>();
    private final long[] lastRound;
    private final AtomicLongArray latency = new AtomicLongArray(BUCKETS);
    private final LongAdder rounds = new LongAdder();
    private final LongAdder late = new LongAdder();
    private final LongAdder missed = new LongAdder();
    private final LongAdder probes = new LongAdder();
    private final Map<String, LongAdder> failures = new ConcurrentHashMap<>();
    /** A few failure details per kind, to say what failed. */
    private final Map<String, String> failureSamples = new ConcurrentHashMap<>();
    private final Map<NodeName, Boolean> reachedOnce = new ConcurrentHashMap<>();
    private volatile boolean measuring;

    private ProbeScaleBenchmark(List<ClusterSpec> clusters) {
        for (int i = 0; i < clusters.size(); i++) {
            index.put(clusters.get(i).name(), i);
        }
        lastRound = new long[clusters.size()];
    }

    public static void main(String[] args) throws Exception {
        int nodes = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 60;
        var engine = Engine.valueOf((args.length > 2 ? args[2] : "mariadb").toUpperCase(Locale.ROOT));
        var results = Path.of(args.length > 3 ? args[3] : "bench/results");
        int warmUpLimit = Integer.getInteger("warmup.seconds", 180);
        if (nodes < 3 || nodes > 250 * 250 || seconds < 1) {
            System.err.println("probe-scale: NODES must be 3..62500 and SECONDS at least 1 (got " + nodes + ", "
                    + seconds + ")");
            System.exit(2);
        }
        var clusterCount = (nodes + REPLICAS) / (REPLICAS + 1);
        // node k of the benchmark is 127.0.(1 + k / 250).(1 + k % 250); its role (k % 3) names the server it reaches
        var perServer = new ArrayList<List<String>>();
        for (int s = 0; s <= REPLICAS; s++) {
            perServer.add(new ArrayList<>());
        }
        for (int k = 0; k < nodes; k++) {
            perServer.get(k % (REPLICAS + 1)).add(address(k));
        }
        long upStarted = System.nanoTime();
        System.out.printf(Locale.ROOT, "probe-scale: starting a %s primary and %d replicas listening on %d loopback"
                + " addresses...%n", engine.configName(), REPLICAS, nodes);
        try (var topology = LocalTopology.builder(engine).replicas(REPLICAS).listenAlso(perServer)
                .maxConnections(nodes / (REPLICAS + 1) * 2 + 100).readyTimeout(Duration.ofMinutes(5)).start()) {
            System.out.printf(Locale.ROOT, "probe-scale: servers up in %d s%n",
                    Duration.ofNanos(System.nanoTime() - upStarted).toSeconds());
            var base = topology.drctlConfig();
            var template = base.clusters().getFirst();
            var servers = template.nodes();
            var policy = template.failover();
            var manual = new FailoverPolicy(FailoverMode.MANUAL, INTERVAL, policy.probeTimeout(),
                    policy.failureThreshold(), policy.failureWindow(), policy.maxLagBytes(), policy.maxLagTime(),
                    policy.preferRegions(), policy.allowedRegions(), policy.cooldown());
            var clusters = new ArrayList<ClusterSpec>();
            for (int c = 0; c < clusterCount; c++) {
                var entries = new ArrayList<NodeSpec>();
                for (int r = 0; r <= REPLICAS && c * (REPLICAS + 1) + r < nodes; r++) {
                    int k = c * (REPLICAS + 1) + r;
                    var server = servers.get(r);
                    entries.add(new NodeSpec(new NodeName(String.format(Locale.ROOT, "n%05d", k)), address(k),
                            server.port(), server.region(), 0, false));
                }
                clusters.add(new ClusterSpec(new ClusterName(String.format(Locale.ROOT, "c%05d", c)), engine,
                        template.credentials(), entries, manual, template.dns(), template.replication(),
                        template.fenceCommand()));
            }
            var config = new DrctlConfig(base.source(), clusters, base.notifications(), base.compliance(),
                    base.drills(), base.coordination(), base.automation(), base.daemon());
            var bench = new ProbeScaleBenchmark(clusters);
            var host = new Host(Clock.systemUTC(), System.getenv());
            if (Boolean.getBoolean("probes.only")) {
                // The probe path alone (scheduler and probes, no detector, no store): splits the daemon's cost.
                try (var scheduler = new ProbeScheduler(clusters, host.environment(), host.clock())) {
                    scheduler.onRound(bench::round);
                    scheduler.start();
                    bench.run(List::of, "probes only", topology, nodes, clusterCount, seconds, warmUpLimit, engine,
                            results);
                }
                return;
            }
            var start = Daemon.start(config, host, (c, parts) -> {
                parts.probes().onRound(bench::round);
                return DaemonRunbooks.of(c, host, parts.store(), parts.probes(), parts.engine());
            });
            if (!(start instanceof Daemon.Start.Running running)) {
                System.err.println("probe-scale: the daemon did not start: " + start);
                System.exit(1);
                return;
            }
            try (var daemon = running.daemon()) {
                bench.run(daemon::states, "daemon", topology, nodes, clusterCount, seconds, warmUpLimit, engine,
                        results);
            }
        }
    }

    private static String address(int k) {
        return "127.0." + (1 + k / 250) + "." + (1 + k % 250);
    }

    /** A round listener, on the scheduler's thread of the round's cluster. */
    private void round(ClusterHistory round) {
        long now = System.nanoTime();
        for (var node : round.cluster().nodes()) {
            var seen = round.latest(node.name());
            if (seen.isEmpty()) {
                continue;
            }
            var o = seen.get();
            if (o.reached()) {
                reachedOnce.putIfAbsent(node.name(), Boolean.TRUE);
            }
            if (!measuring) {
                continue;
            }
            probes.increment();
            latency.incrementAndGet((int) Math.min(BUCKETS - 1, o.latency().toNanos() / 1000 / BUCKET_US));
            if (o.outcome() instanceof ProbeOutcome.Failed f) {
                failures.computeIfAbsent(f.kind().name(), k -> new LongAdder()).increment();
                failureSamples.putIfAbsent(f.kind().name(), f.detail());
            }
        }
        int i = index.get(round.cluster().name());
        long previous = lastRound[i];
        lastRound[i] = now;
        if (!measuring || previous == 0) {
            return;
        }
        rounds.increment();
        long gap = now - previous;
        if (gap > INTERVAL.toNanos() * 3 / 2) {
            late.increment();
            missed.add(Math.max(0, Math.round((double) gap / INTERVAL.toNanos()) - 1));
        }
    }

    private void run(java.util.function.Supplier<List<dev.drctl.runbooks.watch.WatchState>> states, String what,
                     LocalTopology topology, int nodes, int clusterCount, int seconds, int warmUpLimit, Engine engine,
                     Path results) throws Exception {
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        var memory = ManagementFactory.getMemoryMXBean();
        long warmStart = System.nanoTime();
        while (reachedOnce.size() < nodes && System.nanoTime() - warmStart < Duration.ofSeconds(warmUpLimit).toNanos()) {
            Thread.sleep(500);
        }
        long warmUp = Duration.ofNanos(System.nanoTime() - warmStart).toMillis();
        System.out.printf(Locale.ROOT, "probe-scale: %d of %d nodes reached in %d ms (warm-up); measuring %d s%n",
                reachedOnce.size(), nodes, warmUp, seconds);
        // Heap after collections: what is still live when the collector has run (young collections included, so an
        // upper bound of the live set; the full collection at the end gives the live set itself).
        var afterGc = new java.util.concurrent.atomic.AtomicLong();
        for (var gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            ((NotificationEmitter) gc).addNotificationListener((n, h) -> {
                if (!measuring || !"com.sun.management.gc.notification".equals(n.getType())) {
                    return;
                }
                var info = com.sun.management.GarbageCollectionNotificationInfo.from((CompositeData) n.getUserData());
                long used = info.getGcInfo().getMemoryUsageAfterGc().values().stream()
                        .mapToLong(java.lang.management.MemoryUsage::getUsed).sum();
                afterGc.accumulateAndGet(used, Math::max);
            }, null, null);
        }
        ManagementFactory.getMemoryPoolMXBeans().forEach(java.lang.management.MemoryPoolMXBean::resetPeakUsage);
        long gcCount0 = gcCount();
        long gcTime0 = gcTime();
        double load0 = os.getSystemLoadAverage();
        measuring = true;
        long cpu0 = os.getProcessCpuTime();
        long wall0 = System.nanoTime();
        double worstSecond = 0;
        long cpuPrev = cpu0;
        long wallPrev = wall0;
        int platformThreads = 0;
        // How far behind the detector is: the age of each cluster's last assessed state, sampled each second. The
        // watches take rounds from the probe loops and drop a round not taken before the next, so a detector that
        // cannot keep up shows here, not in the rounds.
        var stateAges = new ArrayList<Long>();
        for (int s = 0; s < seconds; s++) {
            Thread.sleep(1000);
            var now = Instant.now();
            for (var state : states.get()) {
                stateAges.add(Duration.between(state.updatedAt(), now).toMillis());
            }
            long cpu = os.getProcessCpuTime();
            long wall = System.nanoTime();
            worstSecond = Math.max(worstSecond, (double) (cpu - cpuPrev) / (wall - wallPrev));
            cpuPrev = cpu;
            wallPrev = wall;
            platformThreads = Math.max(platformThreads, ManagementFactory.getThreadMXBean().getThreadCount());
        }
        long cpu = os.getProcessCpuTime() - cpu0;
        long wall = System.nanoTime() - wall0;
        measuring = false;
        double load1 = os.getSystemLoadAverage();
        long peakHeap = ManagementFactory.getMemoryPoolMXBeans().stream()
                .filter(p -> p.getType() == MemoryType.HEAP).mapToLong(p -> p.getPeakUsage().getUsed()).sum();
        long gcs = gcCount() - gcCount0;
        long gcMillis = gcTime() - gcTime0;
        long fds = openFiles();
        var connections = connections(topology);
        System.gc();
        long live = memory.getHeapMemoryUsage().getUsed();
        long committed = memory.getHeapMemoryUsage().getCommitted();
        long maxHeap = memory.getHeapMemoryUsage().getMax();

        long expected = Math.round((double) clusterCount * wall / INTERVAL.toNanos());
        var figures = new LinkedHashMap<String, Object>();
        figures.put("benchmark", "probe-scale");
        figures.put("at", DateTimeFormatter.ISO_INSTANT.format(Instant.now()));
        figures.put("what", what);
        figures.put("engine", engine.configName());
        figures.put("nodes", nodes);
        figures.put("clusters", clusterCount);
        figures.put("real_servers", REPLICAS + 1);
        figures.put("probe_interval_ms", INTERVAL.toMillis());
        figures.put("seconds", seconds);
        figures.put("warm_up_ms", warmUp);
        figures.put("nodes_reached_in_warm_up", reachedOnce.size());
        figures.put("cpu_share_of_one_core", round3((double) cpu / wall));
        figures.put("cpu_share_worst_second", round3(worstSecond));
        figures.put("heap_peak_mb", mb(peakHeap));
        figures.put("heap_max_after_gc_mb", mb(afterGc.get()));
        figures.put("heap_live_after_full_gc_mb", mb(live));
        figures.put("heap_committed_mb", mb(committed));
        figures.put("heap_max_mb", mb(maxHeap));
        figures.put("gc_count", gcs);
        figures.put("gc_ms", gcMillis);
        figures.put("probes", probes.sum());
        figures.put("probes_failed", failures.values().stream().mapToLong(LongAdder::sum).sum());
        figures.put("failures_by_kind", failures.entrySet().stream().collect(java.util.stream.Collectors.toMap(
                Map.Entry::getKey, e -> e.getValue().sum())));
        figures.put("latency_p50_ms", percentile(50));
        figures.put("latency_p99_ms", percentile(99));
        figures.put("latency_max_ms", percentile(100));
        figures.put("failure_samples", new LinkedHashMap<>(failureSamples));
        stateAges.sort(null);
        figures.put("detector_state_age_p50_ms", stateAges.isEmpty() ? 0 : stateAges.get(stateAges.size() / 2));
        figures.put("detector_state_age_p99_ms", stateAges.isEmpty() ? 0
                : stateAges.get(Math.min(stateAges.size() - 1, (int) Math.ceil(stateAges.size() * 0.99) - 1)));
        figures.put("detector_state_age_max_ms", stateAges.isEmpty() ? 0 : stateAges.getLast());
        figures.put("rounds", rounds.sum());
        figures.put("rounds_expected", expected);
        figures.put("rounds_late", late.sum());
        figures.put("rounds_missed", missed.sum());
        figures.put("platform_threads_max", platformThreads);
        figures.put("open_files", fds);
        figures.put("server_connections", connections);
        figures.put("load_1m_before", round3(load0));
        figures.put("load_1m_after", round3(load1));
        figures.put("jvm", System.getProperty("java.vm.version") + " " + String.join(" ",
                ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                        .filter(a -> a.startsWith("-XX:+Use") || a.startsWith("-Xm") || a.startsWith("-Xss")
                                || a.startsWith("-XX:Tiered")).toList()));
        figures.put("machine", machine());
        write(figures, results);
    }

    private static long gcCount() {
        return ManagementFactory.getGarbageCollectorMXBeans().stream().mapToLong(g -> Math.max(0, g.getCollectionCount()))
                .sum();
    }

    private static long gcTime() {
        return ManagementFactory.getGarbageCollectorMXBeans().stream().mapToLong(g -> Math.max(0, g.getCollectionTime()))
                .sum();
    }

    private static long openFiles() {
        try (var s = Files.list(Path.of("/proc/self/fd"))) {
            return s.count();
        } catch (java.io.IOException e) {
            return -1;
        }
    }

    /** Client connections each real server holds now (its own threads excluded where the engine says so). */
    private static Map<String, Long> connections(LocalTopology topology) {
        var out = new LinkedHashMap<String, Long>();
        for (var node : topology.nodes()) {
            var sql = topology.engine() == Engine.POSTGRESQL
                    ? "SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'client backend'"
                    : "SELECT variable_value FROM information_schema.global_status WHERE variable_name = 'THREADS_CONNECTED'";
            try (var c = topology.connect(node.name()); var st = c.createStatement(); var rs = st.executeQuery(sql)) {
                rs.next();
                out.put(node.name().value(), rs.getLong(1));
            } catch (SQLException | RuntimeException e) {
                out.put(node.name().value(), -1L);
            }
        }
        return out;
    }

    private double percentile(int p) {
        long total = 0;
        for (int i = 0; i < BUCKETS; i++) {
            total += latency.get(i);
        }
        if (total == 0) {
            return 0;
        }
        long rank = Math.max(1, (long) Math.ceil(p / 100.0 * total));
        long seen = 0;
        for (int i = 0; i < BUCKETS; i++) {
            seen += latency.get(i);
            if (seen >= rank) {
                return (i + 1) * BUCKET_US / 1000.0;
            }
        }
        return BUCKETS * BUCKET_US / 1000.0;
    }

    private static double round3(double v) {
        return Math.round(v * 1000) / 1000.0;
    }

    private static long mb(long bytes) {
        return (bytes + (1 << 19)) >> 20;
    }

    private static Map<String, Object> machine() {
        var m = new LinkedHashMap<String, Object>();
        m.put("cpus", Runtime.getRuntime().availableProcessors());
        try {
            m.put("cpu", Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                    .findFirst().map(l -> l.substring(l.indexOf(':') + 1).strip()).orElse("?"));
            m.put("memory_gb", Files.readAllLines(Path.of("/proc/meminfo")).stream().filter(l -> l.startsWith("MemTotal"))
                    .findFirst().map(l -> Math.round(Long.parseLong(l.replaceAll("\\D", "")) / 1048576.0)).orElse(0L));
        } catch (java.io.IOException e) {
            m.put("cpu", "?");
        }
        m.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version"));
        return m;
    }

    private static void write(Map<String, Object> figures, Path results) throws java.io.IOException {
        var json = json(figures, "");
        var stamp = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC).format(Instant.now());
        var name = "probe-scale-" + figures.get("nodes") + "-" + stamp;
        var md = """
                # Probe scale, %s

                %s: %s nodes (%s clusters of a primary and two replicas; %s real %s servers reached through distinct \
                127.0.x.y addresses), probe interval %s ms, measured %s s after a warm-up of %s ms; JVM %s; \
                1-min load %s → %s.

                | nodes | CPU (share of one core) | worst second | heap peak | heap max after GC | live after full GC \
                | probes | failed | latency p50 / p99 / max | rounds / expected | late | missed |
                | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |
                | %s | %s | %s | %s MB | %s MB | %s MB | %s | %s | %s / %s / %s ms | %s / %s | %s | %s |

                Detector state age (how old each cluster's last assessment was, sampled each second) p50 / p99 / max: \
                %s / %s / %s ms. Platform threads (max): %s; open files: %s; server connections: %s; collections: %s \
                (%s ms); failures by kind: %s, e.g. %s.
                """.formatted(figures.get("at"), figures.get("what"), figures.get("nodes"), figures.get("clusters"),
                figures.get("real_servers"), figures.get("engine"), figures.get("probe_interval_ms"),
                figures.get("seconds"), figures.get("warm_up_ms"), figures.get("jvm"), figures.get("load_1m_before"),
                figures.get("load_1m_after"), figures.get("nodes"), figures.get("cpu_share_of_one_core"),
                figures.get("cpu_share_worst_second"), figures.get("heap_peak_mb"), figures.get("heap_max_after_gc_mb"),
                figures.get("heap_live_after_full_gc_mb"), figures.get("probes"), figures.get("probes_failed"),
                figures.get("latency_p50_ms"), figures.get("latency_p99_ms"), figures.get("latency_max_ms"),
                figures.get("rounds"), figures.get("rounds_expected"), figures.get("rounds_late"),
                figures.get("rounds_missed"), figures.get("detector_state_age_p50_ms"),
                figures.get("detector_state_age_p99_ms"), figures.get("detector_state_age_max_ms"),
                figures.get("platform_threads_max"), figures.get("open_files"),
                figures.get("server_connections"), figures.get("gc_count"), figures.get("gc_ms"),
                figures.get("failures_by_kind"), figures.get("failure_samples"));
        Files.createDirectories(results);
        Files.writeString(results.resolve(name + ".json"), json + "\n");
        Files.writeString(results.resolve(name + ".md"), md);
        System.out.println(json);
        System.out.println(md);
        System.out.println("written: " + results.resolve(name + ".json") + ", " + results.resolve(name + ".md"));
    }

    private static String json(Object value, String indent) {
        return switch (value) {
            case Map<?, ?> m -> {
                var inner = indent + "  ";
                var parts = new ArrayList<String>();
                m.forEach((k, v) -> parts.add(inner + "\"" + k + "\": " + json(v, inner)));
                yield parts.isEmpty() ? "{}" : "{\n" + String.join(",\n", parts) + "\n" + indent + "}";
            }
            case Number n -> n.toString();
            case Boolean b -> b.toString();
            default -> "\"" + value.toString().replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
        };
    }
}
