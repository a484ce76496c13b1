package dev.drctl.promotion;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;

import dev.drctl.topology.ClusterName;
import dev.drctl.topology.NodeName;

/**
 * The situation of one cluster, named (orchestrator's analysis codes, as a closed set). Every verdict
 * carries its evidence, node by node, and one {@link #summary()} sentence that is logged, journaled and
 * asserted by tests: its wording is contract.
 */
public sealed interface ClusterVerdict {

    ClusterName cluster();

    /** What each node said that led to this verdict, in config order. */
    List<Evidence> evidence();

    /** The one sentence. */
    String summary();

    /** The node this verdict is about as the primary (current or failed), when there is one. */
    Optional<NodeName> primaryNode();

    /** A writable primary answers and every replica streams from it within max-lag. */
    record Healthy(ClusterName cluster, NodeName primary, List<Evidence> evidence) implements ClusterVerdict {
        public Healthy {
            Objects.requireNonNull(cluster, "cluster");
            Objects.requireNonNull(primary, "primary");
            evidence = List.copyOf(evidence);
        }

        @Override
        public String summary() {
            return cluster + ": " + primary + " is the writable primary and every replica streams from it";
        }

        @Override
        public Optional<NodeName> primaryNode() {
            return Optional.of(primary);
        }
    }

    /** Why a primary is suspect but not dead. */
    enum Suspicion {
        /** Failing, but fewer than failure-threshold probes or a shorter span than failure-window so far. */
        FAILING,
        /** Failing past the threshold, but no reachable replica that was streaming from it can confirm. */
        UNCONFIRMED,
        /** It answers but rejects drctl's credentials: it is up, drctl just cannot look inside. */
        UNVERIFIABLE
    }

    /**
     * The primary does not answer drctl properly but its death is not confirmed.
     *
     * @param failedProbes the consecutive failed probes that count (REFUSED, TIMEOUT, OTHER)
     * @param spanning     how long they span (from the last answer, at most one interval before the first failure)
     * @param threshold    the policy's failure-threshold, for the sentence
     * @param window       the policy's failure-window, for the sentence
     * @param confirming   UNCONFIRMED: how many replicas are reached and report their stream from it down
     * @param replicas     UNCONFIRMED: the replicas a majority is taken of (configured replicas, cascaded ones left out)
     */
    record PrimarySuspect(ClusterName cluster, NodeName primary, Suspicion why, int failedProbes, Duration spanning,
                          int threshold, Duration window, List<Evidence> evidence, int confirming, int replicas)
            implements ClusterVerdict {
        public PrimarySuspect {
            Objects.requireNonNull(cluster, "cluster");
            Objects.requireNonNull(primary, "primary");
            Objects.requireNonNull(why, "why");
            Objects.requireNonNull(spanning, "spanning");
            Objects.requireNonNull(window, "window");
            evidence = List.copyOf(evidence);
        }

        @Override
        public String summary() {
            return switch (why) {
                case FAILING -> cluster + ": primary " + primary + " failed "
                        + Wording.count(failedProbes, "consecutive probe", "consecutive probes") + " over "
                        + Wording.duration(spanning) + "; suspect, not dead (needs " + threshold + " over "
                        + Wording.duration(window) + " and the replicas' agreement)";
                case UNCONFIRMED -> cluster + ": primary " + primary + " failed "
                        + Wording.count(failedProbes, "consecutive probe", "consecutive probes") + " over "
                        + Wording.duration(spanning) + " but only " + confirming + " of "
                        + Wording.count(replicas, "replica", "replicas")
                        + " confirm it lost its stream (a majority needs " + (replicas / 2 + 1)
                        + "; unreachable replicas are no evidence); not declared dead";
                case UNVERIFIABLE -> cluster + ": primary " + primary
                        + " answers but rejects drctl's credentials; it is up, not dead";
            };
        }

        @Override
        public Optional<NodeName> primaryNode() {
            return Optional.of(primary);
        }
    }

    /**
     * Confirmed dead (safety rule 1): failure-threshold failed probes spanning failure-window, and every
     * reachable replica that was streaming from it has lost its stream.
     */
    record PrimaryDead(ClusterName cluster, NodeName primary, int failedProbes, Duration spanning,
                       List<NodeName> replicasAgreeing, List<Evidence> evidence) implements ClusterVerdict {
        public PrimaryDead {
            Objects.requireNonNull(cluster, "cluster");
            Objects.requireNonNull(primary, "primary");
            Objects.requireNonNull(spanning, "spanning");
            replicasAgreeing = List.copyOf(replicasAgreeing);
            evidence = List.copyOf(evidence);
        }

        @Override
        public String summary() {
            return cluster + ": primary " + primary + " is dead: "
                    + Wording.count(failedProbes, "consecutive failed probe", "consecutive failed probes") + " over "
                    + Wording.duration(spanning) + " and " + (replicasAgreeing.size() == 1 ? "replica " : "replicas ")
                    + Wording.names(replicasAgreeing) + " lost " + (replicasAgreeing.size() == 1 ? "its" : "their")
                    + " stream from it";
        }

        @Override
        public Optional<NodeName> primaryNode() {
            return Optional.of(primary);
        }
    }

