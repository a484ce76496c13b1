package dev.drctl.cli;

import dev.drctl.topology.DrctlException;
import dev.drctl.topology.ErrorCode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;

/** Turns a failure of the machinery into one clear line and its exit code; the stack trace goes to the log at DEBUG. */
final class DrctlExceptionHandler implements CommandLine.IExecutionExceptionHandler {
    @Override
    public int handleExecutionException(Exception ex, CommandLine cl, CommandLine.ParseResult parseResult) {
        var err = cl.getErr();
        var scheme = cl.getColorScheme();
        // Looked up here, not in a static field: the handler is built at every start, and a logger at
        // class initialisation would set up logging (hundreds of classes) even for --version.
        Logger log = LoggerFactory.getLogger(DrctlExceptionHandler.class);
        log.debug("command failed", ex);
        if (ex instanceof DrctlException d) {
            err.println(scheme.errorText("drctl: " + d.getMessage()));
            err.flush();
            return d.code().exitCode();
        }
        err.println(scheme.errorText("drctl: internal error: " + ex.getClass().getSimpleName()
                + (ex.getMessage() == null ? "" : ": " + ex.getMessage())
                + " (run with DRCTL_LOG_LEVEL=DEBUG for the stack trace)"));
        err.flush();
        return ErrorCode.OPERATION_FAILED;
    }
}
