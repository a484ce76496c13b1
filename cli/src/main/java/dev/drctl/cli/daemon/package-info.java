/**
 * {@code drctl run}: the daemon's composition. One {@link dev.drctl.runbooks.watch.ClusterWatch} per configured
 * cluster fed by one started probe scheduler, the failover and fence runbooks composed as the commands compose them
 * ({@link dev.drctl.cli.DaemonRunbooks}), the durable outbox delivered continuously, and one daemon per state store.
 */
package dev.drctl.cli.daemon;