    /** drctl cannot reach the primary but replicas still stream from it: drctl is cut off, never a reason to promote. */
    record DrctlPartitioned(ClusterName cluster, NodeName primary, int failedProbes, Duration spanning,
                            List<NodeName> stillStreaming, List<Evidence> evidence) implements ClusterVerdict {
        public DrctlPartitioned {
            Objects.requireNonNull(cluster, "cluster");
            Objects.requireNonNull(primary, "primary");
            Objects.requireNonNull(spanning, "spanning");
            stillStreaming = List.copyOf(stillStreaming);
            evidence = List.copyOf(evidence);
        }

        @Override
        public String summary() {
            return cluster + ": drctl cannot reach primary " + primary + " ("
                    + Wording.count(failedProbes, "failed probe", "failed probes") + " over "
                    + Wording.duration(spanning) + ") but " + Wording.names(stillStreaming)
                    + (stillStreaming.size() == 1 ? " still streams" : " still stream")
                    + " from it: drctl is cut off, the primary is alive; no promotion";
        }

        @Override
        public Optional<NodeName> primaryNode() {
            return Optional.of(primary);
        }
    }

    /**
     * No node accepts writes, and drctl cannot name one to fail over from: either none was ever seen as a
     * writable primary, or the last one answers but is read-only or a replica now (fenced, demoted, mid-switchover).
     *
     * @param lastPrimary the last node seen as a writable primary, if any
     * @param nowAnswersAs what that node answers as now
     */
    record NoPrimary(ClusterName cluster, Optional<NodeName> lastPrimary, Optional<AnswersAs> nowAnswersAs,
                     List<Evidence> evidence) implements ClusterVerdict {
        public NoPrimary {
            Objects.requireNonNull(cluster, "cluster");
            Objects.requireNonNull(lastPrimary, "lastPrimary");
            Objects.requireNonNull(nowAnswersAs, "nowAnswersAs");
            evidence = List.copyOf(evidence);
        }

        @Override
        public String summary() {
            if (lastPrimary.isEmpty()) {
                return cluster + ": no node has been seen as a writable primary";
            }
            return cluster + ": no writable primary: " + lastPrimary.get() + ", the last one, now answers as "
                    + nowAnswersAs.map(a -> switch (a) {
                        case READ_ONLY_PRIMARY -> "a read-only primary";
                        case REPLICA -> "a replica";
                    }).orElse("something else");
        }

        @Override
        public Optional<NodeName> primaryNode() {
            return lastPrimary;
        }
    }

    /** What the last primary answers as, when it answers but takes no writes. */
    enum AnswersAs {
        /** Fenced, demoted, mid-switchover: a primary that refuses writes. */
        READ_ONLY_PRIMARY,
        /** Rejoined, or never was the primary. */
        REPLICA
    }

    /** Why drctl reaches no node. */
    enum Blindness {
        /** Every node answers but rejects drctl's credentials: they are up; drctl's login is wrong. */
        CREDENTIALS_REJECTED,
        /** No node answers at all: drctl's own network (or DNS, or firewall) is the likeliest fault. */
        ALL_UNREACHABLE,
        /** Some nodes reject the credentials, the others do not answer. */
        MIXED
    }

    /**
     * drctl reaches no node at all: nothing can be said about the primary, and the fault is most likely drctl's.
     */
    record DrctlBlind(ClusterName cluster, Blindness why, List<Evidence> evidence) implements ClusterVerdict {
        public DrctlBlind {
            Objects.requireNonNull(cluster, "cluster");
            Objects.requireNonNull(why, "why");
            evidence = List.copyOf(evidence);
        }

        @Override
        public String summary() {
            return cluster + ": drctl reaches no node: " + switch (why) {
                case CREDENTIALS_REJECTED -> "every node rejects drctl's credentials; the nodes are up and the fault"
                        + " is most likely drctl's: check the credentials in its config";
                case ALL_UNREACHABLE -> "every node is unreachable; the fault is most likely drctl's own: check"
                        + " drctl's network path to the nodes (routes, firewall, DNS)";
                case MIXED -> "some nodes reject drctl's credentials and the others do not answer; the fault is most"
                        + " likely drctl's: check its credentials and its network path to the nodes";
            };
        }

        @Override
        public Optional<NodeName> primaryNode() {
            return Optional.empty();
        }
    }

    /** Two or more nodes answer as writable primaries: two writers, never resolved automatically. */
    record SplitBrain(ClusterName cluster, List<NodeName> writablePrimaries, List<Evidence> evidence)
            implements ClusterVerdict {
        public SplitBrain {
            Objects.requireNonNull(cluster, "cluster");
            writablePrimaries = List.copyOf(writablePrimaries);
            evidence = List.copyOf(evidence);
        }

        @Override
        public String summary() {
            return cluster + ": split brain: " + Wording.names(writablePrimaries)
                    + (writablePrimaries.size() == 2 ? " both" : " all") + " answer as writable primaries";
        }

        @Override
        public Optional<NodeName> primaryNode() {
            return Optional.empty();
        }
    }

    /**
     * The primary is writable and answers; some replicas are unreachable, not streaming, not applying, or
     * lagging past max-lag (or their lag is unknown).
     *
     * @param problems one entry per troubled replica, saying what is wrong
     */
    record ReplicaProblems(ClusterName cluster, NodeName primary, List<Evidence> problems, List<Evidence> evidence)
            implements ClusterVerdict {
        public ReplicaProblems {
            Objects.requireNonNull(cluster, "cluster");
            Objects.requireNonNull(primary, "primary");
            problems = List.copyOf(problems);
            evidence = List.copyOf(evidence);
        }

        @Override
        public String summary() {
            return cluster + ": primary " + primary + " is writable; replica problems: "
                    + problems.stream().map(Evidence::toString).collect(Collectors.joining("; "));
        }

        @Override
        public Optional<NodeName> primaryNode() {
            return Optional.of(primary);
        }
    }
}
