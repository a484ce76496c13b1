package dev.drctl.topology;

import java.util.Objects;

/** The name of a protected cluster, as written in the config. */
public record ClusterName(String value) implements Comparable<ClusterName> {
    public ClusterName {
        Objects.requireNonNull(value, "cluster name");
    }

    @Override
    public int compareTo(ClusterName o) {
        return value.compareTo(o.value);
    }

    @Override
    public String toString() {
        return value;
    }
}
