/**
 * The model every other module shares: cluster and node specs, the configuration records and their
 * loading, secret references, and what probes observed. Depends on nothing but the JDK, SLF4J,
 * Jackson YAML with its SnakeYAML (whose node tree gives config problems their line and column) and
 * cron-utils (drill schedules); it must never import a driver, SDK or another drctl module.
 */
package dev.drctl.topology;
