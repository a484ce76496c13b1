package dev.drctl.testenv;

import dev.drctl.topology.DrctlException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Free TCP ports on 127.0.0.1, chosen by the kernel, that no other drctl process on the machine has been handed in
 * the last few minutes.
 *
 * <p>A port is free when it is chosen, but a server binds it only seconds later (after {@code initdb}, after a base
 * backup), and a node stopped by a test frees its port until it is started again. Meanwhile another process could
 * be given the same port — likely enough when several test JVMs build topologies at once. So every port handed out
 * (and every port of a node that is stopped) is claimed by a file named after it in a directory shared by the
 * machine's drctl processes; a claim younger than {@link #CLAIM} is skipped by the others. Best effort: where that
 * directory cannot be used, ports are chosen as before, by the kernel alone.
 */
public final class LoopbackPorts {
    public static final String HOST = "127.0.0.1";
    /** How long a claim keeps a port from other drctl processes: longer than any topology takes to come up. */
    static final Duration CLAIM = Duration.ofMinutes(5);
    private static final int MAX_TRIES = 200;

    private LoopbackPorts() {
    }

    /** {@code count} distinct ports that were free a moment ago (held together so none is handed out twice). */
    public static List<Integer> allocate(int count) {
        var sockets = new ArrayList<ServerSocket>();
        var ports = new ArrayList<Integer>();
        try {
            for (int tries = 0; ports.size() < count; tries++) {
                var socket = new ServerSocket();
                sockets.add(socket);
                if (!bindOutsideEphemeralRange(socket, tries >= MAX_TRIES / 2)) {
                    continue;
                }
                // A port claimed by another process stays bound here until the end, so it is not offered again.
                if (claim(socket.getLocalPort()) || tries >= MAX_TRIES) {
                    ports.add(socket.getLocalPort());
                }
            }
            return ports;
        } catch (IOException e) {
            throw new DrctlException(TestenvErrorCode.IO, "cannot find free ports on " + HOST + ": " + e.getMessage());
        } finally {
            for (var socket : sockets) {
                try {
                    socket.close();
                } catch (IOException ignored) {
                    // closing a bound, never-used socket
                }
            }
        }
    }

    /** The lowest port handed out: below it lie the well-known and commonly configured service ports. */
    static final int LOWEST = 20_000;

    /**
     * Binds {@code socket} to a free port below the kernel's ephemeral range (ip_local_port_range, where every
     * outgoing connection takes its local port): a port from that range can be taken by any client socket in the
     * seconds between this check and the server's bind — seen as "Address already in use" when a test JVM's probes
     * were busy. Falls back to a kernel-chosen port when there is no room below the range, or after many tries.
     */
    private static boolean bindOutsideEphemeralRange(ServerSocket socket, boolean kernelChooses) throws IOException {
        var address = InetAddress.getByName(HOST);
        int top = ephemeralRangeStart() - 1;
        if (kernelChooses || top - LOWEST < 1_000) {
            socket.bind(new InetSocketAddress(address, 0));
            return true;
        }
        int port = LOWEST + java.util.concurrent.ThreadLocalRandom.current().nextInt(top - LOWEST + 1);
        try {
            socket.bind(new InetSocketAddress(address, port));
            return true;
        } catch (java.net.BindException inUse) {
            return false;
        }
    }

    /** The first port of the kernel's ephemeral range; 32768 (Linux's default) when it cannot be read. */
    static int ephemeralRangeStart() {
        try {
            // read as a stream: Files.readString trusts the size /proc reports and returns the first byte only
            try (var in = Files.newBufferedReader(Path.of("/proc/sys/net/ipv4/ip_local_port_range"))) {
                return Integer.parseInt(String.valueOf(in.readLine()).strip().split("\\s+")[0]);
            }
        } catch (IOException | RuntimeException e) {
            return 32_768;
        }
    }

    /**
     * Claims {@code port} for this process for {@link #CLAIM}, or renews this process's claim; false when another
     * process claimed it less than that long ago. True as well when claims cannot be kept (no shared directory).
     */
    static boolean claim(int port) {
        var dir = directory();
        if (dir == null) {
            return true;
        }
        var file = dir.resolve(Integer.toString(port));
        var owner = Long.toString(ProcessHandle.current().pid());
        for (int attempt = 0; attempt < 2; attempt++) {
            try {
                Files.writeString(Files.createFile(file), owner);
                return true;
            } catch (FileAlreadyExistsException e) {
                try {
                    var age = Duration.between(Files.getLastModifiedTime(file).toInstant(), Instant.now());
                    if (owner.equals(Files.readString(file).strip())) {
                        Files.setLastModifiedTime(file, FileTime.from(Instant.now()));
                        return true;
                    }
                    if (age.compareTo(CLAIM) < 0) {
                        return false;
                    }
                    // an expired claim: removed, then claimed afresh (if two processes race, one create wins)
                    Files.deleteIfExists(file);
                } catch (IOException gone) {
                    // removed or rewritten meanwhile: try again
                }
            } catch (IOException e) {
                return true;
            }
        }
        return false;
    }

    private static Path directory() {
        var dir = Path.of(System.getProperty("java.io.tmpdir"), "drctl-loopback-ports");
        try {
            Files.createDirectories(dir);
            return Files.isWritable(dir) ? dir : null;
        } catch (IOException e) {
            return null;
        }
    }
}
