package dev.drctl.coordination;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.drctl.topology.ClusterName;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * What one daemon concluded about one cluster in its latest probe round, as it publishes it for the others (an
 * ephemeral ZooKeeper node: it disappears with the daemon's session).
 *
 * @param daemon  who saw it
 * @param verdict the verdict's name, e.g. {@code PrimaryDead}, {@code Healthy}, {@code DrctlPartitioned}
 * @param summary the verdict's one-line evidence, for people reading {@code drctl status}
 * @param at      when the round ended, by the publishing daemon's clock
 */
public record Observation(String daemon, ClusterName cluster, String verdict, String summary, Instant at) {
    /** The verdict that counts towards a failover. */
    public static final String PRIMARY_DEAD = "PrimaryDead";
    private static final ObjectMapper JSON = new ObjectMapper();

    public Observation {
        Objects.requireNonNull(daemon, "daemon");
        Objects.requireNonNull(cluster, "cluster");
        Objects.requireNonNull(verdict, "verdict");
        Objects.requireNonNull(summary, "summary");
        Objects.requireNonNull(at, "at");
    }

    public boolean seesPrimaryDead() {
        return verdict.equals(PRIMARY_DEAD);
    }

    byte[] toBytes() {
        var o = JSON.createObjectNode();
        o.put("daemon", daemon);
        o.put("cluster", cluster.value());
        o.put("verdict", verdict);
        o.put("summary", summary);
        o.put("at", at.toString());
        return o.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** The observation in a node's data, or empty for data that is not one (written by hand, a newer drctl). */
    static Optional<Observation> fromBytes(byte[] data) {
        try {
            JsonNode o = JSON.readTree(data);
            return Optional.of(new Observation(o.get("daemon").asText(), new ClusterName(o.get("cluster").asText()),
                    o.get("verdict").asText(), o.path("summary").asText(""), Instant.parse(o.get("at").asText())));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }
}
