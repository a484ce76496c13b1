package dev.drctl.runbooks;

import dev.drctl.topology.ClusterName;
import dev.drctl.topology.DrctlException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;

/**
 * {@link ActorLock} as an OS file lock next to the SQLite store; the OS releases it when the process dies. The lock
 * is lost while held if the file is deleted or replaced (another drctl would then lock a new file): {@link #check()}
 * compares the file's identity (device and inode) with the one this process locked.
 *
 * <p>The OS lock is a POSIX record lock, owned by the process, not by the descriptor: closing <em>any</em> descriptor
 * this process has on the file releases it. So while this process holds a lock file it never opens that file again:
 * another thread of this process asking for it is answered from {@link #HELD_HERE}, and {@link #check()} looks with
 * {@code stat}, never with a read. (Reading the file to check it once released the lock at the first check, and a
 * second drctl process then took it: two actors.)
 */
final class FileActorLock implements ActorLock {
    /**
     * The lock files this process holds, by file identity, with their holders: the per-process half of the OS's own
     * lock table, which is per process too. Guarded by itself; every open and close of a lock file happens under it.
     */
    private static final Map<Object, Holder> HELD_HERE = new HashMap<>();

    private final Path file;
    private final FileChannel channel;
    private final FileLock lock;
    /** The identity of the file this process locked; another at the path means the lock file is no longer ours. */
    private final Object key;

    private FileActorLock(Path file, FileChannel channel, FileLock lock, Object key) {
        this.file = file;
        this.channel = channel;
        this.lock = lock;
        this.key = key;
    }

    /** The identity of the file at {@code file} ({@code stat}: no descriptor opened), or null when there is none. */
    private static Object identity(Path file) {
        try {
            return Files.readAttributes(file, BasicFileAttributes.class).fileKey();
        } catch (IOException e) {
            return null;
        }
    }

    static Path fileFor(String storeUrl, ClusterName cluster) {
        var rest = storeUrl.startsWith("jdbc:sqlite:") ? storeUrl.substring("jdbc:sqlite:".length()) : storeUrl;
        int q = rest.indexOf('?');
        if (q >= 0) {
            rest = rest.substring(0, q);
        }
        if (rest.startsWith("file:")) {
            rest = rest.substring("file:".length());
        }
        var name = "drctl-" + cluster.value() + ".lock";
        if (rest.isBlank() || rest.startsWith(":memory:")) {
            return Path.of(System.getProperty("java.io.tmpdir"), name);
        }
        var store = Path.of(rest).toAbsolutePath();
        return store.resolveSibling(store.getFileName() + "." + cluster.value() + ".lock");
    }

    static ActorLock.Attempt tryAcquire(Path file, Holder self) {
        synchronized (HELD_HERE) {
            var present = identity(file);
            if (present != null && HELD_HERE.containsKey(present)) {
                // Held by another thread of this process: opening the file here would release that lock.
                return new ActorLock.Attempt.Busy(file.toString(), HELD_HERE.get(present));
            }
            return lockFile(file, self);
        }
    }

    private static ActorLock.Attempt lockFile(Path file, Holder self) {
        FileChannel channel = null;
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null; // held by another thread of this very process
            }
            if (lock == null) {
                channel.close();
                return new ActorLock.Attempt.Busy(file.toString(), readHolder(file));
            }
            var content = render(self);
            channel.truncate(0);
            channel.write(ByteBuffer.wrap(content.getBytes(StandardCharsets.UTF_8)), 0);
            channel.force(true);
            var key = identity(file);
            var held = new FileActorLock(file, channel, lock, key);
            if (key == null || HELD_HERE.containsKey(key) || held.check() instanceof Check.Lost) {
                // The file was deleted or replaced between our open and our lock: the lock we hold guards nothing.
                held.release();
                return new ActorLock.Attempt.Busy(file.toString(), readHolder(file));
            }
            HELD_HERE.put(key, self);
            return new ActorLock.Attempt.Held(held);
        } catch (IOException e) {
            if (channel != null) {
                try {
                    channel.close();
                } catch (IOException ignored) {
                    // the failure reported below is the one that matters
                }
            }
            throw new DrctlException(RunbookErrorCode.LOCK_FAILED, "cannot take the one-actor lock " + file + ": "
                    + e.getMessage() + "; check that the directory of compliance.store is writable");
        }
    }

    /**
     * The lock file's content: one {@code key=value} per line (a refused actor reads who holds the lock), and a token no
     * other holder writes, so two holders' files never look alike to a person comparing them.
     */
    static String render(Holder self) {
        var text = new StringBuilder("actor=").append(self.actor().replace('\n', ' ')).append('\n');
        self.pid().ifPresent(p -> text.append("pid=").append(p).append('\n'));
        self.since().ifPresent(s -> text.append("since=").append(s).append('\n'));
        text.append("token=").append(UUID.randomUUID()).append('\n');
        return text.toString();
    }

    /** Who the lock file names; a file written by an older drctl (one line of text) names its holder as a whole. */
    static Holder parse(String text) {
        var values = new HashMap<String, String>();
        for (var line : text.strip().split("\n")) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                values.put(line.substring(0, eq).strip(), line.substring(eq + 1).strip());
            }
        }
        if (!values.containsKey("actor")) {
            var whole = text.strip();
            return whole.isEmpty() ? Holder.unknown() : new Holder(whole, OptionalLong.empty(), Optional.empty(),
                    Optional.empty(), OptionalLong.empty());
        }
        OptionalLong pid = OptionalLong.empty();
        Optional<Instant> since = Optional.empty();
        try {
            if (values.containsKey("pid")) {
                pid = OptionalLong.of(Long.parseLong(values.get("pid")));
            }
            if (values.containsKey("since")) {
                since = Optional.of(Instant.parse(values.get("since")));
            }
        } catch (RuntimeException e) {
            // a damaged field leaves the holder named by its actor alone
        }
        return new Holder(values.get("actor"), pid, Optional.empty(), since, OptionalLong.empty());
    }

    private static Holder readHolder(Path file) {
        try {
            return parse(Files.readString(file));
        } catch (IOException e) {
            return Holder.unknown();
        }
    }

    @Override
    public Check check() {
        if (!lock.isValid() || !channel.isOpen()) {
            return new Check.Lost("the lock on " + file + " is no longer valid");
        }
        // stat, never a read: closing a descriptor of the file would release the lock (see the class comment)
        var now = identity(file);
        if (now == null) {
            return new Check.Lost("the lock file " + file + " was deleted; another drctl could lock a new one");
        }
        if (!now.equals(key)) {
            Holder other;
            synchronized (HELD_HERE) {
                other = HELD_HERE.containsKey(now) ? HELD_HERE.get(now) : readHolder(file);
            }
            return new Check.Lost("the lock file " + file + " was replaced: it now names " + other.describe());
        }
        return new Check.Held();
    }

    @Override
    public String description() {
        return "lock file " + file;
    }

    @Override
    public void close() {
        synchronized (HELD_HERE) {
            HELD_HERE.remove(key);
            release();
        }
    }

    private void release() {
        try {
            if (lock.isValid()) {
                lock.release();
            }
            channel.close();
        } catch (IOException e) {
            // closing the channel releases the lock whatever happened; nothing else to do
        }
    }
}
