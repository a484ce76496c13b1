package dev.drctl.runbooks.drill;

import dev.drctl.compliance.RunRecord;
import dev.drctl.compliance.RunStatus;
import dev.drctl.topology.ComplianceSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Judges a drill's observation against its expectation and targets. Pure: values in, a verdict out. */
public final class DrillJudge {
    private DrillJudge() {
    }

    public static DrillVerdict judge(Expectation expectation, DrillObservation seen, ComplianceSpec.Targets targets) {
        var findings = new ArrayList<DrillVerdict.Finding>();
        var promotions = seen.promotions();
        // a game day has no failure to recover from: its RTO is how long writes stood still across a switchover
        Optional<Duration> rto = expectation == Expectation.SWITCHED_OVER_AND_BACK ? seen.writeUnavailability()
                : seen.firstWrite().map(w -> positive(Duration.between(seen.injectedAt(), w.at())));
        Optional<Duration> rpo = seen.lost().isEmpty() ? Optional.of(Duration.ZERO)
                // a loss is never a zero window, even when the lost writes were acknowledged after the injection
                : seen.earliestLostAt().map(t -> atLeastOneMilli(Duration.between(t, seen.injectedAt())));
        boolean expected = switch (expectation) {
            case PROMOTED -> promoted(seen, findings);
            case PROMOTED_AND_FENCED -> {
                boolean promoted = promoted(seen, findings);
                boolean fenced = seen.oldPrimaryWritableAtEnd().map(w -> !w).orElse(false);
                findings.add(new DrillVerdict.Finding(fenced, seen.oldPrimaryWritableAtEnd().isEmpty()
                        ? "the old primary " + seen.oldPrimary() + " was not seen returning"
                        : fenced ? "the old primary " + seen.oldPrimary() + " returned and stayed fenced (refused writes)"
                        : "the old primary " + seen.oldPrimary() + " returned and accepted writes: two writers"));
                yield promoted && fenced;
            }
            case NO_FAILOVER -> {
                boolean none = promotions.isEmpty();
                findings.add(new DrillVerdict.Finding(none, none ? "no promotion happened, as expected"
                        : "a failover promoted " + names(promotions) + ", where none was called for"));
                yield none;
            }
            case REFUSED -> {
                boolean none = promotions.isEmpty();
                boolean refused = !seen.refusals().isEmpty() || seen.pages() > 0;
                boolean paged = seen.pages() > 0;
                findings.add(new DrillVerdict.Finding(none, none ? "nothing was promoted"
                        : "a failover promoted " + names(promotions) + " despite the RPO guard"));
                findings.add(new DrillVerdict.Finding(refused, refused ? "the failover was refused"
                        + seen.refusals().stream().findFirst().map(r -> ": " + r.summary()).orElse("")
                        : "no refusal was recorded"));
                findings.add(new DrillVerdict.Finding(paged, paged ? "humans were paged (" + seen.pages()
                        + " blocked-failover notification" + (seen.pages() == 1 ? ")" : "s)") : "nobody was paged"));
                yield none && refused && paged;
            }
            case SWITCHED_OVER_AND_BACK -> {
                var legs = seen.failovers();
                var first = legs.stream().findFirst();
                boolean there = first.map(r -> r.status() == RunStatus.SUCCEEDED && r.newPrimary().isPresent()
                        && !r.newPrimary().get().equals(seen.oldPrimary())).orElse(false);
                findings.add(new DrillVerdict.Finding(there, first.map(r -> "switchover " + r.runId() + " to "
                        + r.newPrimary().map(Object::toString).orElse("?") + " ended "
                        + r.status().name().toLowerCase(java.util.Locale.ROOT) + (there ? "" : ": " + r.summary()))
                        .orElse("no switchover was run")));
                var second = legs.stream().skip(1).findFirst();
                boolean back = there && second.map(r -> r.status() == RunStatus.SUCCEEDED
                        && r.newPrimary().equals(Optional.of(seen.oldPrimary()))).orElse(false);
                if (there) {
                    findings.add(new DrillVerdict.Finding(back, second.map(r -> "switchover " + r.runId() + " back to "
                            + seen.oldPrimary() + " ended " + r.status().name().toLowerCase(java.util.Locale.ROOT)
                            + (back ? "" : ": " + r.summary())).orElse("the cluster was not switched back to "
                            + seen.oldPrimary())));
                }
                yield there && back;
            }
            case AT_MOST_ONE_FAILOVER -> {
                boolean atMostOne = promotions.size() <= 1;
                findings.add(new DrillVerdict.Finding(atMostOne, promotions.size() + " failover"
                        + (promotions.size() == 1 ? "" : "s") + " while the primary flapped" + (atMostOne ? "" : ": a storm")));
                yield atMostOne;
            }
        };
        // the side channels a failure took down: the failover must not have waited for them, and they catch up
        if (seen.mail().isPresent()) {
            var m = seen.mail().get();
            var later = m.delivered().stream().filter(d -> !d.at().isBefore(m.smtpBackAt())).toList();
            boolean delivered = !later.isEmpty();
            findings.add(new DrillVerdict.Finding(delivered, delivered ? later.size() + " notification"
                    + (later.size() == 1 ? "" : "s") + " delivered once SMTP was back (first: \""
                    + later.getFirst().subject() + "\", " + millis(positive(Duration.between(m.smtpBackAt(),
                    later.getFirst().at()))) + " after)" : "no notification was delivered after SMTP came back: "
                    + "the outbox did not catch up"));
            expected &= delivered;
        }
        if (seen.dns().isPresent()) {
            var d = seen.dns().get();
            boolean correct = !d.expected().isEmpty() && d.record().equals(d.expected());
            boolean retried = d.changeCalls() > d.errorsInjected();
            findings.add(new DrillVerdict.Finding(retried, d.errorsInjected() + " Route53 request"
                    + (d.errorsInjected() == 1 ? "" : "s") + " answered with an error; " + d.changeCalls()
                    + " record change" + (d.changeCalls() == 1 ? "" : "s") + " sent in all"
                    + (retried ? " (retried)" : ": never retried past the errors")));
            findings.add(new DrillVerdict.Finding(correct, correct ? "the writer record ends correct: "
                    + String.join(", ", d.record()) : "the writer record ends " + (d.record().isEmpty() ? "empty"
                    : String.join(", ", d.record())) + ", expected " + String.join(", ", d.expected())));
            expected &= retried && correct;
        }
        boolean targetsMet = true;
        // Time targets apply where a recovery was expected; where none was, the expected outcome is the verdict.
        if (expectation == Expectation.PROMOTED || expectation == Expectation.PROMOTED_AND_FENCED
                || expectation == Expectation.SWITCHED_OVER_AND_BACK) {
            boolean rtoMet = rto.map(d -> d.compareTo(targets.rto()) <= 0).orElse(false);
            var what = expectation == Expectation.SWITCHED_OVER_AND_BACK ? "writes unavailable for at most " : "RTO ";
            findings.add(new DrillVerdict.Finding(rtoMet, rto.map(d -> what + millis(d) + (rtoMet ? " within" : " over")
                    + " the target of " + millis(targets.rto())).orElse("no write reached a new primary: RTO not met")));
            targetsMet = rtoMet;
        }
        if (expectation == Expectation.REFUSED) {
            // nothing was promoted, so no surviving primary to count writes on: the RPO is not measured
            return new DrillVerdict(expectation, expected, expected, rto, Optional.empty(), 0, findings);
        }
        boolean rpoMet = rpo.map(d -> d.compareTo(targets.rpo()) <= 0).orElse(false);
        findings.add(new DrillVerdict.Finding(rpoMet, seen.lost().isEmpty()
                ? "no acknowledged write lost (of " + seen.acknowledged() + ")"
                : seen.lost().size() + " acknowledged write" + (seen.lost().size() == 1 ? "" : "s") + " lost (ids "
                        + ids(seen.lost()) + "), RPO " + rpo.map(DrillJudge::millis).orElse("unknown")
                        + (rpoMet ? " within" : " over") + " the target of " + millis(targets.rpo())));
        targetsMet &= rpoMet;
        return new DrillVerdict(expectation, expected, expected && targetsMet, rto, rpo, seen.lost().size(), findings);
    }

