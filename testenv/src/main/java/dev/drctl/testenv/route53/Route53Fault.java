package dev.drctl.testenv.route53;

/** What an injected fault answers. */
public enum Route53Fault {
    /** 400 {@code Throttling}: "Rate exceeded". */
    THROTTLING(400, "Throttling", "Rate exceeded"),
    /** 400 {@code PriorRequestNotComplete}: Route53 is still processing an earlier request. */
    PRIOR_REQUEST_NOT_COMPLETE(400, "PriorRequestNotComplete",
            "The request was rejected because Route 53 was still processing a prior request."),
    /** 500 {@code InternalFailure}. */
    INTERNAL_FAILURE(500, "InternalFailure", "An internal failure occurred."),
    /** 503 {@code ServiceUnavailable}. */
    SERVICE_UNAVAILABLE(503, "ServiceUnavailable", "The service is unavailable.");

    final int status;
    final String code;
    final String message;

    Route53Fault(int status, String code, String message) {
        this.status = status;
        this.code = code;
        this.message = message;
    }
}
