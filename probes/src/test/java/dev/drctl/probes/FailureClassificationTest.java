package dev.drctl.probes;

import static org.assertj.core.api.Assertions.assertThat;

import dev.drctl.topology.FailureKind;
import java.io.EOFException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.sql.SQLException;
import java.sql.SQLTimeoutException;
import java.sql.SQLTransientConnectionException;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class FailureClassificationTest {

    // Shaped like what pgjdbc, Connector/J and HikariCP throw: the pool's timeout wraps the last
    // connection failure, the drivers wrap the socket exception.
    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of("pg refused through the pool",
                        pool(new SQLException("Connection to 127.0.0.1:1 refused.", "08001",
                                new ConnectException("Connection refused"))), FailureKind.REFUSED),
                Arguments.of("mysql refused", new SQLException("Communications link failure", "08S01",
                        new ConnectException("Connection refused")), FailureKind.REFUSED),
                Arguments.of("reset", new SQLException("I/O error", "08006", new SocketException("Connection reset")),
                        FailureKind.REFUSED),
                Arguments.of("no route", new SQLException("x", "08001", new NoRouteToHostException("No route to host")),
                        FailureKind.REFUSED),
                Arguments.of("read timed out", new SQLException("Communications link failure", "08S01",
                        new SocketTimeoutException("Read timed out")), FailureKind.TIMEOUT),
                Arguments.of("pool timed out with nothing behind it",
                        new SQLTransientConnectionException("drctl-probe-x - Connection is not available, request timed out after 600ms"),
                        FailureKind.TIMEOUT),
                Arguments.of("statement timeout", new SQLTimeoutException("canceling statement due to statement timeout"),
                        FailureKind.TIMEOUT),
                Arguments.of("pg bad password", pool(new SQLException("FATAL: password authentication failed for user \"drctl\"",
                        "28P01")), FailureKind.AUTH),
                Arguments.of("mysql access denied", new SQLException("Access denied for user 'drctl'@'localhost'",
                        "28000", 1045), FailureKind.AUTH),
                Arguments.of("auth wins over the pool timeout",
                        pool(new SQLException("Access denied", "28000", 1045)), FailureKind.AUTH),
                Arguments.of("pgjdbc login timeout through the pool", pool(new SQLException("Connection attempt timed out.", "08001")),
                        FailureKind.TIMEOUT),
                Arguments.of("server closed during start-up, through the pool", pool(new SQLException(
                        "The connection attempt failed.", "08001", new EOFException())), FailureKind.REFUSED),
                Arguments.of("too many clients", new SQLException("FATAL: sorry, too many clients already", "53300"),
                        FailureKind.BUSY),
                Arguments.of("too many clients through the pool",
                        pool(new SQLException("FATAL: sorry, too many clients already", "53300")), FailureKind.BUSY),
                Arguments.of("mariadb too many connections", new SQLException("Too many connections", "08004", 1040),
                        FailureKind.BUSY),
                Arguments.of("mariadb too many connections in the handshake",
                        new SQLException("Too many connections", "HY000", 1040), FailureKind.BUSY),
                Arguments.of("unknown host", new SQLException("x", "08001", new UnknownHostException("nowhere.invalid")),
                        FailureKind.OTHER),
                Arguments.of("server closed during start-up", new SQLException("The connection attempt failed.", "08001",
                        new EOFException()), FailureKind.REFUSED),
                Arguments.of("permission denied for a function", new SQLException("permission denied for function pg_control_checkpoint",
                        "42501"), FailureKind.OTHER));
    }

    private static SQLTransientConnectionException pool(SQLException cause) {
        return new SQLTransientConnectionException("drctl-probe-x - Connection is not available, request timed out after 600ms",
                cause.getSQLState(), cause);
    }

    @ParameterizedTest(name = "{0} -> {2}")
    @MethodSource("cases")
    void namesTheFailure(String name, Throwable error, FailureKind kind) {
        var failed = FailureClassification.classify(error, "127.0.0.1:5999");
        assertThat(failed.kind()).isEqualTo(kind);
        assertThat(failed.detail()).contains("127.0.0.1:5999").doesNotContain("\n").doesNotContain("total=");
    }
}
