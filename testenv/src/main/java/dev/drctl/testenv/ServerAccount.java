package dev.drctl.testenv;

import dev.drctl.topology.DrctlException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The OS account a server program runs as. PostgreSQL refuses to run as root, so when drctl runs as root its
 * programs are started through {@code runuser -u postgres --} and the files they write are handed to that
 * account; otherwise everything runs as the current user.
 *
 * @param user the account to switch to, empty to stay the current user
 */
record ServerAccount(Optional<String> user) {

    static ServerAccount current() {
        return new ServerAccount(Optional.empty());
    }

    /** {@code account} when this process is root, else the current user. */
    static ServerAccount forRootOr(String account) {
        return isRoot() ? new ServerAccount(Optional.of(account)) : current();
    }

    static boolean isRoot() {
        try {
            // The owner of /proc/self is the effective uid (Linux); user.name is the fallback elsewhere.
            return ((Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid")) == 0;
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return "root".equals(System.getProperty("user.name"));
        }
    }

    /** The command line that runs {@code argv} as this account. */
    List<String> command(List<String> argv) {
        var cmd = new ArrayList<String>();
        user.ifPresent(u -> cmd.addAll(List.of("runuser", "-u", u, "--")));
        cmd.addAll(argv);
        return cmd;
    }

    /** Hands {@code path} (not recursively) to this account, so the server can write it. */
    void own(Path path) {
        if (user.isEmpty()) {
            return;
        }
        try {
            var lookup = path.getFileSystem().getUserPrincipalLookupService();
            Files.setOwner(path, lookup.lookupPrincipalByName(user.get()));
        } catch (IOException e) {
            throw new DrctlException(TestenvErrorCode.IO,
                    "cannot hand " + path + " to the OS user " + user.get() + ": " + e.getMessage()
                            + "; is the account there (it comes with the server package)?");
        }
    }

    /** Whether this account can write in {@code dir} (every parent must be searchable by it). */
    boolean canWrite(Path dir) {
        if (user.isEmpty()) {
            return Files.isWritable(dir);
        }
        var result = ExternalProgram.run(command(List.of("test", "-w", dir.toString(), "-a", "-x", dir.toString())),
                java.util.Map.of(), java.time.Duration.ofSeconds(10));
        return result.exitCode() == 0;
    }

    String describe() {
        return user.map(u -> "OS user " + u).orElse("the current user");
    }
}
