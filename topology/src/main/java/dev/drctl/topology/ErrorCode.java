package dev.drctl.topology;

/**
 * A machine-readable failure code that knows the process exit code it maps to (0 ok, 1 the operation
 * failed, 2 bad usage or bad config, 3 refused by a safety rule). Each module has its own enum.
 */
public interface ErrorCode {
    int OK = 0;
    int OPERATION_FAILED = 1;
    int BAD_USAGE = 2;
    int REFUSED = 3;

    String name();

    int exitCode();
}
