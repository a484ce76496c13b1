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
            unusable().ifPresent(why -> {
                throw new DrctlException(TopologyErrorCode.SECRET_UNRESOLVABLE, "secret " + reference() + ": " + why);
            });
            byte[] bytes;
            try (var in = java.nio.file.Files.newInputStream(path)) {
                bytes = in.readNBytes(InputBounds.MAX_VALUE_CHARS + 1);
            } catch (java.nio.file.NoSuchFileException e) {
                throw new DrctlException(TopologyErrorCode.SECRET_UNRESOLVABLE,
                        "secret " + reference() + ": " + path + " does not exist here; create it or fix the path");
            } catch (java.nio.file.AccessDeniedException e) {
                throw new DrctlException(TopologyErrorCode.SECRET_UNRESOLVABLE, "secret " + reference() + ": " + path
                        + " is not readable by this account; give it read permission");
            } catch (java.io.IOException e) {
                throw new DrctlException(TopologyErrorCode.SECRET_UNRESOLVABLE,
                        "secret " + reference() + ": cannot read " + path + " (an I/O error)");
            }
            if (bytes.length > InputBounds.MAX_VALUE_CHARS) {
                throw new DrctlException(TopologyErrorCode.SECRET_UNRESOLVABLE, "secret " + reference() + ": " + path
                        + " grew past " + InputBounds.MAX_VALUE_CHARS + " bytes while read; expected a small secret file");
            }
            return new String(bytes, java.nio.charset.StandardCharsets.UTF_8).strip();
        }

        /**
         * Why this file cannot hold a secret, found without opening it (a FIFO would block an open, a device never
         * end a read): not a regular file, or over {@value InputBounds#MAX_VALUE_CHARS} bytes. Empty when it can, and
         * when it does not exist here (the daemon may run on another host; reading it there says what is missing).
         */
        public java.util.Optional<String> unusable() {
            java.nio.file.attribute.BasicFileAttributes attributes;
            try {
                attributes = java.nio.file.Files.readAttributes(path, java.nio.file.attribute.BasicFileAttributes.class);
            } catch (java.io.IOException e) {
                return java.util.Optional.empty();
            }
            if (attributes.isDirectory()) {
                return java.util.Optional.of(path + " is a directory; expected a file holding the secret");
            }
            if (!attributes.isRegularFile()) {
                return java.util.Optional.of(path + " is not a regular file (a device, pipe or socket); expected a file "
                        + "holding the secret");
            }
            if (attributes.size() > InputBounds.MAX_VALUE_CHARS) {
                return java.util.Optional.of(path + " is " + attributes.size() + " bytes; expected a secret of at most "
                        + InputBounds.MAX_VALUE_CHARS + " bytes (64 KB)");
            }
            return java.util.Optional.empty();
        }

        @Override
        public String toString() {
            return "***";
        }
    }
}
