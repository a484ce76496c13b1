/**
 * Disposable real topologies for tests, drills and the demo: PostgreSQL and MariaDB servers started from the
 * installed binaries on loopback ports, and a fault proxy to cut, slow or black-hole links. Depends on {@code topology} only.
 */
package dev.drctl.testenv;
