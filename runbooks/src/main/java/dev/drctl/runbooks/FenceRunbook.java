package dev.drctl.runbooks;

import dev.drctl.compliance.RunKind;
import dev.drctl.probes.ProbeScheduler;
import dev.drctl.topology.ClusterSpec;
import dev.drctl.topology.NodeName;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * {@code drctl fence CLUSTER NODE}: fence one node by hand, through the same ladder a failover uses (safety rule 4).
 *
 * <pre>
 * probe → check → fence
 * </pre>
 * What a DBA expects of it:
 * <ul>
 *   <li>A returning old primary (split brain: another node answers writable too), a replica, or a node that answers
 *       read-only is fenced without question: fencing cannot make a second writer.</li>
 *   <li>The only writable primary of the cluster is refused (exit 3) unless {@code --force}: fencing it stops every
 *       write to the cluster, which is an outage drctl will not cause by a slip of the node name. With
 *       {@code --force} the operator says that is what they want (e.g. before a manual promotion); it is journaled.</li>
 *   <li>A node that does not answer is fenced only by the cluster's {@code fence-command}; without one, or when it
 *       fails, the run fails (exit 1): the node is not fenced, and saying otherwise would hide a split-brain risk.</li>
 * </ul>
 */
public final class FenceRunbook {
    public static final String NAME = "fence";
    /** Fact: the node to fence. */
    public static final String NODE = "fenceNode";
    /** Fact: the operator asked to fence the only writable primary anyway. */
    public static final String FORCE = "force";

    private FenceRunbook() {
    }

    public static Map<String, String> request(NodeName node, boolean force) {
        return request(node, force, Trigger.MANUAL);
    }

    /** @param trigger who asks: a person's {@code drctl fence}, or the daemon fencing a second writer */
    public static Map<String, String> request(NodeName node, boolean force, Trigger trigger) {
        return Map.of(NODE, node.value(), FORCE, Boolean.toString(force), RunFacts.TRIGGER, trigger.fact());
    }

    public static Runbook create(ProbeScheduler probes, Function<ClusterSpec, FenceLadder> ladders) {
        return new Runbook(NAME, RunKind.FENCE, List.of(
                new PromotionSteps.Probe(probes, 1),
                new Check(),
                new PromotionSteps.Fence(ladders, NODE, true)));
    }

    /** Refuses to fence the cluster's only writable primary without {@code --force}. */
    static final class Check implements Step {
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
            return "check that fencing " + facts.get(NODE).orElse("the node") + " does not stop the cluster's only "
                    + "writer (unless --force)";
        }

        @Override
        public StepOutcome run(RunContext context) {
            var cluster = context.cluster();
            var node = context.facts().node(NODE).orElseThrow();
            var history = context.kept(PromotionSteps.ProbeBurst.class)
                    .orElseThrow(() -> new IllegalStateException("no probe burst in this process")).history();
            var writable = cluster.nodes().stream().map(n -> n.name())
                    .filter(n -> history.latest(n).map(PromotionSteps::writablePrimary).orElse(false)).toList();
            boolean force = context.facts().flag(FORCE);
            if (writable.equals(List.of(node))) {
                if (!force) {
                    return new StepOutcome.Refused(node + " is the only writable primary of " + cluster.name()
                            + ": fencing it stops every write to the cluster; refused. drctl switchover "
                            + cluster.name() + " moves the writer without an outage; drctl fence " + cluster.name()
                            + " " + node + " --force fences it anyway");
                }
                return new StepOutcome.Succeeded(node + " is the only writable primary; fenced anyway (--force): "
                        + cluster.name() + " takes no writes until a node is promoted", Map.of(RunFacts.OLD_PRIMARY,
                        node.value()));
            }
            var others = writable.stream().filter(n -> !n.equals(node)).toList();
            var state = writable.contains(node)
                    ? node + " and " + String.join(", ", others.stream().map(NodeName::value).toList())
                    + " all answer writable (split brain): " + node + " is fenced"
                    : history.latest(node).map(o -> o.reached() ? node + " answers and takes no writes now; fenced "
                    + "so it stays so" : node + " does not answer; the fence ladder tries what can reach it")
                    .orElse(node + " was not observed");
            return new StepOutcome.Succeeded(state, Map.of(RunFacts.OLD_PRIMARY, node.value()));
        }
    }
}
