package dev.drctl.notifiers;

import java.util.Objects;

/** A notification as people read it: the subject, a plain-text body and an HTML body. */
public record RenderedMessage(String subject, String text, String html) {
    public RenderedMessage {
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(html, "html");
    }
}
