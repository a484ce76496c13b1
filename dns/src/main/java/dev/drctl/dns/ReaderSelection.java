package dev.drctl.dns;

import dev.drctl.topology.NodeSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Which answers the reader record should hold: the values of the publishable replicas. When none is
 * publishable, the record keeps what it has — removing bad replicas must never empty it (an empty reader name
 * fails every reader at once, which is worse than a lagging answer).
 *
 * @param publish  the values to write; empty when the record is to be left as it is
 * @param excluded the replicas left out, each with its reason
 * @param note     one line: what was chosen and why
 */
public record ReaderSelection(Optional<List<String>> publish, List<String> excluded, String note) {
    public ReaderSelection {
        Objects.requireNonNull(publish, "publish");
        Objects.requireNonNull(note, "note");
        excluded = List.copyOf(excluded);
        publish = publish.map(v -> v.stream().distinct().sorted().toList());
    }

    /**
     * Chooses, without I/O.
     *
     * @param values  each candidate's record values, or the reason they cannot be had (unresolvable host)
     * @param current the reader record as it is now
     */
    public static ReaderSelection choose(List<ReaderCandidate> candidates, Map<NodeSpec, Valued> values,
                                         Optional<WriterRecord> current) {
        var publish = new ArrayList<String>();
        var excluded = new ArrayList<String>();
        for (var c : candidates) {
            var v = values.get(c.node());
            if (!c.publishable()) {
                excluded.add(c.node().name() + ": " + c.reason());
            } else if (v == null || v.values().isEmpty()) {
                excluded.add(c.node().name() + ": " + (v == null ? "no values" : v.problem()));
            } else {
                publish.addAll(v.values());
            }
        }
        if (!publish.isEmpty()) {
            return new ReaderSelection(Optional.of(publish), excluded,
                    "publishing " + publish.stream().distinct().count() + " answer(s)"
                            + (excluded.isEmpty() ? "" : "; left out " + String.join("; ", excluded)));
        }
        var kept = current.map(r -> r.values().size()).orElse(0);
        return new ReaderSelection(Optional.empty(), excluded, "no replica is fit to publish ("
                + (excluded.isEmpty() ? "none configured" : String.join("; ", excluded)) + "); "
                + (kept > 0 ? "reader record left with its " + kept + " answer(s), never emptied"
                : "the reader record has no answers and none can be given"));
    }

    /** A candidate's values, or why there are none. */
    public record Valued(List<String> values, String problem) {
        public Valued {
            values = List.copyOf(values);
            Objects.requireNonNull(problem, "problem");
        }

        public static Valued of(List<String> values) {
            return new Valued(values, "");
        }

        public static Valued unusable(String problem) {
            return new Valued(List.of(), problem);
        }
    }
}
