/**
 * {@code drctl run}'s composition: the per-cluster supervision it starts, and what an operator sees of it from
 * outside: the {@code /health} and {@code /metrics} endpoint ({@link dev.drctl.cli.daemon.DaemonEndpoint},
 * {@link dev.drctl.cli.daemon.DaemonMetrics}, fed by {@link dev.drctl.cli.daemon.DaemonView} snapshots), the log
 * format, and the signals (SIGTERM: a bounded stop; SIGHUP and {@code drctl reload}: {@link
 * dev.drctl.cli.daemon.ConfigReload}). Decisions are never taken here: they stay in the pipeline the daemon runs.
 */
package dev.drctl.cli.daemon;
