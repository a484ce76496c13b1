/**
 * {@code drctl run}: the daemon's composition. One {@link dev.drctl.runbooks.watch.ClusterWatch} per configured
 * cluster fed by one started probe scheduler, the failover and fence runbooks composed as the commands compose them
 * ({@link dev.drctl.cli.DaemonRunbooks}), the durable outbox delivered continuously, and one daemon per state store.
 *
 * <p>What an operator sees of it from outside: the {@code /health} and {@code /metrics} endpoint
 * ({@link dev.drctl.cli.daemon.DaemonEndpoint}, {@link dev.drctl.cli.daemon.DaemonMetrics}, fed by
 * {@link dev.drctl.cli.daemon.DaemonView} snapshots), the log format, and the signals (SIGTERM: a bounded stop;
 * SIGHUP and {@code drctl reload}: {@link dev.drctl.cli.daemon.ConfigReload}). Decisions are never taken here: they
 * stay in the pipeline the watches run.
 */
package dev.drctl.cli.daemon;
