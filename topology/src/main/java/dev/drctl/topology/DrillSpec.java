package dev.drctl.topology;

import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * A DR drill (config {@code drills:}): which cluster's shape is mirrored on a disposable environment, which failure is
 * injected there, the writer workload that measures what is lost, when it runs, and the targets it is judged against.
 *
 * @param schedule when the daemon runs it; empty: only by hand or an external scheduler ({@code drctl drill run})
 * @param rto      the drill's own RTO target; empty: {@code compliance.targets.rto}
 * @param rpo      the drill's own RPO target; empty: {@code compliance.targets.rpo}
 * @param daemonMayRun whether the daemon runs it on its schedule ({@code daemon-may-run}): always for a disposable
 *                 environment; for {@code environment: cluster} (a switchover on the real cluster) only when the drill
 *                 says so
 */
public record DrillSpec(String name, ClusterName cluster, Optional<DrillSchedule> schedule, Environment environment,
                        Failure failure, Workload workload, Optional<Duration> rto, Optional<Duration> rpo,
                        boolean daemonMayRun) {
    public DrillSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(cluster, "cluster");
        Objects.requireNonNull(schedule, "schedule");
        Objects.requireNonNull(environment, "environment");
        Objects.requireNonNull(failure, "failure");
        Objects.requireNonNull(workload, "workload");
        Objects.requireNonNull(rto, "rto");
        Objects.requireNonNull(rpo, "rpo");
    }

    /** A drill on a disposable environment the daemon may run, or on the real cluster it may not. */
    public DrillSpec(String name, ClusterName cluster, Optional<DrillSchedule> schedule, Environment environment,
                     Failure failure, Workload workload, Optional<Duration> rto, Optional<Duration> rpo) {
        this(name, cluster, schedule, environment, failure, workload, rto, rpo, environment != Environment.CLUSTER);
    }

    /** A drill with the default workload and the compliance targets. */
    public DrillSpec(String name, ClusterName cluster, Optional<DrillSchedule> schedule, Environment environment,
                     Failure failure) {
        this(name, cluster, schedule, environment, failure, Workload.defaults(), Optional.empty(), Optional.empty());
    }

    /** The targets the drill is judged against: its own RTO/RPO where set, else the compliance targets. */
    public ComplianceSpec.Targets targets(ComplianceSpec compliance) {
        var t = compliance.targets();
        return new ComplianceSpec.Targets(rto.orElse(t.rto()), rpo.orElse(t.rpo()), t.drillEvery(), t.notifyWithin());
    }

    /** Where the disposable topology runs. */
    public enum Environment {
        /** Server processes on this machine from the installed binaries (testenv). */
        LOCAL,
        /** Containers through a Docker-compatible engine (Testcontainers). */
        TESTCONTAINERS,
        /** The real configured cluster: a planned switchover there and back (game day); no failure is injected. */
        CLUSTER;

        public String configName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** The failure injected, each a scenario of DESIGN.md. */
    public enum Failure {
        /** SIGKILL to the primary's server. */
        KILL_PRIMARY,
        /** The primary's server stopped cleanly. */
        STOP_PRIMARY,
        /** The primary cut from drctl and from its replicas. */
        ISOLATE_PRIMARY,
        /** drctl cut from a live primary that still streams to its replicas: no failover is the right outcome. */
        PARTITION_DRCTL,
        /** The replicas stop receiving while writes go on, then the primary dies: the RPO guard must refuse. */
        LAG_REPLICA,
        /** The primary goes down and up every few seconds: at most one failover. */
        FLAP_PRIMARY,
        /** SIGSTOP to the primary: it accepts TCP and never answers. */
        HANG_PRIMARY,
        /** A 2 s cut between drctl and the primary: no failover. */
        BLIP,
        /** The primary is killed, and restarted after the failover: it must stay fenced (never two writers). */
        OLD_PRIMARY_RETURNS,
        /** The SMTP server is down during the failover: the failover is not delayed. */
        SMTP_DOWN,
        /** Route53 answers errors during the failover: retried, the record ends correct. */
        ROUTE53_ERRORS,
        /** The game day ({@code environment: cluster}): a planned switchover to the best replica and back. */
        SWITCHOVER,
        /** Nothing injected: on {@code environment: cluster}, the same planned switchover round trip. */
        NONE;

        /** Whether this is the game day's planned switchover, the only "failure" of {@code environment: cluster}. */
        public boolean planned() {
            return this == SWITCHOVER || this == NONE;
        }

        public String configName() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }

    /**
     * The writer workload: one row per write, each with its id, so a lost acknowledged write is named, not estimated.
     *
     * @param insertsPerSecond the write rate
     * @param duration         how long it writes at least (it goes on until the outcome is settled)
     */
    public record Workload(int insertsPerSecond, Duration duration) {
        public Workload {
            Objects.requireNonNull(duration, "duration");
            if (insertsPerSecond < 1) {
                throw new IllegalArgumentException("insertsPerSecond must be at least 1");
            }
        }

        public static Workload defaults() {
            return new Workload(20, Duration.ofSeconds(30));
        }
    }
}
