package dev.drctl.compliance;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.drctl.topology.ClusterName;
import java.time.Clock;
import java.util.List;
import java.util.Set;

/**
 * A second process for the concurrency and crash tests: opens the store, appends entries one by one and
 * prints {@code ACK <seq>} after each append has returned (i.e. is durable). Arguments: store URL, actor
 * name, how many entries (0 = until killed).
 */
public final class JournalAppender {
    private JournalAppender() {
    }

    public static void main(String[] args) {
        var url = args[0];
        var actor = Actor.daemon(args[1]);
        long count = Long.parseLong(args[2]);
        try (var store = StateStore.open(url, Clock.systemUTC(), Set.of(), List.of(StateStore.MIGRATIONS))) {
            System.out.println("READY");
            System.out.flush();
            for (long i = 1; count == 0 || i <= count; i++) {
                var payload = JsonNodeFactory.instance.objectNode().put("writer", args[1]).put("n", i);
                var entry = store.journal().append(JournalDraft.of(actor, JournalKind.STEP_INTENT, payload)
                        .cluster(new ClusterName("payments")));
                System.out.println("ACK " + entry.seq());
                System.out.flush();
            }
        }
        System.out.println("DONE");
        System.out.flush();
    }
}
