package dev.drctl.topology;

import java.util.Objects;
import java.util.Optional;

/** The database account drctl uses on every node of a cluster; the password is only ever a reference. */
public record Credentials(String user, Optional<SecretRef> password) {
    public Credentials {
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(password, "password");
    }

    @Override
    public String toString() {
        return "Credentials[user=" + user + ", password=" + (password.isPresent() ? "***" : "none") + "]";
    }
}
