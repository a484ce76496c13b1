package dev.drctl.topology;

import java.util.Objects;

/** The name of one database server within a cluster, as written in the config. */
public record NodeName(String value) implements Comparable<NodeName> {
    public NodeName {
        Objects.requireNonNull(value, "node name");
    }

    @Override
    public int compareTo(NodeName o) {
        return value.compareTo(o.value);
    }

    @Override
    public String toString() {
        return value;
    }
}
