/**
 * Disposable real topologies for tests, drills and the demo: PostgreSQL and MariaDB servers started from the
 * installed binaries on loopback ports ({@link dev.drctl.testenv.LocalTopology}) behind
 * {@link dev.drctl.testenv.Topology} (the same in containers is module {@code containers}, the only one that carries
 * Testcontainers), and a fault proxy ({@link dev.drctl.testenv.FaultProxy}) to cut, slow or black-hole a link.
 * Depends on {@code topology}, the JDBC drivers (set-up SQL only) and Jackson (its state file); it must never import
 * probes, promotion, runbooks or cli, which test against it.
 */
package dev.drctl.testenv;
