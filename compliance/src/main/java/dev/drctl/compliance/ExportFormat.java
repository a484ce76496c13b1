package dev.drctl.compliance;

/** The formats {@code audit export} writes. */
public enum ExportFormat {
    /** One row per journal entry, RFC 4180. */
    CSV,
    /** The entries with the verification result, for tools. */
    JSON,
    /** The self-contained compliance report for people. */
    HTML
}
