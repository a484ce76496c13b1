package dev.drctl.runbooks;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The lock file: who it names, and a lock that is lost while held (the file replaced or deleted). */
class FileActorLockTest {
    @TempDir
    Path dir;

    private static final ActorLock.Holder ALICE = new ActorLock.Holder("user:alice", OptionalLong.of(4242),
            Optional.empty(), Optional.of(Instant.parse("2026-11-28T07:40:00Z")), OptionalLong.empty());

    @Test
    void aRefusedActorReadsWhoHoldsTheLock() {
        var file = dir.resolve("drctl.db.payments.lock");
        try (var held = ((ActorLock.Attempt.Held) FileActorLock.tryAcquire(file, ALICE)).lock()) {
            assertThat(held.check()).isInstanceOf(ActorLock.Check.Held.class);
            var busy = FileActorLock.tryAcquire(file, ActorLock.Holder.self("user:bob", Instant.now()));
            assertThat(busy).isInstanceOfSatisfying(ActorLock.Attempt.Busy.class, b -> assertThat(b.holder().describe())
                    .isEqualTo("user:alice (pid 4242, since 2026-11-28T07:40:00Z)"));
        }
    }

    @Test
    void aLockFileReplacedOrDeletedWhileHeldIsLost() throws Exception {
        var file = dir.resolve("drctl.db.payments.lock");
        try (var held = ((ActorLock.Attempt.Held) FileActorLock.tryAcquire(file, ALICE)).lock()) {
            Files.delete(file);
            assertThat(held.check()).isInstanceOfSatisfying(ActorLock.Check.Lost.class,
                    l -> assertThat(l.reason()).contains("was deleted"));
            // Another drctl now locks a new file at the same path: two holders, unless the first notices.
            try (var second = ((ActorLock.Attempt.Held) FileActorLock.tryAcquire(file,
                    ActorLock.Holder.self("user:bob", Instant.now()))).lock()) {
                assertThat(second.check()).isInstanceOf(ActorLock.Check.Held.class);
                assertThat(held.check()).isInstanceOfSatisfying(ActorLock.Check.Lost.class,
                        l -> assertThat(l.reason()).contains("was replaced").contains("user:bob"));
            }
        }
    }

    /**
     * The lock is the OS's, held per process: another process is refused while this one holds it, also after this one
     * checked it (a check that read the file once released the lock: closing any descriptor of a POSIX-locked file
     * does), and takes it once this one closed it.
     */
    @Test
    void anotherProcessIsRefusedWhileHeldAndCheckedThenTakesIt() throws Exception {
        var file = dir.resolve("drctl.db.payments.lock");
        try (var held = ((ActorLock.Attempt.Held) FileActorLock.tryAcquire(file, ALICE)).lock()) {
            assertThat(held.check()).isInstanceOf(ActorLock.Check.Held.class);
            assertThat(held.check()).isInstanceOf(ActorLock.Check.Held.class);
            assertThat(otherProcessTries(file)).startsWith("busy user:alice (pid 4242");
            assertThat(held.check()).isInstanceOf(ActorLock.Check.Held.class);
        }
        assertThat(otherProcessTries(file)).isEqualTo("held");
    }

    /** Another JVM's attempt on {@code file}: {@code held}, or {@code busy} and who it was told holds the lock. */
    static String otherProcessTries(Path file) throws Exception {
        var javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        var p = new ProcessBuilder(javaBin, "-cp", System.getProperty("java.class.path"), LockAttempt.class.getName(),
                file.toString()).redirectErrorStream(true).start();
        var out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(out).isZero();
        var lines = out.strip().lines().toList();
        return lines.getLast();
    }

    /** The other process of {@link #anotherProcessIsRefusedWhileHeldAndCheckedThenTakesIt}. */
    public static final class LockAttempt {
        public static void main(String[] args) {
            var attempt = FileActorLock.tryAcquire(Path.of(args[0]), ActorLock.Holder.self("user:bob", Instant.now()));
            switch (attempt) {
                case ActorLock.Attempt.Held h -> {
                    h.lock().close();
                    System.out.println("held");
                }
                case ActorLock.Attempt.Busy b -> System.out.println("busy " + b.holder().describe());
            }
        }
    }

    @Test
    void aFileAnOlderDrctlWroteNamesItsHolderAsAWhole() {
        assertThat(FileActorLock.parse("user:carol (pid 7, since 2026-01-01T00:00:00Z)\n").describe())
                .isEqualTo("user:carol (pid 7, since 2026-01-01T00:00:00Z)");
        assertThat(FileActorLock.parse("").actor()).isEqualTo("another drctl");
        assertThat(FileActorLock.parse("actor=user:dave\npid=notanumber\n").describe()).isEqualTo("user:dave");
    }
}
