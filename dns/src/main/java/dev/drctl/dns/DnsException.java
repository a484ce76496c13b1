package dev.drctl.dns;

import dev.drctl.topology.DrctlException;

/**
 * The DNS port's error: what callers of {@link DnsProvider} catch. Provider-specific failures are wrapped in it
 * (the AWS SDK's exceptions never escape a provider). Its message never contains a credential.
 */
public class DnsException extends DrctlException {
    public DnsException(DnsErrorCode code, String message) {
        super(code, message);
    }

    public DnsException(DnsErrorCode code, String message, Throwable cause) {
        super(code, message, cause);
    }
}
