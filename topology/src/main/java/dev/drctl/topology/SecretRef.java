package dev.drctl.topology;

import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;

/**
 * Where a secret lives: {@code ${env:NAME}} or {@code ${file:/path}}. The value is read only when an
 * adapter resolves it; every {@code toString()} prints {@code ***} so a secret cannot leak through
 * a log line, a journal entry or an error message.
 */
public sealed interface SecretRef {

    /** The reference as written in the config, e.g. {@code ${env:PAYMENTS_DB_PASSWORD}}; not the value. */
    String reference();

    /**
     * Reads the secret now.
     *
     * @param environment the process environment (passed in, so tests need no global state)
     * @throws DrctlException with {@link TopologyErrorCode#SECRET_UNRESOLVABLE} naming the reference, never the value
     */
    String resolve(Map<String, String> environment);

    record Env(String variable) implements SecretRef {
        public Env {
            Objects.requireNonNull(variable, "variable");
        }

        @Override
        public String reference() {
            return "${env:" + variable + "}";
        }

        @Override
        public String resolve(Map<String, String> environment) {
            var value = environment.get(variable);
            if (value == null) {
                throw new DrctlException(TopologyErrorCode.SECRET_UNRESOLVABLE,
                        "secret " + reference() + ": environment variable " + variable + " is not set");
            }
            return value;
        }

        @Override
        public String toString() {
            return "***";
        }
    }

    record File(Path path) implements SecretRef {
        public File {
            Objects.requireNonNull(path, "path");
        }

        @Override
        public String reference() {
            return "${file:" + path + "}";
        }

        @Override
        public String resolve(Map<String, String> environment) {
            try {
                return java.nio.file.Files.readString(path).strip();
            } catch (java.io.IOException e) {
                throw new DrctlException(TopologyErrorCode.SECRET_UNRESOLVABLE,
                        "secret " + reference() + ": cannot read " + path + " (" + e.getClass().getSimpleName() + ")");
            }
        }

        @Override
        public String toString() {
            return "***";
        }
    }
}
