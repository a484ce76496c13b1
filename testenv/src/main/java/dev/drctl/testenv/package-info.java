/**
 * Disposable real topologies for tests, drills and the demo: PostgreSQL and MariaDB servers started from the
 * installed binaries on loopback ports ({@link dev.drctl.testenv.LocalTopology}), the same in containers of a
 * Docker-compatible engine through Testcontainers ({@link dev.drctl.testenv.ContainerTopology}, with MySQL as well;
 * {@link dev.drctl.testenv.ContainerEngine} says whether an engine answers), both behind
 * {@link dev.drctl.testenv.Topology}, and a fault proxy ({@link dev.drctl.testenv.FaultProxy}) to cut, slow or
 * black-hole a link. Depends on {@code topology}, the JDBC drivers (set-up SQL only), Jackson (its state file) and
 * Testcontainers; it must never import probes, promotion, runbooks or cli, which test against it.
 */
package dev.drctl.testenv;
