package dev.drctl.promotion;

import dev.drctl.topology.Credentials;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The cluster credentials with the password resolved: what a promoter logs in with (and, see {@link Promoter},
 * what a replica it configures replicates with when it has no account of its own). {@code toString()} hides the
 * password.
 */
public record Login(String user, Optional<String> password) {
    public Login {
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(password, "password");
    }

    /** @throws dev.drctl.topology.DrctlException when the password reference cannot be resolved */
    public static Login of(Credentials credentials, Map<String, String> environment) {
        return new Login(credentials.user(), credentials.password().map(ref -> ref.resolve(environment)));
    }

    @Override
    public String toString() {
        return "Login[user=" + user + ", password=" + (password.isPresent() ? "***" : "none") + "]";
    }
}
