package dev.drctl.compliance;

import java.util.Objects;

/**
 * Who wrote a journal entry: a daemon instance ({@code daemon:<instance id>}) or a person running a
 * manual command ({@code user:<OS user>}).
 */
public record Actor(String value) {
    public Actor {
        Objects.requireNonNull(value, "actor");
        if (value.isBlank()) {
            throw new IllegalArgumentException("actor must not be blank");
        }
    }

    public static Actor daemon(String instanceId) {
        return new Actor("daemon:" + instanceId);
    }

    public static Actor user(String osUser) {
        return new Actor("user:" + osUser);
    }

    @Override
    public String toString() {
        return value;
    }
}
