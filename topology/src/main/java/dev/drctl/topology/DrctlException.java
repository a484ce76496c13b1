package dev.drctl.topology;

import java.util.Objects;

/**
 * A failure of drctl's machinery (not an expected outcome such as a refused failover, which is a
 * value). Its message is written for the person at the terminal: what, where, what to do next; it
 * never contains a secret. The CLI prints the message alone and exits with the code's exit code.
 */
public class DrctlException extends RuntimeException {
    private final ErrorCode code;

    public DrctlException(ErrorCode code, String message) {
        super(message);
        this.code = Objects.requireNonNull(code, "code");
    }

    public DrctlException(ErrorCode code, String message, Throwable cause) {
        super(message, cause);
        this.code = Objects.requireNonNull(code, "code");
    }

    public ErrorCode code() {
        return code;
    }
}
