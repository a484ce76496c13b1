package dev.drctl.testenv;

import dev.drctl.topology.ErrorCode;

/** Failures of testenv's machinery: missing binaries, servers that do not come up, a directory in the wrong state. */
public enum TestenvErrorCode implements ErrorCode {
    /** The PostgreSQL or MariaDB server binaries are not installed; the message names the package. */
    SERVER_BINARIES_MISSING(OPERATION_FAILED),
    /** A server program or set-up step failed; the message quotes the end of its log. */
    SERVER_FAILED(OPERATION_FAILED),
    /** No Docker-compatible container engine answers (the containers environment); the message says how to get one. */
    CONTAINER_ENGINE_MISSING(OPERATION_FAILED),
    /** A container image is neither in the engine nor pullable from its registry. */
    IMAGE_UNAVAILABLE(OPERATION_FAILED),
    /** A server did not become ready (accepting connections, streaming) before its deadline. */
    NOT_READY(OPERATION_FAILED),
    /** Reading or writing the topology's directory failed. */
    IO(OPERATION_FAILED),
    /** A topology is already up in the directory asked for. */
    ALREADY_UP(BAD_USAGE),
    /** No topology is recorded in the directory asked for. */
    NOT_UP(BAD_USAGE),
    /** A node name that the topology does not have, or a request the topology cannot honour. */
    BAD_REQUEST(BAD_USAGE);

    private final int exitCode;

    TestenvErrorCode(int exitCode) {
        this.exitCode = exitCode;
    }

    @Override
    public int exitCode() {
        return exitCode;
    }
}
