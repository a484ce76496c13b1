package dev.drctl.runbooks.drill;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A drill's judgement: whether the expected outcome happened, the measured RTO and RPO, and each finding (met or
 * missed) in a sentence.
 *
 * @param expectedOutcome whether drctl did what a correct drctl does about this failure
 * @param passed          the expected outcome happened and every applicable target was met
 * @param rto             from the injection to the first acknowledged write on the new primary
 * @param rpo             the window of acknowledged writes lost (zero when none was lost)
 */
public record DrillVerdict(Expectation expectation, boolean expectedOutcome, boolean passed, Optional<Duration> rto,
                           Optional<Duration> rpo, int lostWrites, List<Finding> findings) {
    public DrillVerdict {
        Objects.requireNonNull(expectation, "expectation");
        Objects.requireNonNull(rto, "rto");
        Objects.requireNonNull(rpo, "rpo");
        findings = List.copyOf(findings);
    }

    /** One judged fact. */
    public record Finding(boolean met, String sentence) {
        public Finding {
            Objects.requireNonNull(sentence, "sentence");
        }
    }

    /** One line: passed or failed, and why. */
    public String summary() {
        var missed = findings.stream().filter(f -> !f.met()).map(Finding::sentence).toList();
        return (passed ? "drill passed: " : "drill FAILED: ")
                + (missed.isEmpty() ? findings.stream().map(Finding::sentence).reduce((a, b) -> a + "; " + b).orElse("")
                : String.join("; ", missed));
    }
}
