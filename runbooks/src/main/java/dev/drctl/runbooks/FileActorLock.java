package dev.drctl.runbooks;

import dev.drctl.topology.ClusterName;
import dev.drctl.topology.DrctlException;
import java.io.FileInputStream;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.HashMap;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;

/**
 * {@link ActorLock} as an OS file lock next to the SQLite store; the OS releases it when the process dies. The lock
 * is lost while held if the file is deleted or replaced (another drctl would then lock a new file): {@link #check()}
 * compares the file's content with what this process wrote.
 */
final class FileActorLock implements ActorLock {
    private final Path file;
    private final FileChannel channel;
    private final FileLock lock;
    /** What this process wrote into the file; another content means the file is no longer ours. */
    private final String content;

    private FileActorLock(Path file, FileChannel channel, FileLock lock, String content) {
        this.file = file;
        this.channel = channel;
        this.lock = lock;
        this.content = content;
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
            var held = new FileActorLock(file, channel, lock, content);
            if (held.check() instanceof Check.Lost) {
                // The file was deleted or replaced between our open and our lock: the lock we hold guards nothing.
                held.close();
                return new ActorLock.Attempt.Busy(file.toString(), readHolder(file));
            }
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
     * The lock file's content: one {@code key=value} per line, and a token no other holder writes, so {@link #check()}
     * can tell that the file at the path is still the one this process locked.
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
        // A FileInputStream, not Files.readString: an NIO channel read by an interrupted thread (a run being stopped)
        // would fail with ClosedByInterruptException and be mistaken for a lost lock.
        try (var in = new FileInputStream(file.toFile())) {
            var now = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            if (!now.equals(content)) {
                return new Check.Lost("the lock file " + file + " was replaced: it now names " + parse(now).describe());
            }
            return new Check.Held();
        } catch (FileNotFoundException e) {
            return new Check.Lost("the lock file " + file + " was deleted; another drctl could lock a new one");
        } catch (IOException e) {
            return new Check.Lost("the lock file " + file + " cannot be read: " + e.getMessage());
        }
    }

    @Override
    public String description() {
        return "lock file " + file;
    }

    @Override
    public void close() {
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
