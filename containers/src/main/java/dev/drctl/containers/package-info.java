/**
 * Topologies in containers of a Docker-compatible engine through Testcontainers
 * ({@link dev.drctl.containers.ContainerTopology}: PostgreSQL, MariaDB and MySQL, with the {@code Topology} contract
 * of testenv's local processes; {@link dev.drctl.containers.ContainerEngine} says whether an engine answers,
 * {@link dev.drctl.containers.ContainerSettings} which image and network), and the {@code testcontainers} drill
 * environment on them ({@link dev.drctl.containers.ContainerDrillEnvironment}). The only module that depends on
 * Testcontainers: it ships as {@code drctl-containers.jar} beside drctl.jar, which finds the environment through
 * {@link java.util.ServiceLoader} when the launcher puts that jar on the class path. Depends on testenv and runbooks
 * (the drill environment's interface); nothing depends on it at compile time.
 */
package dev.drctl.containers;
