package dev.drctl.runbooks;

import dev.drctl.compliance.RunKind;
import dev.drctl.compliance.StateStore;
import dev.drctl.probes.ProbeScheduler;
import dev.drctl.promotion.Promoter;
import dev.drctl.promotion.RejoinContext;
import dev.drctl.topology.NodeName;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * {@code drctl rejoin CLUSTER NODE}: a former primary (back after a failover, maybe writable: split brain) becomes a
 * replica of the current primary.
 *
 * <pre>
 * probe → check → fence → rejoin
 * </pre>
 * The node is fenced first (read-only) so it takes no more writes; the rejoin is the promoter's (pg_rewind for a local
 * PostgreSQL server, the commands for a remote one; GTID re-pointing for MySQL/MariaDB, refused when it has errant
 * transactions).
 */
public final class RejoinRunbook {
    public static final String NAME = "rejoin";
    /** Fact: the node to rejoin. */
    public static final String NODE = "rejoinNode";

    private RejoinRunbook() {
    }

    public static Map<String, String> request(NodeName node) {
        return Map.of(NODE, node.value(), RunFacts.TRIGGER, Trigger.MANUAL.fact());
    }

    public static Runbook create(ProbeScheduler probes, Promoter promoter, StateStore store,
                                 Function<NodeName, RejoinContext> rejoinContexts) {
        return new Runbook(NAME, RunKind.REJOIN, List.of(
                new PromotionSteps.Probe(probes, 1, store),
                new Check(store),
                new PromotionSteps.Fence(promoter, NODE),
                new PromotionSteps.Rejoin(promoter, rejoinContexts, NODE, Duration.ofSeconds(60))));
    }

    /** Which node is the primary now: the only other writable node (or, with two writers, the one the store recorded). */
    static final class Check implements Step {
        private final StateStore store;

        Check(StateStore store) {
            this.store = store;
        }

        @Override
        public String name() {
            return "check";
        }

        @Override
        public boolean readOnly() {
            return true;
        }

        @Override
        public String describe(RunFacts facts) {
            return "find the current primary " + facts.get(NODE).map(n -> "for " + n + " to follow").orElse("");
        }

        @Override
        public StepOutcome run(RunContext context) {
            var cluster = context.cluster();
            var node = context.facts().node(NODE).orElseThrow();
            var history = FailoverRunbook.burst(context).history();
            var writable = cluster.nodes().stream().map(n -> n.name())
                    .filter(n -> history.latest(n).map(PromotionSteps::writablePrimary).orElse(false)).toList();
            var others = writable.stream().filter(n -> !n.equals(node)).toList();
            NodeName primary;
            if (others.size() == 1) {
                primary = others.getFirst();
            } else if (others.isEmpty()) {
                return new StepOutcome.Refused(writable.contains(node)
                        ? node + " is the only writable primary of " + cluster.name() + "; there is nothing to rejoin it to"
                        : "no writable primary answers in " + cluster.name() + " for " + node + " to follow; rejoin refused");
            } else {
                var recorded = store.memory(cluster.name()).lastPrimary();
                if (recorded.isEmpty() || !others.contains(recorded.get())) {
                    return new StepOutcome.Refused(String.join(", ", others.stream().map(NodeName::value).toList()) + " all answer writable and the "
                            + "store records none of them as the primary; rejoin refused: fence all but one by hand");
                }
                primary = recorded.get();
            }
            var facts = new LinkedHashMap<String, String>();
            facts.put(RunFacts.NEW_PRIMARY, primary.value());
            facts.put(RunFacts.OLD_PRIMARY, node.value());
            return new StepOutcome.Succeeded(primary + " is the primary" + (writable.contains(node) ? "; " + node
                    + " also answers writable (split brain): it is fenced first" : ""), facts);
        }
    }
}
