package dev.drctl.testenv;

import dev.drctl.topology.DrctlException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * The PostgreSQL server programs of one major version: an installed one ({@code /usr/lib/postgresql/<major>/bin}) or
 * the embedded build ({@link EmbeddedPostgres}), which has no {@code pg_basebackup}.
 */
record PostgresBinaries(Path bin) {
    static final Path DEBIAN_ROOT = Path.of("/usr/lib/postgresql");
    private static final List<String> NEEDED = List.of("initdb", "pg_ctl", "pg_basebackup", "postgres");

    /**
     * The highest major version under {@code root} that has every program testenv needs.
     *
     * @throws DrctlException {@link TestenvErrorCode#SERVER_BINARIES_MISSING} naming the missing program and the
     *                        Debian package to install
     */
    static PostgresBinaries locate(Path root) {
        List<Path> bins;
        try (Stream<Path> versions = Files.isDirectory(root) ? Files.list(root) : Stream.empty()) {
            bins = versions.map(v -> v.resolve("bin")).filter(Files::isDirectory)
                    .sorted(Comparator.comparing(PostgresBinaries::major).reversed()).toList();
        } catch (IOException e) {
            bins = List.of();
        }
        for (var bin : bins) {
            if (NEEDED.stream().allMatch(p -> Files.isExecutable(bin.resolve(p)))) {
                return new PostgresBinaries(bin);
            }
        }
        var newest = bins.isEmpty() ? null : bins.getFirst();
        var missing = newest == null ? "initdb"
                : NEEDED.stream().filter(p -> !Files.isExecutable(newest.resolve(p))).findFirst().orElseThrow();
        throw new DrctlException(TestenvErrorCode.SERVER_BINARIES_MISSING,
                "PostgreSQL server program " + missing + " not found under " + root
                        + "/*/bin; install the Debian package postgresql (apt-get install postgresql)");
    }

    /**
     * The programs from {@code source}: for {@link PostgresBinarySource#AUTO} the installed ones under {@code root}
     * when complete, else the embedded build.
     *
     * @throws DrctlException {@link TestenvErrorCode#SERVER_BINARIES_MISSING} saying what is missing and what to do
     */
    static PostgresBinaries choose(PostgresBinarySource source, Path root) {
        return switch (source) {
            case INSTALLED -> locate(root);
            case EMBEDDED -> EmbeddedPostgres.forThisMachine().unpacked();
            case AUTO -> {
                try {
                    yield locate(root);
                } catch (DrctlException installed) {
                    try {
                        yield EmbeddedPostgres.forThisMachine().unpacked();
                    } catch (DrctlException embedded) {
                        throw new DrctlException(TestenvErrorCode.SERVER_BINARIES_MISSING, installed.getMessage()
                                + "; and the embedded fallback failed: " + embedded.getMessage());
                    }
                }
            }
        };
    }

    /** Whether replicas can be seeded by {@code pg_basebackup} (the embedded build lacks it: a file copy then). */
    boolean hasBaseBackup() {
        return Files.isExecutable(pgBasebackup());
    }

    private static int major(Path bin) {
        try {
            return Integer.parseInt(bin.getParent().getFileName().toString().replaceAll("\\..*", ""));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    Path initdb() {
        return bin.resolve("initdb");
    }

    Path pgCtl() {
        return bin.resolve("pg_ctl");
    }

    Path pgBasebackup() {
        return bin.resolve("pg_basebackup");
    }
}