    private static boolean promoted(DrillObservation seen, List<DrillVerdict.Finding> findings) {
        var promotion = seen.promotion();
        if (promotion.isEmpty()) {
            findings.add(new DrillVerdict.Finding(false, "nothing was promoted"
                    + seen.refusals().stream().findFirst().map(r -> ": " + r.summary()).orElse("")));
            return false;
        }
        var run = promotion.get();
        boolean ok = run.status() == RunStatus.SUCCEEDED;
        findings.add(new DrillVerdict.Finding(ok, "failover " + run.runId() + " promoted "
                + run.newPrimary().map(Object::toString).orElse("?") + " and ended "
                + run.status().name().toLowerCase(java.util.Locale.ROOT)));
        boolean wrote = seen.firstWrite().isPresent();
        findings.add(new DrillVerdict.Finding(wrote, wrote ? "writes resumed on " + seen.firstWrite().get().node()
                : "no write was acknowledged by the new primary"));
        return ok && wrote;
    }

    private static String names(List<RunRecord> runs) {
        return String.join(", ", runs.stream().map(r -> r.newPrimary().map(Object::toString).orElse("?")).toList());
    }

    private static String ids(List<Long> ids) {
        var shown = ids.stream().limit(10).map(String::valueOf).toList();
        return String.join(", ", shown) + (ids.size() > 10 ? ", …" : "");
    }

    private static Duration atLeastOneMilli(Duration d) {
        return d.compareTo(Duration.ofMillis(1)) < 0 ? Duration.ofMillis(1) : d;
    }

    private static Duration positive(Duration d) {
        return d.isNegative() ? Duration.ZERO : d;
    }

    static String millis(Duration d) {
        long ms = d.toMillis();
        return ms < 10_000 ? ms + " ms" : String.format(java.util.Locale.ROOT, "%.1f s", ms / 1000.0);
    }
}
