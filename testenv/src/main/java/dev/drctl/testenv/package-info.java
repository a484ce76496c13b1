/**
 * Disposable real topologies for tests, drills and the demo: PostgreSQL and MariaDB servers started from the
 * installed binaries on loopback ports ({@link dev.drctl.testenv.LocalTopology}) behind
 * {@link dev.drctl.testenv.Topology} (the same in containers is module {@code containers}, the only one that carries
 * Testcontainers), and a fault proxy ({@link dev.drctl.testenv.FaultProxy}) to cut, slow or black-hole a link.
 * What both kinds of topology share is said here once, so they ask, name, wire, describe and tear down alike:
 * {@link dev.drctl.testenv.TopologyBuilder} and {@link dev.drctl.testenv.TopologyShape} (the nodes asked for, their
 * ports and {@link dev.drctl.testenv.FaultLinks}), {@link dev.drctl.testenv.TopologyFiles} (the config, secrets and
 * DNS record drctl is given), {@link dev.drctl.testenv.FirstTransaction} and {@link dev.drctl.testenv.Teardown}.
 * Depends on {@code topology}, the JDBC drivers (set-up SQL only) and Jackson (its state file); it must never import
 * probes, promotion, runbooks or cli, which test against it.
 */
package dev.drctl.testenv;
