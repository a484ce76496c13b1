package dev.drctl.notifiers;

import java.util.Objects;
import java.util.Optional;

/** What one delivery attempt came to: an outcome, not an exception. */
public sealed interface Delivery {

    /** @param messageId the channel's id of what it accepted (SMTP Message-ID, webhook delivery id) */
    record Delivered(Optional<String> messageId) implements Delivery {
        public Delivered {
            Objects.requireNonNull(messageId, "messageId");
        }
    }

    /**
     * @param error     what went wrong, for the journal and the operator; never a secret or a webhook URL
     * @param permanent retrying cannot help (e.g. a recipient rejected, HTTP 404): give up at once
     */
    record Failed(String error, boolean permanent) implements Delivery {
        public Failed {
            Objects.requireNonNull(error, "error");
        }
    }
}
