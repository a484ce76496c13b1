package dev.drctl.compliance;

import dev.drctl.topology.DrctlException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * One JDBC connection to the store, used by one thread at a time (a lock, not {@code synchronized}, so
 * virtual threads do not pin). Writes run in {@link #write} transactions that are retried a bounded
 * number of times when another writer holds the lock (SQLite BUSY, PostgreSQL serialization or
 * deadlock errors); reads run in {@link #read} snapshots.
 */
final class StoreConnection implements AutoCloseable {
    /** With SQLite's busy timeout and PostgreSQL's lock timeout, a write gives up after about a minute at most. */
    static final int MAX_ATTEMPTS = 6;
    /** PostgreSQL waits this long for another daemon's lock on the chain head before the attempt is retried. */
    static final Duration PG_LOCK_TIMEOUT = Duration.ofSeconds(10);
    /** SQLite waits this long for another process's write lock before answering BUSY. */
    static final Duration SQLITE_BUSY_TIMEOUT = Duration.ofSeconds(10);
    /** PostgreSQL: a TCP connect to the store that takes longer has met a dead or black-holed host. */
    static final Duration PG_CONNECT_TIMEOUT = Duration.ofSeconds(5);
    /** PostgreSQL: connect, TLS and authentication together; pgjdbc's default is to wait for ever. */
    static final Duration PG_LOGIN_TIMEOUT = Duration.ofSeconds(10);
    /**
     * PostgreSQL: the longest silence of the server in the middle of a statement before the connection is given up
     * (and reopened by the next call). Longer than {@link #PG_LOCK_TIMEOUT}, so a legitimate wait for another writer's
     * lock is never mistaken for a hung store; short enough that a hung store fails a command instead of hanging it.
     */
    static final Duration PG_SOCKET_TIMEOUT = Duration.ofSeconds(30);
    /** PostgreSQL: the socket timeout of the migration's connections (see {@link #dataSource()}). */
    static final Duration MIGRATION_SOCKET_TIMEOUT = Duration.ofMinutes(10);
    /** How long {@link #close()} waits for a statement in flight before closing the connection under it. */
    static final Duration CLOSE_WAIT = Duration.ofSeconds(2);

    @FunctionalInterface
    interface Work<T> {
        T run(Connection connection) throws SQLException;
    }

    private final StoreVendor vendor;
    private final String url;
    private final ReentrantLock lock = new ReentrantLock();
    private Connection connection;

    StoreConnection(String url) {
        this.vendor = StoreVendor.of(url);
        this.url = url;
    }

    StoreVendor vendor() {
        return vendor;
    }

    String redactedUrl() {
        return StoreUrls.redact(url);
    }

    /** Runs {@code work} in one write transaction; returns only after the commit succeeded (durable). */
    <T> T write(String what, Work<T> work) {
        acquire(what);
        try {
            for (int attempt = 1; ; attempt++) {
                var c = connection();
                try {
                    begin(c);
                    T result = work.run(c);
                    commit(c);
                    return result;
                } catch (SQLException e) {
                    rollbackQuietly(c);
                    if (retryable(e) && attempt < MAX_ATTEMPTS) {
                        backoff(attempt);
                        continue;
                    }
                    throw failure(what, e);
                } catch (RuntimeException e) {
                    rollbackQuietly(c);
                    throw e;
                }
            }
        } finally {
            lock.unlock();
        }
    }

    /** Runs {@code work} against one consistent snapshot of the store. */
    <T> T read(String what, Work<T> work) {
        acquire(what);
        try {
            for (int attempt = 1; ; attempt++) {
                var c = connection();
                try {
                    switch (vendor) {
                        case SQLITE -> execute(c, "BEGIN");
                        case POSTGRESQL -> {
                            c.setAutoCommit(false);
                            c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
                            c.setReadOnly(true);
                        }
                    }
                    T result = work.run(c);
                    commit(c);
                    return result;
                } catch (SQLException e) {
                    rollbackQuietly(c);
                    if (retryable(e) && attempt < MAX_ATTEMPTS) {
                        backoff(attempt);
                        continue;
                    }
                    throw failure(what, e);
                } catch (RuntimeException e) {
                    rollbackQuietly(c);
                    throw e;
                } finally {
                    if (vendor == StoreVendor.POSTGRESQL) {
                        resetQuietly(c);
                    }
                }
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Waits for the connection, interruptibly: a caller that bounds its store work (the runbook engine's journal
     * writes) interrupts a thread still queued behind a stuck statement, and that thread gives up here.
     */
    private void acquire(String what) {
        try {
            lock.lockInterruptibly();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DrctlException(ComplianceErrorCode.STORE_FAILED, what + " on store " + redactedUrl()
                    + " was given up: interrupted while an earlier statement still held the store connection");
        }
    }

    private void begin(Connection c) throws SQLException {
        switch (vendor) {
            // IMMEDIATE takes the write lock up front, so reading the head and inserting after it cannot interleave
            case SQLITE -> execute(c, "BEGIN IMMEDIATE");
            case POSTGRESQL -> {
                c.setAutoCommit(false);
                c.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
                // a daemon stuck while holding the head lock must not block every other writer forever
                execute(c, "SET LOCAL lock_timeout = '" + PG_LOCK_TIMEOUT.toMillis() + "ms'");
            }
        }
    }

    private void commit(Connection c) throws SQLException {
        switch (vendor) {
            case SQLITE -> execute(c, "COMMIT");
            case POSTGRESQL -> {
                c.commit();
                c.setAutoCommit(true);
            }
        }
    }

    private void rollbackQuietly(Connection c) {
        try {
            switch (vendor) {
                case SQLITE -> execute(c, "ROLLBACK");
                case POSTGRESQL -> {
                    c.rollback();
                    c.setAutoCommit(true);
                }
            }
        } catch (SQLException e) {
            // "no transaction is active" after a failed BEGIN is fine; a dead connection is dropped and reopened
            if (!isValid(c)) {
                closeQuietly();
            }
        }
    }

    private void resetQuietly(Connection c) {
        try {
            c.setReadOnly(false);
            c.setAutoCommit(true);
        } catch (SQLException e) {
            closeQuietly();
        }
    }

    private static void execute(Connection c, String sql) throws SQLException {
        try (var st = c.createStatement()) {
            st.execute(sql);
        }
    }

    private boolean retryable(SQLException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException s) {
                var state = s.getSQLState() == null ? "" : s.getSQLState();
                switch (vendor) {
                    case SQLITE -> {
                        int primary = s.getErrorCode() & 0xff;
                        if (primary == 5 || primary == 6) { // SQLITE_BUSY, SQLITE_LOCKED
                            return true;
                        }
                    }
                    case POSTGRESQL -> {
                        // serialization failure, deadlock, lock not available, unique violation (the chain backstop)
                        if (state.equals("40001") || state.equals("40P01") || state.equals("55P03") || state.equals("23505")) {
                            return true;
                        }
                    }
                }
            }
        }
        return false;
    }

    private static void backoff(int attempt) {
        long maxMillis = Math.min(200, 5L << Math.min(attempt, 6));
        LockSupport.parkNanos(Duration.ofMillis(ThreadLocalRandom.current().nextLong(1, maxMillis + 1)).toNanos());
    }

    private DrctlException failure(String what, SQLException e) {
        if (!isValid(connection)) {
            closeQuietly();
        }
        return new DrctlException(ComplianceErrorCode.STORE_FAILED,
                what + " failed on store " + redactedUrl() + ": " + e.getMessage()
                        + "; check that the store is reachable and writable, then retry", e);
    }

    private static boolean isValid(Connection c) {
        try {
            return c != null && c.isValid(2);
        } catch (SQLException e) {
            return false;
        }
    }

    private Connection connection() {
        if (connection == null) {
            connection = open();
        }
        return connection;
    }

    /** A fresh connection with the store's settings; callers own and close it. */
    Connection open() {
        return open(PG_SOCKET_TIMEOUT);
    }

    /** @param socketTimeout PostgreSQL: how long one statement may leave the connection silent */
    private Connection open(Duration socketTimeout) {
        try {
            var props = new Properties();
            if (vendor == StoreVendor.SQLITE) {
                createParentDirectory();
                props.setProperty("journal_mode", "WAL");
                // FULL: a committed entry survives power loss, not only a process crash
                props.setProperty("synchronous", "FULL");
                props.setProperty("busy_timeout", Long.toString(SQLITE_BUSY_TIMEOUT.toMillis()));
                props.setProperty("foreign_keys", "true");
            } else {
                props.putAll(postgresTimeouts(socketTimeout));
            }
            return DriverManager.getConnection(url, props);
        } catch (SQLException e) {
            throw new DrctlException(ComplianceErrorCode.STORE_FAILED,
                    "cannot open store " + redactedUrl() + ": " + e.getMessage()
                            + "; check compliance.store in the config and that the database is reachable", e);
        }
    }

    /**
     * pgjdbc settings that bound every wait on a PostgreSQL store (connect, login, each read), so a hung or
     * black-holed store fails the caller instead of hanging it; TCP keep-alive lets the OS notice a peer that vanished.
     * Parameters written in the URL itself win (pgjdbc reads the URL after these), so an operator can tune them.
     *
     * @param socketTimeout how long one statement may leave the connection silent
     */
    static Properties postgresTimeouts(Duration socketTimeout) {
        var props = new Properties();
        props.setProperty("connectTimeout", Long.toString(PG_CONNECT_TIMEOUT.toSeconds()));
        props.setProperty("loginTimeout", Long.toString(PG_LOGIN_TIMEOUT.toSeconds()));
        props.setProperty("socketTimeout", Long.toString(socketTimeout.toSeconds()));
        props.setProperty("tcpKeepAlive", "true");
        return props;
    }

    private void createParentDirectory() {
        var rest = url.substring("jdbc:sqlite:".length());
        int q = rest.indexOf('?');
        var file = q < 0 ? rest : rest.substring(0, q);
        if (file.isEmpty() || file.startsWith(":memory:") || file.startsWith("file:")) {
            return;
        }
        var parent = Path.of(file).toAbsolutePath().getParent();
        if (parent != null && !Files.isDirectory(parent)) {
            try {
                Files.createDirectories(parent);
            } catch (java.io.IOException e) {
                throw new DrctlException(ComplianceErrorCode.STORE_FAILED,
                        "cannot create the directory " + parent + " for store " + redactedUrl() + ": " + e.getMessage());
            }
        }
    }

    /**
     * The same settings as a {@link DataSource}, for Flyway; its connections get {@link #MIGRATION_SOCKET_TIMEOUT},
     * since a migration (an index on a years-long journal) may keep the server silent far longer than a statement.
     */
    DataSource dataSource() {
        return new DataSource() {
            @Override
            public Connection getConnection() {
                return open(MIGRATION_SOCKET_TIMEOUT);
            }

            @Override
            public Connection getConnection(String username, String password) {
                return open(MIGRATION_SOCKET_TIMEOUT);
            }

            @Override
            public PrintWriter getLogWriter() {
                return null;
            }

            @Override
            public void setLogWriter(PrintWriter out) {
            }

            @Override
            public void setLoginTimeout(int seconds) {
            }

            @Override
            public int getLoginTimeout() {
                return 0;
            }

            @Override
            public Logger getParentLogger() throws SQLFeatureNotSupportedException {
                throw new SQLFeatureNotSupportedException();
            }

            @Override
            public <T> T unwrap(Class<T> iface) throws SQLException {
                throw new SQLException("not a wrapper");
            }

            @Override
            public boolean isWrapperFor(Class<?> iface) {
                return false;
            }
        };
    }

    private void closeQuietly() {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException ignored) {
                // the connection is being discarded because it failed; nothing more to do with it
            }
            connection = null;
        }
    }

    @Override
    public void close() {
        boolean locked = false;
        try {
            locked = lock.tryLock(CLOSE_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            // Not locked: a statement given up by its caller is still stuck on a hung store. Closing under it makes it
            // fail now rather than keep the process from exiting until the socket timeout.
            closeQuietly();
        } finally {
            if (locked) {
                lock.unlock();
            }
        }
    }
}
