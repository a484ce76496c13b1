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

/** {@link ActorLock} as an OS file lock next to the SQLite store; the OS releases it when the process dies. */
final class FileActorLock implements ActorLock {
    private final Path file;
    private final FileChannel channel;
    private final FileLock lock;

    private FileActorLock(Path file, FileChannel channel, FileLock lock) {
        this.file = file;
        this.channel = channel;
        this.lock = lock;
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

    static ActorLock.Attempt tryAcquire(Path file, String holder) {
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
            channel.truncate(0);
            channel.write(ByteBuffer.wrap(holder.getBytes(StandardCharsets.UTF_8)), 0);
            channel.force(true);
            return new ActorLock.Attempt.Held(new FileActorLock(file, channel, lock));
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

    private static String readHolder(Path file) {
        try {
            var text = Files.readString(file).strip();
            return text.isEmpty() ? "another drctl process" : text;
        } catch (IOException e) {
            return "another drctl process";
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
