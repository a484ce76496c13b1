/**
 * Several daemons, one actor per cluster, through ZooKeeper (Apache Curator; safety rules 1, 5 and 6): leadership of
 * each cluster ({@link dev.drctl.coordination.ClusterLeadership}), the fencing token of each leadership term, the
 * observer quorum (every daemon publishes its verdict, a failover needs a majority of live daemons) and the
 * session-state handling that stops a daemon acting once it is cut off from ZooKeeper. No consensus of its own: the
 * ensemble decides, this package reads its answer.
 */
package dev.drctl.coordination;
