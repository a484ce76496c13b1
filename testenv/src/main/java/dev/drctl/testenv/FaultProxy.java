package dev.drctl.testenv;

import dev.drctl.topology.DrctlException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.Arrays;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A TCP proxy on a loopback port in front of one target, whose behaviour tests and drills switch at run time to
 * simulate network faults on one link: pass traffic, refuse new connections, black-hole (accept and hang), add
 * latency, or cut the connections that are open. One virtual thread accepts; each connection uses a reader and a
 * writer virtual thread per direction, so latency delays every chunk by the same amount without limiting throughput.
 *
 * <p>Faults as a real network shows them: {@link Fault.Refuse} closes the listening socket, so a new connection gets
 * a TCP RST ({@code Connection refused}), and reopens it on the same port when the fault is lifted; open connections
 * stay (cut them with {@link #cutExisting()}). {@link Fault.Blackhole} accepts new connections but never forwards or
 * answers, and holds the bytes of open connections in both directions, as a dropped route does; when it is lifted,
 * the held bytes flow again (TCP would have retransmitted them). {@link Fault.Latency} delays each direction.
 *
 * <p>The proxy lives in the JVM that created it; {@link #close()} stops it and drops every connection.
 */
public final class FaultProxy implements AutoCloseable {

    /** What the link does now. */
    public sealed interface Fault {
        Fault PASS = new Pass();
        Fault REFUSE = new Refuse();
        Fault BLACKHOLE = new Blackhole();

        static Fault latency(Duration delay) {
            return new Latency(delay);
        }

        /** Forward both ways. */
        record Pass() implements Fault {
        }

        /** New connections are refused; open ones are left alone. */
        record Refuse() implements Fault {
        }

        /** Accept and hang: nothing is forwarded or answered, on new and open connections. */
        record Blackhole() implements Fault {
        }

        /** Forward both ways, each chunk {@code delay} late in each direction. */
        record Latency(Duration delay) implements Fault {
            public Latency {
                Objects.requireNonNull(delay, "delay");
                if (delay.isNegative()) {
                    throw new IllegalArgumentException("negative latency " + delay);
                }
            }
        }
    }

    private static final int CHUNK = 16 * 1024;
    private static final int QUEUED_CHUNKS = 64;
    private static final int CONNECT_TIMEOUT_MS = 5_000;

    private final String name;
    private final InetSocketAddress target;
    private final InetAddress loopback;
    private volatile int port;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final Set<Connection> connections = ConcurrentHashMap.newKeySet();
    private final AtomicLong accepted = new AtomicLong();
    private Fault fault = Fault.PASS;
    private ServerSocket server;
    private Thread acceptor;
    private boolean closed;

    private FaultProxy(String name, InetSocketAddress target, InetAddress loopback) {
        this.name = name;
        this.target = target;
        this.loopback = loopback;
    }

    /**
     * Starts a proxy on a free 127.0.0.1 port in front of {@code targetHost:targetPort}, passing traffic.
     *
     * @param name shown in thread names and messages, e.g. {@code drctl->pg-1}
     */
    public static FaultProxy start(String name, String targetHost, int targetPort) {
        try {
            var proxy = new FaultProxy(name, new InetSocketAddress(InetAddress.getByName(targetHost), targetPort),
                    InetAddress.getByName(LoopbackPorts.HOST));
            proxy.lock.lock();
            try {
                proxy.open();
            } finally {
                proxy.lock.unlock();
            }
            return proxy;
        } catch (IOException e) {
            throw new DrctlException(TestenvErrorCode.IO, "fault proxy " + name + ": cannot listen: " + e.getMessage());
        }
    }

    public String name() {
        return name;
    }

    public String host() {
        return LoopbackPorts.HOST;
    }

    /** The port clients connect to; stays the same across {@link Fault.Refuse}. */
    public int port() {
        return port;
    }

    public InetSocketAddress target() {
        return target;
    }

    public Fault fault() {
        lock.lock();
        try {
            return fault;
        } finally {
            lock.unlock();
        }
    }

    /** Switches the link's behaviour; takes effect at once for new connections and for bytes not yet forwarded. */
    public void set(Fault next) {
        Objects.requireNonNull(next, "fault");
        lock.lock();
        try {
            if (closed) {
                throw new IllegalStateException("fault proxy " + name + " is closed");
            }
            var wasRefusing = fault instanceof Fault.Refuse;
            fault = next;
            if (next instanceof Fault.Refuse && !wasRefusing) {
                closeServer();
            } else if (wasRefusing && !(next instanceof Fault.Refuse)) {
                open();
            }
            changed.signalAll();
        } catch (IOException e) {
            throw new DrctlException(TestenvErrorCode.IO,
                    "fault proxy " + name + ": cannot listen on port " + port() + " again: " + e.getMessage());
        } finally {
            lock.unlock();
        }
    }

    public void pass() {
        set(Fault.PASS);
    }

    public void refuse() {
        set(Fault.REFUSE);
    }

    public void blackhole() {
        set(Fault.BLACKHOLE);
    }

    public void latency(Duration delay) {
        set(Fault.latency(delay));
    }

    /**
     * Resets every open connection (both ends see a TCP RST at once); the fault stays as it is.
     *
     * @return how many connections were cut
     */
    public int cutExisting() {
        int cut = 0;
        for (var c : connections) {
            c.abort();
            cut++;
        }
        signal();
        return cut;
    }

    /** Connections open through the proxy now. */
    public int openConnections() {
        return connections.size();
    }

    /** Connections accepted since the proxy started. */
    public long acceptedConnections() {
        return accepted.get();
    }

    @Override
    public void close() {
        lock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            closeServer();
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        cutExisting();
    }

    @Override
    public String toString() {
        return "FaultProxy[" + name + " " + host() + ":" + port() + " -> " + target.getHostString() + ":"
                + target.getPort() + ", " + fault() + "]";
    }

    // --- listening ---------------------------------------------------------------------------------------------

    /**
     * Binds the listening socket (under the lock) and starts its acceptor: first on a port the kernel picks, then,
     * after a Refuse, on that same port again.
     */
    private void open() throws IOException {
        var socket = new ServerSocket();
        socket.setReuseAddress(true);
        socket.bind(new InetSocketAddress(loopback, port), 128);
        port = socket.getLocalPort();
        server = socket;
        acceptor = Thread.ofVirtual().name("proxy-accept-" + name).start(() -> acceptLoop(socket));
    }

    /**
     * Closes the listening socket and waits for its acceptor to end: the socket's descriptor is only released once
     * the thread blocked in accept() has left it, and until then the kernel would still complete new connections.
     */
    private void closeServer() {
        if (server != null) {
            try {
                server.close();
                acceptor.join(Duration.ofSeconds(5));
            } catch (IOException ignored) {
                // the acceptor notices and ends
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            server = null;
            acceptor = null;
        }
    }

    private void acceptLoop(ServerSocket socket) {
        while (!socket.isClosed()) {
            Socket client;
            try {
                client = socket.accept();
            } catch (IOException e) {
                return; // closed by Refuse or close()
            }
            accepted.incrementAndGet();
            var connection = new Connection(client);
            connections.add(connection);
            Thread.ofVirtual().name("proxy-conn-" + name).start(connection::run);
        }
    }

    private void signal() {
        lock.lock();
        try {
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Waits while the link is black-holed, or until {@code dueNanos} (System.nanoTime) when latency applies;
     * wakes early when the fault changes. Returns false when the connection or proxy closed meanwhile.
     */
    private boolean awaitForward(Connection c, long readAtNanos) throws InterruptedException {
        lock.lock();
        try {
            while (true) {
                if (closed || c.isClosed()) {
                    return false;
                }
                switch (fault) {
                    case Fault.Blackhole b -> changed.await();
                    case Fault.Latency l -> {
                        long wait = readAtNanos + l.delay().toNanos() - System.nanoTime();
                        if (wait <= 0) {
                            return true;
                        }
                        changed.awaitNanos(wait);
                    }
                    case Fault.Pass p -> {
                        return true;
                    }
                    case Fault.Refuse r -> {
                        return true;
                    }
                }
            }
        } finally {
            lock.unlock();
        }
    }

    // --- one proxied connection ------------------------------------------------------------------------------

    /** A client connection and, once the link lets it through, its connection to the target. */
    private final class Connection {
        private final Socket client;
        private volatile Socket upstream;
        private volatile boolean aborted;
        private final AtomicLong directionsDone = new AtomicLong();

        Connection(Socket client) {
            this.client = client;
        }

        boolean isClosed() {
            return aborted;
        }

        void run() {
            try {
                // a black-holed link accepts and hangs: no connection to the target until the fault is lifted
                if (!awaitForward(this, System.nanoTime() - Long.MAX_VALUE / 4)) {
                    abort();
                    return;
                }
                var up = new Socket();
                try {
                    up.connect(target, CONNECT_TIMEOUT_MS);
                } catch (IOException e) {
                    up.close();
                    abort(); // the target is down: the client sees its connection reset
                    return;
                }
                up.setTcpNoDelay(true);
                client.setTcpNoDelay(true);
                upstream = up;
                if (aborted) {
                    abort();
                    return;
                }
                direction(client.getInputStream(), up, "c2s");
                direction(up.getInputStream(), client, "s2c");
            } catch (IOException | InterruptedException e) {
                abort();
            }
        }

        private void direction(InputStream from, Socket to, String label) throws IOException {
            BlockingQueue<Chunk> queue = new ArrayBlockingQueue<>(QUEUED_CHUNKS);
            OutputStream out = to.getOutputStream();
            Thread.ofVirtual().name("proxy-" + label + "-read-" + name).start(() -> read(from, queue));
            Thread.ofVirtual().name("proxy-" + label + "-write-" + name).start(() -> write(queue, to, out));
        }

        private void read(InputStream from, BlockingQueue<Chunk> queue) {
            var buffer = new byte[CHUNK];
            try {
                while (true) {
                    int n = from.read(buffer);
                    if (n < 0) {
                        queue.put(Chunk.EOF);
                        return;
                    }
                    if (!queue.offer(new Chunk(Arrays.copyOf(buffer, n), System.nanoTime()), 1, TimeUnit.DAYS)) {
                        abort();
                        return;
                    }
                }
            } catch (IOException | InterruptedException e) {
                abort();
                queue.offer(Chunk.EOF);
            }
        }

        private void write(BlockingQueue<Chunk> queue, Socket to, OutputStream out) {
            try {
                while (true) {
                    var chunk = queue.poll(1, TimeUnit.SECONDS);
                    if (aborted) {
                        return;
                    }
                    if (chunk == null) {
                        continue;
                    }
                    if (chunk == Chunk.EOF) {
                        if (!aborted) {
                            to.shutdownOutput();
                        }
                        if (directionsDone.incrementAndGet() == 2) {
                            finish();
                        }
                        return;
                    }
                    if (!awaitForward(this, chunk.readAtNanos())) {
                        return;
                    }
                    out.write(chunk.bytes());
                    out.flush();
                }
            } catch (IOException | InterruptedException e) {
                abort();
            }
        }

        /** Both directions ended normally. */
        private void finish() {
            closeQuietly(client);
            closeQuietly(upstream);
            connections.remove(this);
        }

        /** Resets both ends (SO_LINGER 0 makes close send RST), so the peers learn at once. */
        void abort() {
            aborted = true;
            reset(client);
            reset(upstream);
            connections.remove(this);
        }

        private static void reset(Socket s) {
            if (s == null || s.isClosed()) {
                return;
            }
            try {
                s.setSoLinger(true, 0);
            } catch (IOException ignored) {
                // already broken: close anyway
            }
            closeQuietly(s);
        }

        private static void closeQuietly(Socket s) {
            if (s != null) {
                try {
                    s.close();
                } catch (IOException ignored) {
                    // nothing left to release
                }
            }
        }
    }

    private record Chunk(byte[] bytes, long readAtNanos) {
        static final Chunk EOF = new Chunk(new byte[0], 0);
    }
}
