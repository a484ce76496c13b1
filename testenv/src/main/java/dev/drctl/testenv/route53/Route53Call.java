package dev.drctl.testenv.route53;

import java.time.Instant;

/**
 * One request the test server received, for tests to assert on. The Authorization header's value is not kept
 * (it names the access key id); only whether it carried a SigV4 signature.
 *
 * @param action the Route53 operation ({@code ChangeResourceRecordSets}, {@code GetChange}, …) or {@code Unknown}
 * @param status the HTTP status the server answered with
 * @param fault  the injected fault that produced the answer, or empty text
 */
public record Route53Call(Instant at, String method, String path, String query, String action, boolean signed,
                          int status, String fault, String body) {
}
