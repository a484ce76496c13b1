package dev.drctl.promotion;

import java.util.Comparator;

/**
 * The verdict, its evidence, the ranking and the decision as plain text, for people: what
 * {@code drctl candidates} prints, what golden scenario files hold, what a journal entry can quote.
 */
public final class DecisionReport {
    private DecisionReport() {
    }

    public static String render(ClusterVerdict verdict, ReplicaRanking ranking, FailoverDecision decision) {
        var out = new StringBuilder();
        out.append("verdict: ").append(verdict.getClass().getSimpleName()).append('\n');
        out.append("  ").append(verdict.summary()).append('\n');
        out.append("evidence:\n");
        int width = verdict.evidence().stream().map(e -> e.node().value().length()).max(Comparator.naturalOrder()).orElse(0);
        for (var e : verdict.evidence()) {
            out.append("  ").append(pad(e.node().value(), width)).append("  ").append(e.said()).append('\n');
        }
        out.append("ranking:");
        if (ranking.ranked().isEmpty()) {
            out.append(" no candidate");
        }
        out.append('\n');
        for (var r : ranking.ranked()) {
            out.append("  ").append(r.place()).append(". ").append(r.node()).append("  ").append(r.reason()).append('\n');
        }
        if (!ranking.excluded().isEmpty()) {
            out.append("excluded:\n");
            for (var x : ranking.excluded()) {
                out.append("  ").append(x.node()).append("  ").append(x.why()).append(": ").append(x.detail()).append('\n');
            }
        }
        out.append(ranking.rpoBlock().orElse("RPO guard: clear")).append('\n');
        out.append("decision: ").append(switch (decision) {
            case FailoverDecision.Wait w -> "Wait";
            case FailoverDecision.Promote p -> "Promote " + p.candidate() + " (fencing " + p.fenced() + ")"
                    + (p.lossAccepted() ? ", data loss accepted" : "") + (p.deathAsserted() ? ", death asserted by the operator" : "");
            case FailoverDecision.Refuse r -> "Refuse " + r.refusal();
        }).append('\n');
        out.append("  ").append(decision.reason()).append('\n');
        if (decision instanceof FailoverDecision.Refuse r && r.next().isPresent()) {
            out.append("  next: ").append(r.next().get()).append('\n');
        }
        return out.toString();
    }

    private static String pad(String s, int width) {
        return s + " ".repeat(Math.max(0, width - s.length()));
    }
}
