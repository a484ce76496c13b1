package dev.drctl.compliance;

/** The two vendors every store test runs on. */
enum StoreKind {
    SQLITE,
    POSTGRESQL
}
